// The offline render: runs the program (index.ts) for a stack under Pulumi's mock runtime with
// placeholder secrets, and turns what it registers into manifests a reviewer can read. It is a view
// of the program, never a second implementation: every object, name and checksum comes from the
// program's own code; the render only serialises, hides secrets and checks the schema.

import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CiphertextDigests, ciphertextDigests } from "./ciphertexts";
import { KubernetesObject, manifestsOf } from "./manifests";
import { SchemaProblem, schemaProblems } from "./manifestSchema";
import { RecordingMocks, RegisteredResource } from "./engine/mockRuntime";
import { offlineEngineConfig, placeholderDecrypt } from "./engine/offlineConfig";
import { OFFLINE_ENVIRONMENT, OFFLINE_INVOKES, RANDOM_SEED } from "./engine/programFacts";
import { ProgramLoader, ProgramRun, freshProgramLoader, runUnderMocks } from "./engine/programRun";
import { ResourceSummary, resourceSummary } from "./resourceSummary";
import { withSecretChecksumPlaceholders } from "./secretChecksumPlaceholder";
import { withOfflineCertificateMarks } from "./offlineCertificates";
import { stableYaml } from "./stableYaml";
import { readStackFile } from "../lib/config/stackFile";
import { hasBrand } from "../lib/values";
import { Decrypt } from "./engine/stackFiles";

/** The file beside the manifests that lists everything else; not YAML-named, so that `kubectl
 * apply -f DIR` would never pick it up. */
export const SUMMARY_FILE = "summary.txt";

// The first line of every file a render writes; also how a later render knows which files in the
// output directory are its own to replace.
const RENDER_MARK = "# Rendered offline by `npm run render`";
const MANIFEST_HEADER = `${RENDER_MARK}; [secret] stands for a secret value.\n`;
const SUMMARY_HEADER = `${RENDER_MARK}: what the program registers besides the manifests, and the data sources it reads.\n`;

export interface RenderOptions {
  /** The directory with Pulumi.yaml, Pulumi.STACK.yaml and index.ts. */
  readonly projectDir: string;
  readonly stack: string;
  /** How `secure:` values become plaintext. @default every secret is a placeholder */
  readonly decrypt?: Decrypt;
  /** How the program is run. @default a fresh require of `projectDir/index.ts` */
  readonly load?: ProgramLoader;
}

export interface Rendering {
  /** The Kubernetes objects as written (secrets as `[secret]`), ordered as their files. */
  readonly objects: readonly KubernetesObject[];
  /** What `summary.txt` holds: everything else registered, the invokes, the hidden properties. */
  readonly summary: ResourceSummary;
  /** Digests of the stack file's `secure:` values, for comparison only; never written. */
  readonly ciphertexts: CiphertextDigests;
  /** File name → content: one manifest per object, then `summary.txt`. */
  readonly files: Readonly<Record<string, string>>;
}

const INVALID_MANIFESTS_ERROR = Symbol.for("task-api:InvalidManifestsError");

/** Manifests that do not match the Kubernetes OpenAPI schema. */
export class InvalidManifestsError extends Error {
  /** Recognises one from any load of this module (see lib/values.ts, hasBrand). */
  static isInstance(value: unknown): value is InvalidManifestsError {
    return hasBrand(value, INVALID_MANIFESTS_ERROR);
  }

  /** The brand `isInstance` looks for. */
  readonly [INVALID_MANIFESTS_ERROR] = true;

  constructor(readonly problems: readonly SchemaProblem[]) {
    super(
      [
        `${problems.length} rendered object(s) do not match the Kubernetes OpenAPI schema:`,
        ...problems.map((p) => `  ${p.fileName}: ${p.message}`),
      ].join("\n"),
    );
    this.name = "InvalidManifestsError";
  }
}

/** Renders `stack`. Throws the program's own InvalidConfigError on bad config. */
export async function renderStack(options: RenderOptions): Promise<Rendering> {
  const { mocks } = await runStackOffline(options);
  return {
    ...(await renderResources(mocks.resources, mocks.calls)),
    ciphertexts: ciphertextDigests(readStackFile(options.projectDir, options.stack)),
  };
}

/** Runs the program for `stack` as a render does, without rendering what it registers. */
export function runStackOffline(options: RenderOptions): Promise<ProgramRun> {
  const { projectDir, stack } = options;
  const config = offlineEngineConfig(projectDir, stack, options.decrypt ?? placeholderDecrypt);
  return runUnderMocks(stack, config, options.load ?? freshProgramLoader(projectDir), {
    randomSeed: RANDOM_SEED,
    callAnswers: OFFLINE_INVOKES,
    environment: OFFLINE_ENVIRONMENT,
  });
}

/**
 * Renders what a program registered and the invokes it made: manifests, schema check, summary.
 * Without a stack file there are no `secure:` values to compare.
 */
export async function renderResources(
  resources: readonly RegisteredResource[],
  calls: RecordingMocks["calls"] = [],
): Promise<Rendering> {
  const manifests = manifestsOf(resources);
  const problems = await schemaProblems(manifests);
  if (problems.length > 0) {
    throw new InvalidManifestsError(problems);
  }
  const objects = withOfflineCertificateMarks(
    withSecretChecksumPlaceholders(manifests.map((m) => m.shown)),
  );
  const files: Record<string, string> = {};
  manifests.forEach((manifest, index) => {
    files[manifest.fileName] = MANIFEST_HEADER + stableYaml(objects[index]);
  });
  const summary = resourceSummary(resources, manifests, calls);
  files[SUMMARY_FILE] = SUMMARY_HEADER + stableYaml(summary);
  return { objects, summary, ciphertexts: {}, files };
}

/**
 * Writes a rendering to `outDir`, replacing the files of an earlier render there (an object that is
 * gone must not leave its manifest behind). Only files that start with the render's own first line
 * are removed, so that `--out .` can never delete a stack file or anything else.
 */
export function writeRendering(rendering: Rendering, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  for (const file of readdirSync(outDir, { withFileTypes: true })) {
    const path = join(outDir, file.name);
    if (file.isFile() && readFileSync(path, "utf8").startsWith(RENDER_MARK)) {
      rmSync(path);
    }
  }
  for (const [file, content] of Object.entries(rendering.files)) {
    writeFileSync(join(outDir, file), content);
  }
}

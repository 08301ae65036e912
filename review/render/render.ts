// The offline render: runs the program (index.ts) for a stack under Pulumi's mock runtime with
// placeholder secrets, and turns what it registers into manifests a reviewer can read. It is a view
// of the program, never a second implementation: every object, name and checksum comes from the
// program's own code; the render only serialises, hides secrets and checks the schema.

import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { CiphertextDigests, ciphertextDigests } from "./ciphertexts";
import { KubernetesObject, manifestsOf } from "./manifests";
import { SchemaProblem, schemaProblems } from "./manifestSchema";
import { RecordingMocks, RegisteredResource } from "../engine/mockRuntime";
import { offlineEngineConfig, placeholderDecrypt, placeholderKeys } from "../engine/offlineConfig";
import { OFFLINE_ENVIRONMENT, OFFLINE_INVOKES, RANDOM_SEED } from "../engine/programFacts";
import { ProgramLoader, ProgramRun, freshProgramLoader, runUnderMocks } from "../engine/programRun";
import { ResourceSummary, resourceSummary } from "./resourceSummary";
import { withSecretChecksumPlaceholders } from "./secretChecksumPlaceholder";
import { withOfflineCertificateMarks } from "./offlineCertificates";
import { stableYaml } from "./stableYaml";
import { InvalidConfigError, throwIfProblems } from "../../lib/problems";
import { readStackFile } from "../../lib/config/stackFile";
import { checkStackConfig, readDeclarations, withProgramProblems } from "../stackFileChecks";
import { userFacingError } from "../../lib/userFacingError";
import { UsageError } from "../usageError";
import { Decrypt, readProjectDefaults } from "../engine/stackFiles";

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
  /** Secrets the stack file does not set, rendered with placeholders (full config keys). */
  readonly placeholders: readonly string[];
  /** The files of objects registered with `retainOnDelete`: removed from the stack, kept. */
  readonly retained?: readonly string[];
  /** File name → content: one manifest per object, then `summary.txt`. */
  readonly files: Readonly<Record<string, string>>;
}

/** Manifests that do not match the Kubernetes OpenAPI schema. */
export class InvalidManifestsError extends userFacingError(Error, "InvalidManifestsError") {
  constructor(readonly problems: readonly SchemaProblem[]) {
    super(
      [
        `${problems.length} rendered object(s) do not match the Kubernetes OpenAPI schema:`,
        ...problems.map((p) => `  ${p.fileName}: ${p.message}`),
      ].join("\n"),
    );
  }
}

/** Renders `stack`. Throws the program's own InvalidConfigError on bad config. */
export async function renderStack(options: RenderOptions): Promise<Rendering> {
  const { mocks } = await runStackOffline(options);
  const stackValues = readStackFile(options.projectDir, options.stack);
  return {
    ...(await renderResources(mocks.resources, mocks.calls)),
    ciphertexts: ciphertextDigests(stackValues),
    placeholders: placeholderKeys(readProjectDefaults(options.projectDir), stackValues),
  };
}

/**
 * What a reader must know about a render of a stack that does not set all its secrets: it shows
 * placeholders there, and `pulumi up` would refuse the stack. Empty when every secret is set.
 */
export function placeholderNotice(rendering: Rendering, stack: string): string {
  return rendering.placeholders.length === 0
    ? ""
    : `not set in Pulumi.${stack}.yaml, so shown with placeholders: ` +
        `${rendering.placeholders.join(", ")}; \`pulumi up -s ${stack}\` fails until each is set\n`;
}

/**
 * Runs the program for `stack` as a render does, without rendering what it registers. One
 * judgement for every command: the problems `npm run check:stacks` finds in the stack file (a
 * plaintext leaf beside encrypted ones, a plaintext `digitalocean:token` that an exported
 * DIGITALOCEAN_TOKEN would hide from the program) are reported with the program's own, at once.
 */
export async function runStackOffline(options: RenderOptions): Promise<ProgramRun> {
  const { projectDir, stack } = options;
  const fileProblems = checkStackConfig(
    stack,
    readStackFile(projectDir, stack),
    readDeclarations(projectDir),
  );
  const config = offlineEngineConfig(projectDir, stack, options.decrypt ?? placeholderDecrypt);
  let run: ProgramRun;
  try {
    run = await runUnderMocks(stack, config, options.load ?? freshProgramLoader(projectDir), {
      randomSeed: RANDOM_SEED,
      callAnswers: OFFLINE_INVOKES,
      environment: OFFLINE_ENVIRONMENT,
    });
  } catch (error) {
    if (!InvalidConfigError.isInstance(error) || fileProblems.length === 0) {
      throw error;
    }
    throw new InvalidConfigError(
      withProgramProblems(error.problems, fileProblems),
      `the config of stack "${stack}"`,
    );
  }
  throwIfProblems(fileProblems, `Pulumi.${stack}.yaml`);
  return run;
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
  const retained = manifests.filter((m) => m.retained).map((m) => m.fileName);
  return { objects, summary, ciphertexts: {}, placeholders: [], files, retained };
}

/**
 * Writes a rendering to `outDir`, replacing the files of an earlier render there (an object that is
 * gone must not leave its manifest behind). Only files that start with the render's own first line
 * are removed, so that `--out .` can never delete a stack file or anything else.
 */
export function writeRendering(rendering: Rendering, outDir: string): void {
  // Never through a symlink: not the directory, and not a file planted in it (the render would
  // write wherever it points). Files are created anew ("wx"), so anything left in the way is named.
  if (existsSync(outDir) && lstatSync(outDir).isSymbolicLink()) {
    throw new UsageError(`${outDir} is a symlink; give --out a real directory`);
  }
  mkdirSync(outDir, { recursive: true });
  for (const file of readdirSync(outDir, { withFileTypes: true })) {
    const path = join(outDir, file.name);
    if (file.isFile() && readFileSync(path, "utf8").startsWith(RENDER_MARK)) {
      rmSync(path);
    }
  }
  for (const [file, content] of Object.entries(rendering.files)) {
    const path = join(outDir, file);
    try {
      writeFileSync(path, content, { flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw error;
      }
      throw new UsageError(
        `${path} is in the way: a symlink or a file no render wrote; move it, or give --out another directory`,
      );
    }
  }
}

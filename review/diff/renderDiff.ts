// What a change does, from two renders of the same stack (before and after): a unified diff of the
// manifests, a diff of the container environment, and whether pods restart. Everything compared is
// already redacted, so the diff can be posted where anyone can read it.

import { FILE_HEADERS_ONLY, createTwoFilesPatch } from "diff";
import { effectiveEnvironment, formatEnvironmentLines } from "../env/effectiveEnvironment";
import { replacementLines } from "./replacements";
import { Rendering } from "../render/render";
import { RestartVerdict, formatVerdict, restartVerdict } from "./restartVerdict";

export interface RenderDiff {
  /** Unified diff of the rendered files, `a/` before and `b/` after; empty when none changed. */
  readonly manifests: string;
  /** Unified diff of the container environment; empty when it did not change. */
  readonly environment: string;
  readonly restart: RestartVerdict;
  /** Objects `pulumi up` would replace or delete rather than update (review/diff/replacements.ts). */
  readonly replacements: readonly string[];
}

/** An empty render: the "before" of a stack that did not exist yet. */
export const NOTHING_RENDERED: Rendering = {
  objects: [],
  summary: { resources: [], invokes: [], components: [], secretProperties: [] },
  ciphertexts: {},
  placeholders: [],
  files: {},
};

export function diffRenderings(before: Rendering, after: Rendering): RenderDiff {
  const files = [...new Set([...Object.keys(before.files), ...Object.keys(after.files)])].sort();
  const manifests = files
    .filter((file) => before.files[file] !== after.files[file])
    .map((file) =>
      unifiedDiff(
        file in before.files ? `a/${file}` : "/dev/null",
        file in after.files ? `b/${file}` : "/dev/null",
        before.files[file] ?? "",
        after.files[file] ?? "",
      ),
    )
    .join("");
  const environmentBefore = formatEnvironmentLines(effectiveEnvironment(before.objects));
  const environmentAfter = formatEnvironmentLines(effectiveEnvironment(after.objects));
  return {
    manifests,
    environment:
      environmentBefore === environmentAfter
        ? ""
        : unifiedDiff("a/environment", "b/environment", environmentBefore, environmentAfter),
    restart: restartVerdict(before, after),
    replacements: replacementLines(before, after),
  };
}

/**
 * What `npm run diff` prints under its first line: the manifests' diff, the environment's, the
 * notes (`notes` first, e.g. why the base is empty), and the verdict.
 */
export function formatRenderDiff(diff: RenderDiff, notes: readonly string[] = []): string {
  return [
    diff.manifests === "" ? "manifests: no change" : `manifests:\n${diff.manifests}`,
    diff.environment === "" ? "environment: no change" : `environment:\n${diff.environment}`,
    ...[...notes, ...diff.restart.notes].map((note) => `note: ${note}`),
    ...diff.replacements,
    formatVerdict(diff.restart),
  ].join("\n");
}

function unifiedDiff(fromName: string, toName: string, from: string, to: string): string {
  return createTwoFilesPatch(fromName, toName, from, to, undefined, undefined, {
    headerOptions: FILE_HEADERS_ONLY,
  });
}

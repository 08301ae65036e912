// The "before" of `npm run diff`: the stack rendered at the base commit. A base that does not
// render is compared as nothing, with a note that names why: its config may be what the change
// fixes, and an older program can fail offline for reasons of its own (a module since removed, a
// data source the offline run does not answer). Only the head must render.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { baseCommit, snapshotAt } from "./gitSnapshot";
import { RenderOptions, Rendering, renderStack } from "../render/render";
import { NOTHING_RENDERED, diffRenderings, formatRenderDiff } from "./renderDiff";

export interface BaseRendering {
  /** The base's render, or NOTHING_RENDERED. */
  readonly rendering: Rendering;
  /** Why it is nothing, if it is. */
  readonly notes: readonly string[];
}

export async function renderBase(options: RenderOptions): Promise<BaseRendering> {
  const { projectDir, stack } = options;
  if (!existsSync(join(projectDir, `Pulumi.${stack}.yaml`))) {
    return {
      rendering: NOTHING_RENDERED,
      notes: [`stack ${stack} does not exist at the base: everything is new`],
    };
  }
  try {
    return { rendering: await renderStack(options), notes: [] };
  } catch (error) {
    return {
      rendering: NOTHING_RENDERED,
      notes: [
        `the base does not render, so everything is compared with nothing: ${firstLine(error)}`,
      ],
    };
  }
}

// The first line says what failed; the rest (a list of config problems, a module's require stack)
// belongs to a version of the program this change replaces.
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n", 1)[0];
}

/**
 * What `npm run diff` prints: the change the working tree makes to `stack` compared with `baseRef`
 * (default: the merge base with main), rendered offline on both sides.
 */
export async function diffWithBase(
  projectDir: string,
  stack: string,
  baseRef: string | undefined,
): Promise<string> {
  const commit = baseCommit(projectDir, baseRef);
  const baseName = `${baseRef ?? "merge base with main"} (${commit.slice(0, 12)})`;

  const snapshot = snapshotAt(projectDir, commit);
  let base: BaseRendering;
  try {
    base = await renderBase({ projectDir: snapshot.projectDir, stack });
  } finally {
    snapshot.remove();
  }
  const after = await renderStack({ projectDir, stack });
  const diff = diffRenderings(base.rendering, after);
  return (
    `stack ${stack}: ${baseName} -> working tree (rendered offline; [secret] values not shown)\n\n` +
    `${formatRenderDiff(diff, base.notes)}\n`
  );
}

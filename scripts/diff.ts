// npm run diff -- STACK [--base REF]
// What the working tree changes for STACK compared with REF (default: the merge base with main):
// the unified diff of the rendered manifests, the diff of the container environment, and whether
// pods restart and why. Needs no credentials, so CI can post it for pull requests from forks.

import { BaseRendering, renderBase } from "../lib/baseRendering";
import { baseCommit, snapshotAt } from "../lib/gitSnapshot";
import { renderStack } from "../lib/render";
import { diffRenderings, formatRenderDiff } from "../lib/renderDiff";
import { PROJECT_DIR, parseCommandLine, runCommand } from "./cli";

runCommand(async () => {
  const { stack, options } = parseCommandLine("npm run diff -- STACK [--base REF]", ["base"]);
  const commit = baseCommit(PROJECT_DIR, options.base);
  const baseName = `${options.base ?? "merge base with main"} (${commit.slice(0, 12)})`;

  const snapshot = snapshotAt(PROJECT_DIR, commit);
  let base: BaseRendering;
  try {
    base = await renderBase({ projectDir: snapshot.projectDir, stack });
  } finally {
    snapshot.remove();
  }
  const after = await renderStack({ projectDir: PROJECT_DIR, stack });
  const diff = diffRenderings(base.rendering, after);

  process.stdout.write(
    `stack ${stack}: ${baseName} -> working tree (rendered offline; [secret] values not shown)\n\n` +
      `${formatRenderDiff(diff, base.notes)}\n`,
  );
});

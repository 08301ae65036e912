// npm run diff -- STACK [--base REF]
// What the working tree changes for STACK compared with REF (default: the merge base with main):
// the unified diff of the rendered manifests, the diff of the container environment, and whether
// pods restart and why. Needs no credentials, so CI can post it for pull requests from forks.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { baseCommit, snapshotAt } from "../lib/gitSnapshot";
import { Rendering, renderStack } from "../lib/render";
import { NOTHING_RENDERED, diffRenderings } from "../lib/renderDiff";
import { formatVerdict } from "../lib/restartVerdict";
import { PROJECT_DIR, parseCommandLine, runCommand } from "./cli";

runCommand(async () => {
  const { stack, options } = parseCommandLine("npm run diff -- STACK [--base REF]", ["base"]);
  const commit = baseCommit(PROJECT_DIR, options.base);
  const baseName = `${options.base ?? "merge base with main"} (${commit.slice(0, 12)})`;

  const notes: string[] = [];
  let before: Rendering = NOTHING_RENDERED;
  const snapshot = snapshotAt(PROJECT_DIR, commit);
  try {
    if (existsSync(join(snapshot.projectDir, `Pulumi.${stack}.yaml`))) {
      before = await renderStack({ projectDir: snapshot.projectDir, stack });
    } else {
      notes.push(`stack ${stack} does not exist at the base: everything is new`);
    }
  } catch (error) {
    // A base that does not render (its config was broken, which this change may fix) is compared
    // as empty; the head must render, so its errors fail the command below.
    if (!(error instanceof Error && error.name === "InvalidConfigError")) {
      throw error;
    }
    notes.push(
      `the base does not render, so everything is compared with nothing:\n${error.message}`,
    );
  } finally {
    snapshot.remove();
  }
  const after = await renderStack({ projectDir: PROJECT_DIR, stack });
  const diff = diffRenderings(before, after);

  const out = [
    `stack ${stack}: ${baseName} -> working tree (rendered offline; [secret] values not shown)`,
    "",
    diff.manifests === "" ? "manifests: no change" : `manifests:\n${diff.manifests}`,
    diff.environment === "" ? "environment: no change" : `environment:\n${diff.environment}`,
    ...[...notes, ...diff.restart.notes].map((note) => `note: ${note}`),
    formatVerdict(diff.restart),
  ];
  process.stdout.write(`${out.join("\n")}\n`);
});

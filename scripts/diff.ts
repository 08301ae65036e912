// npm run diff -- STACK [--base REF]
// What the working tree changes for STACK compared with REF (default: the merge base with main):
// the unified diff of the rendered manifests, the diff of the container environment, and whether
// pods restart and why. Needs no credentials, so CI can post it for pull requests from forks.

import { parseCommandLine, runCommand } from "../review/cli";
import { PROJECT_DIR } from "../review/engine/programFacts";

runCommand(async () => {
  const { stack, options } = parseCommandLine("npm run diff -- STACK [--base REF]", ["base"]);
  // Loaded once the arguments are right (review/cli.ts).
  const { diffWithBase } = await import("../review/diff/baseRendering");
  process.stdout.write(await diffWithBase(PROJECT_DIR, stack, options.base));
});

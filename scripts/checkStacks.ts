// `npm run check:stacks [-- STACK...] [--dir DIR]`: checks each named Pulumi.<stack>.yaml (default:
// every one) in DIR (default: the project) against Pulumi.yaml and prints every problem of every
// file; exits 1 if there is any, 2 for a wrong argument.

import { PROJECT_DIR } from "../review/engine/programFacts";
import { existingFolder, parseStackArguments, runCommand } from "../review/cli";

runCommand(async () => {
  const { stacks, options } = parseStackArguments(
    "npm run check:stacks -- [STACK...] [--dir DIR]",
    ["dir"],
    (values) => (values.dir === undefined ? PROJECT_DIR : existingFolder("dir", values.dir)),
  );
  // Loaded once the arguments are right (review/cli.ts).
  const { checkStackFiles } = await import("../review/stackFileChecks");
  process.exitCode = checkStackFiles(PROJECT_DIR, options.dir ?? PROJECT_DIR, stacks);
});

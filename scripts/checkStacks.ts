// `npm run check:stacks [-- DIR]`: checks every Pulumi.<stack>.yaml in DIR (default: the project)
// against Pulumi.yaml and prints every problem of every file; exits 1 if there is any.

import { join } from "node:path";
import { formatProblems } from "../lib/problems";
import { checkStackConfig, readDeclarations } from "../lib/stackFileChecks";
import { listStacks, readStackFile } from "../lib/stackFiles";

const projectDir = join(__dirname, "..");
const stacksDir = process.argv[2] ?? projectDir;
const declarations = readDeclarations(projectDir);

// The same stack files the review commands offer (dotted stack names included).
const stacks = listStacks(stacksDir);
let failed = false;
for (const stack of stacks) {
  const file = `Pulumi.${stack}.yaml`;
  let config: Record<string, unknown>;
  try {
    config = readStackFile(stacksDir, stack);
  } catch (error) {
    // readStackFile's message gives the position only, never the line's text.
    failed = true;
    console.error((error as Error).message);
    continue;
  }
  const problems = checkStackConfig(stack, config, declarations);
  if (problems.length === 0) {
    console.log(`${file}: ok`);
  } else {
    failed = true;
    console.error(formatProblems(problems, file, "fix them before pulumi up"));
  }
}
if (stacks.length === 0) {
  console.error(`no Pulumi.<stack>.yaml in ${stacksDir}`);
  failed = true;
}
process.exitCode = failed ? 1 : 0;

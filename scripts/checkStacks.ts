// `npm run check:stacks [-- DIR]`: checks every Pulumi.<stack>.yaml in DIR (default: the project)
// against Pulumi.yaml and prints every problem of every file; exits 1 if there is any.

import { PROJECT_DIR } from "../review/engine/programFacts";
import { checkStackFiles } from "../review/stackFileChecks";

process.exitCode = checkStackFiles(PROJECT_DIR, process.argv[2] ?? PROJECT_DIR);

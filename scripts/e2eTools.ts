// npm run e2e:tools: builds the end-to-end run's tools into the cache (see e2e/buildTools.ts).

import { ToolBuildError, buildTools } from "../e2e/buildTools";

try {
  buildTools((line) => process.stdout.write(`e2e:tools: ${line}\n`));
} catch (error) {
  process.stderr.write(
    `e2e:tools: ${error instanceof ToolBuildError ? error.message : String((error as Error).stack)}\n`,
  );
  process.exitCode = 1;
}

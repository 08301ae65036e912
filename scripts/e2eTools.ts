// npm run e2e:tools [-- --check]: builds the end-to-end run's tools into the cache (see
// e2e/buildTools.ts). With --check, builds nothing: says whether every tool is built, exit 0 or 1.

import { ToolBuildError, buildTools } from "../e2e/buildTools";
import { cacheRoot, toolPath } from "../e2e/toolchain";

if (process.argv.includes("--check")) {
  const { missing } = toolPath();
  process.stdout.write(
    missing.length === 0
      ? `e2e:tools: every tool is built (${cacheRoot()})\n`
      : `e2e:tools: not built: ${missing.join(", ")}\n`,
  );
  process.exitCode = missing.length === 0 ? 0 : 1;
} else {
  try {
    buildTools((line) => process.stdout.write(`e2e:tools: ${line}\n`));
  } catch (error) {
    process.stderr.write(
      `e2e:tools: ${error instanceof ToolBuildError ? error.message : String((error as Error).stack)}\n`,
    );
    process.exitCode = 1;
  }
}

// npm run e2e:tools [-- --check]: installs the Debian packages the node needs and builds the
// end-to-end run's tools into the cache (see e2e/harness/buildTools.ts). With --check, installs and builds
// nothing: says whether every package is installed and every tool built, exit 0 or 1.

import { ToolBuildError, buildTools } from "../e2e/harness/buildTools";
import { missingNodePackages } from "../e2e/harness/debianPackages";
import { cacheRoot, toolPath } from "../e2e/harness/toolchain";
import { parseOptions, runCommand } from "../review/cli";

const USAGE = `npm run e2e:tools [-- --check]

Installs the Debian packages the node needs (containerd, runc, CNI plugins; as root) and builds
the end-to-end run's tools into the cache, each only if missing (15 to 35 minutes cold).
  --check  installs and builds nothing: says what is missing; exit 0 when nothing is`;

runCommand(() => {
  const { flags } = parseOptions(USAGE, [], ["check"]);
  if (flags.has("check")) {
    check();
  } else {
    build();
  }
  return Promise.resolve();
});

function check(): void {
  const { missing } = toolPath();
  const packages = missingNodePackages();
  process.stdout.write(
    missing.length === 0
      ? `e2e:tools: every tool is built (${cacheRoot()})\n`
      : `e2e:tools: not built: ${missing.join(", ")}\n`,
  );
  process.stdout.write(
    packages.missing.length === 0
      ? "e2e:tools: every Debian package the node needs is installed\n"
      : `e2e:tools: Debian packages ${packages.unknown ? "not checked (no dpkg)" : "not installed"}: ${packages.missing.join(", ")}\n`,
  );
  process.exitCode = missing.length === 0 && packages.missing.length === 0 ? 0 : 1;
}

function build(): void {
  try {
    buildTools((line) => process.stdout.write(`e2e:tools: ${line}\n`));
  } catch (error) {
    process.stderr.write(
      `e2e:tools: ${error instanceof ToolBuildError ? error.message : String((error as Error).stack)}\n`,
    );
    process.exitCode = 1;
  }
}

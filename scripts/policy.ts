// npm run policy -- STACK [--config FILE]
// The policy pack (policy/) on STACK's offline run (review/policy/offlinePolicies.ts): every violation,
// as `pulumi preview --policy-pack policy` would report it, with no Pulumi CLI, passphrase or
// cluster. FILE is a pack config, as `--policy-pack-config` takes. Exits 1 on a mandatory
// violation.

import { existsSync } from "node:fs";
import { parseCommandLine, runCommand } from "../review/cli";
import { PROJECT_DIR } from "../review/engine/programFacts";
import { UsageError } from "../review/usageError";

runCommand(async () => {
  const { stack, options } = parseCommandLine("npm run policy -- STACK [--config FILE]", [
    "config",
  ]);
  if (options.config !== undefined && !existsSync(options.config)) {
    throw new UsageError(`--config ${options.config}: no such file`);
  }
  // Loaded once the arguments are right (review/cli.ts).
  const { formatViolations, offlineViolations, packResources, readPackConfig } =
    await import("../review/policy/offlinePolicies");
  const { runStackOffline } = await import("../review/render/render");
  const config = options.config === undefined ? {} : readPackConfig(options.config);
  const { mocks } = await runStackOffline({ projectDir: PROJECT_DIR, stack });
  const violations = offlineViolations(packResources(mocks.resources, stack), config);
  process.stdout.write(formatViolations(violations, stack));
  if (violations.some(({ enforcementLevel }) => enforcementLevel === "mandatory")) {
    process.exitCode = 1;
  }
});

// npm run status -- STACK [--json] [--wait SECONDS]
// Which pods of STACK's app run which config, secret and file versions, read-only from its cluster
// (review/status/). Exit codes: 0 all pods current and Ready, 3 rollout in progress, 4 stale or
// failing, 1 when it cannot be told (no cluster, nothing deployed), 2 bad arguments. --wait polls
// until all are current or SECONDS pass, for CI after `pulumi up`. docs/status.md.

import { parseCommandLine, runCommand } from "../review/cli";
import { PROJECT_DIR } from "../review/engine/programFacts";
import { UsageError } from "../review/usageError";

const USAGE = `npm run status -- STACK [--json] [--wait SECONDS]

  --json          the report as JSON, for scripts
  --wait SECONDS  poll every 2 s until every pod is current and Ready, at most SECONDS

exit codes: 0 all pods run the current config, secrets and files and are Ready;
            3 rollout in progress; 4 stale or failing; 1 cannot tell; 2 bad arguments`;

const POLL_MILLISECONDS = 2000;

runCommand(async () => {
  const { stack, options, flags } = parseCommandLine(USAGE, ["wait"], ["json"]);
  const wait = options.wait === undefined ? 0 : Number(options.wait);
  if (!Number.isInteger(wait) || wait < 0 || wait > 86400) {
    throw new UsageError(`--wait takes whole seconds from 0 to 86400\nusage: ${USAGE}`);
  }
  const { readClusterView, statusTarget } = await import("../review/status/clusterRead");
  const { EXIT_CODES, statusReport } = await import("../review/status/rolloutStatus");
  const { formatStatus } = await import("../review/status/statusText");
  const target = statusTarget(PROJECT_DIR, stack);
  const deadline = Date.now() + wait * 1000;
  for (;;) {
    const now = new Date();
    const report = statusReport(readClusterView(target), target.namespace, now);
    if (report.state === "current" || Date.now() >= deadline) {
      process.stdout.write(
        flags.has("json")
          ? `${JSON.stringify({ stack, ...report }, null, 2)}\n`
          : formatStatus(report, stack, now),
      );
      process.exitCode = EXIT_CODES[report.state];
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MILLISECONDS));
  }
});

// npm run bench [-- --base REF] [--runs N]: the review commands' times (against REF's, if given),
// the peers, and component overhead; figures only (bench/bench.ts, docs/benchmarks.md). Not part
// of `npm test`: timings depend on the machine. The options are read before the benchmark loads.

import { parseOptions, runCommand } from "../review/cli";
import { UsageError } from "../review/usageError";

const USAGE = "npm run bench [-- --base REF] [--runs N]";

runCommand(async () => {
  const values = parseOptions(USAGE, ["base", "runs"]);
  const rounds = values.runs === undefined ? undefined : Number(values.runs);
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds >= 1)) {
    throw new UsageError(
      `--runs ${values.runs}: a whole number of runs, 1 or more\nusage: ${USAGE}`,
    );
  }
  const { runBenchmark } = await import("../bench/bench");
  runBenchmark({ base: values.base, rounds });
});

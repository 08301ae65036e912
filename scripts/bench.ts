// npm run bench [-- --base REF] [--runs N]: the review commands' times (against REF's, if given),
// the peers, and component overhead; figures only (bench/bench.ts, docs/benchmarks.md). Not part
// of `npm test`: timings depend on the machine.

import { runBenchmark } from "../bench/bench";
import { runCommand } from "../review/cli";

runCommand(() => Promise.resolve(runBenchmark()));

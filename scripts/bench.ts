// npm run bench: render times and component overhead, figures only (bench/bench.ts,
// docs/benchmarks.md). Not part of `npm test`: timings depend on the machine.

import { runBenchmark } from "../bench/bench";

runBenchmark();

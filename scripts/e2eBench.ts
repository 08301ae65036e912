// npm run e2e:bench: real-engine timings of our program against plain resources (e2e/harness/realEngineBench.ts).

import { benchmark } from "../e2e/harness/realEngineBench";
import { withPodCluster } from "../e2e/harness/run";
import { parseOptions, runCommand } from "../review/cli";

const USAGE = `npm run e2e:bench

Times our program against plain resources on the real engine and a cluster whose pods run, and
prints the figures (docs/benchmarks.md). Takes no options; needs npm run e2e:tools first.`;

runCommand(async () => {
  parseOptions(USAGE, []);
  process.exitCode = await withPodCluster("e2e:bench", async (environment) => {
    await benchmark(environment, (line) => process.stdout.write(`e2e:bench: ${line}\n`));
    return 0;
  });
});

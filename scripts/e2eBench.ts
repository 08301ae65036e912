// npm run e2e:bench: real-engine timings of our program against plain resources (e2e/bench.ts).

import { benchmark } from "../e2e/bench";
import { withPodCluster } from "../e2e/run";

void withPodCluster("e2e:bench", async (environment) => {
  await benchmark(environment, (line) => process.stdout.write(`e2e:bench: ${line}\n`));
  return 0;
}).then((code) => {
  process.exitCode = code;
});

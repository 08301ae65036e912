// @ts-check
// Preloaded into every Node process of a timed command (NODE_OPTIONS=--require, bench/processes.ts):
// appends the process's peak resident memory, in KiB, to the file $TASK_API_BENCH_RSS at exit, so
// that the benchmark reports the largest process of the command (npm runs the script in a child).
// Plain JavaScript: it also runs in processes that start with ts-node, before any TypeScript.

"use strict";

const file = process.env.TASK_API_BENCH_RSS;
if (file) {
  process.on("exit", () => {
    require("node:fs").appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
  });
}

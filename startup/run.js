// @ts-check
// `node startup/run.js FILE.ts ARGS...`: how the npm scripts start (package.json). Runs a
// TypeScript entry point as ts-node would, only faster (issue 13, docs/benchmarks.md): the compiled
// JavaScript comes from a cache (compileCache.js), the SDK's unused heavy libraries load on first
// use (lazyModules.js), and Node keeps the bytecode of what it compiled where it can. The script
// sees the arguments as under ts-node: process.argv is [node, FILE.ts, ARGS...].

"use strict";

const { resolve } = require("node:path");
const { installStartup } = require("./installStartup");

const [node, , entry, ...args] = process.argv;
if (entry === undefined) {
  process.stderr.write("usage: node startup/run.js FILE.ts [ARGS...]\n");
  process.exit(2);
}
installStartup();
const script = resolve(entry);
process.argv = [node, script, ...args];
require(script);

// @ts-check
// `node review/startup/run.js FILE.ts ARGS...`: how the npm scripts start (package.json). Runs a
// TypeScript entry point as ts-node would, only faster (issue 13, docs/benchmarks.md): the compiled
// JavaScript comes from a cache (compileCache.js), the SDK's unused heavy libraries load on first
// use (lazyModules.js), and Node keeps the bytecode of what it compiled where it can. The script
// sees the arguments as under ts-node: process.argv is [node, FILE.ts, ARGS...].

"use strict";

const Module = require("node:module");
const { join, resolve } = require("node:path");
const { installCompileCache } = require("./compileCache");
const { installLazySdkModules } = require("./lazyModules");
const { installUserlandPunycode } = require("./userlandPunycode");

const PROJECT_DIR = join(__dirname, "..", "..");

const [node, , entry, ...args] = process.argv;
if (entry === undefined) {
  process.stderr.write("usage: node review/startup/run.js FILE.ts [ARGS...]\n");
  process.exit(2);
}
// Node 22.1 and later keep the V8 bytecode of every module they compile (the SDK's 700 and ours),
// checked against each file's contents: about a fifth of a render's start on Node 24
// (docs/benchmarks.md; https://nodejs.org/api/module.html#moduleenablecompilecachedirectory).
// Older Node has no such function, and only misses the gain.
Module.enableCompileCache?.(join(PROJECT_DIR, "node_modules", ".cache", "node-compile-cache"));
installCompileCache(PROJECT_DIR);
installLazySdkModules(PROJECT_DIR);
installUserlandPunycode();
const script = resolve(entry);
process.argv = [node, script, ...args];
require(script);

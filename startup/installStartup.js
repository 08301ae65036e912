// @ts-check
// The start-up both entry points install before they load any TypeScript: the npm scripts
// (run.js) and the engine's `pulumi preview` and `pulumi up` (engineMain.js). Each part says why
// in its own file; together they make a render start in about a third of the time ts-node took
// (issue 13, docs/benchmarks.md).

"use strict";

const Module = require("node:module");
const { join } = require("node:path");
const { installCompileCache } = require("./compileCache");
const { installLazySdkModules } = require("./lazyModules");
const { installUserlandPunycode } = require("./userlandPunycode");

const PROJECT_DIR = join(__dirname, "..");

function installStartup() {
  // Node 22.1 and later keep the V8 bytecode of every module they compile (the SDK's 700 and
  // ours), checked against each file's contents: about a fifth of a render's start on Node 24
  // (docs/benchmarks.md; https://nodejs.org/api/module.html#moduleenablecompilecachedirectory).
  // Older Node has no such function, and only misses the gain.
  Module.enableCompileCache?.(join(PROJECT_DIR, "node_modules", ".cache", "node-compile-cache"));
  installCompileCache(PROJECT_DIR);
  installLazySdkModules(PROJECT_DIR);
  installUserlandPunycode();
}

module.exports = { installStartup };

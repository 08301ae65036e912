// @ts-check
// package.json's `main`: how `pulumi preview` and `pulumi up` start the program. Pulumi's Node.js
// host requires this file, and with `typescript: false` (Pulumi.yaml) registers no ts-node
// (pulumi/pulumi sdk/nodejs/cmd/run/run.ts); it gets the start-up the npm scripts have
// (installStartup.js), then the program. Under ts-node the engine compiled our files on every run:
// loading the program cost 0.80 s against 0.14 s this way, and `pulumi up` loads it twice, for its
// preview and for the update (docs/benchmarks.md). The program's outputs are this module's
// exports, which the host reads as the stack's outputs.

"use strict";

const sourceMapSupport = require("source-map-support");
const { compiledOutput } = require("./compileCache");
const { installStartup } = require("./installStartup");

installStartup();
// The host maps every stack trace with source-map-support (pulumi/pulumi
// sdk/nodejs/cmd/run/index.ts requires source-map-support/register), which reads a file's source
// map from the file on disk. A .ts file has none: the JavaScript it ran as, its map inline, is
// handed over instead, as ts-node does, so that a crash, and the source position the SDK sends the
// engine with each resource, name the TypeScript's line rather than one about 10 lines further
// down.
sourceMapSupport.install({
  retrieveFile: (path) => compiledOutput(path) ?? null,
  handleUncaughtExceptions: false,
});
// Node tries the registered extensions, `.ts` among them, after `.js`: index.ts.
module.exports = require("../index");

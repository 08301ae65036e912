// @ts-check
// Pulumi.yaml's `main`: how `pulumi preview` and `pulumi up` start the program. Pulumi's Node.js
// host requires this file, and with `typescript: false` registers no ts-node
// (@pulumi/pulumi cmd/run/run.js); it gets the start-up the npm scripts have (installStartup.js),
// then the program. Under ts-node the engine compiled our files on every run and mapped every
// stack trace the SDK takes: loading the program cost 0.80 s against 0.14 s this way, and
// `pulumi up` loads it twice, for its preview and for the update (docs/benchmarks.md).
// The program's outputs are this module's exports, which the host reads as the stack's outputs.

"use strict";

const { installStartup } = require("./installStartup");

installStartup();
// Node tries the registered extensions, `.ts` among them, after `.js`: index.ts.
module.exports = require("../../index");

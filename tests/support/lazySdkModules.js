// @ts-check
// Jest's setupFiles (jest.config.js): in each test file, the SDK's libraries that the offline runs
// never call (startup/lazyModules.js, LAZY) are stand-ins that load the real library on first
// use, as in the npm scripts. Jest evaluates the SDK afresh for every test file, so TypeScript
// alone would cost each file about 0.3 s (docs/benchmarks.md).

"use strict";

const { LAZY, lazyModule } = require("../../startup/lazyModules");

for (const name of LAZY) {
  jest.mock(name, () => lazyModule(() => jest.requireActual(name)));
}

// @ts-check
// Jest's setupFilesAfterEnv (jest.config.js): the stack traces the Pulumi SDK takes for its own
// records are left as V8 writes them, without source maps. The SDK takes one for every tracked
// promise and every resource (`debuggablePromise` and `Resource.stackTrace`, `new Error().stack`),
// and Jest maps every trace through source-map-support, up to 100 frames each (jest-runner's
// runTest.js sets Error.stackTraceLimit = 100): two thirds of a program run under Jest. The npm
// scripts skip source maps for the same reason (startup/compileCache.js). A trace is
// judged by the frame it starts in: one that starts in a test or in our code, a failing
// assertion's included, is mapped to the TypeScript as before; one that starts in the SDK (an
// error it throws, such as Config.require's) is left unmapped as a whole, its test frames showing
// the lines of the compiled JavaScript.

"use strict";

const { sep } = require("node:path");

const SDK = ["", "node_modules", "@pulumi", "pulumi", ""].join(sep);

// Of such a trace, the frames Node keeps outside Jest (Error.stackTraceLimit, 10 by default:
// https://nodejs.org/api/errors.html#errorstacktracelimit): writing out Jest's 100 took 0.3 s of
// the 7.6 s the program and render tests take, for records the SDK prints only when it reports a
// leaked promise.
const SDK_FRAMES = 10;

const mapped = Error.prepareStackTrace;
if (mapped !== undefined) {
  /** @type {(error: Error, callSites: (NodeJS.CallSite & { toString(): string })[]) => unknown} */
  Error.prepareStackTrace = (error, callSites) =>
    callSites[0]?.getFileName()?.includes(SDK)
      ? // A call site's toString() is V8's text of the frame.
        [
          String(error),
          ...callSites.slice(0, SDK_FRAMES).map((site) => `    at ${site.toString()}`),
        ].join("\n")
      : /** @type {unknown} */ (mapped(error, callSites));
}

// npm run e2e [-- JEST_ARGS]: the end-to-end tests against the real CLI and a real API server.

import { helpRequested } from "../review/cli";
import { runEndToEnd } from "../e2e/harness/run";

const USAGE = `npm run e2e [-- JEST_ARGS]

Runs the end-to-end tests (e2e/*.e2e.test.ts) against the real Pulumi CLI, a real API server and
a node whose pods run (docs/e2e.md), after npm run e2e:tools has built the tools. JEST_ARGS go to
Jest as they are, e.g. a test file (npm run e2e -- e2e/status.e2e.test.ts) or -t PATTERN.`;

if (!helpRequested(USAGE, process.argv.slice(2))) {
  void runEndToEnd(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

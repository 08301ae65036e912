// npm run e2e [-- JEST_ARGS]: the end-to-end tests against the real CLI and a real API server.

import { runEndToEnd } from "../e2e/run";

void runEndToEnd(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

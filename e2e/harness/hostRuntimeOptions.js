// @ts-check
// What the end-to-end run's Node.js language host starts instead of @pulumi/pulumi/cmd/run
// (PULUMI_LANGUAGE_NODEJS_RUN_PATH, which that host reads: pulumi/pulumi
// sdk/nodejs/cmd/pulumi-language-nodejs/main.go at v3.68.0, Run). That host, the newest the Go
// module proxy serves (docs/e2e.md, "The Node.js language host"), always sets
// PULUMI_NODEJS_TYPESCRIPT=true: it took Pulumi.yaml's `runtime.options` as command-line flags,
// which the engine stopped passing in v3.209.0 (pulumi/pulumi#21054). The SDK registers ts-node when
// that variable is "true" (sdk/nodejs/cmd/run/run.ts). Current hosts read the options from the
// ProgramInfo the engine sends with Run, and set the variable only for `typescript: true`, the
// default (main.go at v3.260.0, parseOptions and execRuntime). This file does what they do with
// `typescript`, then hands over to the SDK's own cmd/run, found from the program's folder as the
// host finds it: the program then starts as it does under the CLI our users run.

"use strict";

const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { parse } = require("yaml");

// The program's folder, as the host passes it (constructArguments); Pulumi.yaml's too, as no
// project here names a `main:` elsewhere.
const pwd = process.argv.indexOf("--pwd");
const projectDir = pwd > 0 ? process.argv[pwd + 1] : process.cwd();
/** @type {unknown} */
const parsed = parse(readFileSync(join(projectDir, "Pulumi.yaml"), "utf8"));
const project = /** @type {{ runtime?: string | { options?: Record<string, unknown> } }} */ (
  parsed
);
const options = typeof project.runtime === "object" ? (project.runtime.options ?? {}) : {};
const { typescript = true, nodeargs } = options;
if (typeof typescript !== "boolean") {
  throw new Error("Pulumi.yaml: runtime.options.typescript must be a boolean");
}
// The other options the host acts on at Run: tsconfig reaches the SDK as an environment variable,
// nodeargs as Node's own arguments, which a file already running cannot take.
if (nodeargs !== undefined) {
  throw new Error(
    "e2e/harness/hostRuntimeOptions.js: runtime.options.nodeargs is not passed on here",
  );
}
if (typeof options.tsconfig === "string") {
  process.env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
}
if (typescript) {
  process.env.PULUMI_NODEJS_TYPESCRIPT = "true";
} else {
  delete process.env.PULUMI_NODEJS_TYPESCRIPT;
}
require(require.resolve("@pulumi/pulumi/cmd/run", { paths: [projectDir] }));

// The Node.js language host of the end-to-end run is the release of sdk/v3 v3.68.0, older than the
// CLI (docs/e2e.md, "The Node.js language host"). What the other files rely on, held here with a
// project of no resources (no cluster): the host is the one built next to the CLI, and a program
// starts as under the CLI's own host, ts-node registered only when Pulumi.yaml asks for it.

import { randomBytes } from "node:crypto";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PulumiCli, e2eEnvironment } from "./harness/pulumiCli";
import { REPO_DIR } from "./harness/toolchain";

const e2e = e2eEnvironment();
const projectDir = join(e2e.workDir, "language-host");
const stackArgs = ["--stack", "probe", "--non-interactive"];
let cli: PulumiCli;
const summary: string[] = [];

/** What the program saw of its start-up: the variable the SDK reads, and whether ts-node ran. */
const PROBE = `"use strict";
exports.probe = {
  PULUMI_NODEJS_TYPESCRIPT: process.env.PULUMI_NODEJS_TYPESCRIPT ?? null,
  tsNodeLoaded: Object.keys(require.cache).some((file) => file.includes("/node_modules/ts-node/")),
  tsExtension: ".ts" in require.extensions,
};
`;

function writeProject(typescript: boolean): void {
  writeFileSync(
    join(projectDir, "Pulumi.yaml"),
    `name: language-host-probe\nruntime:\n  name: nodejs\n  options:\n    typescript: ${typescript}\n`,
  );
}

async function probe(): Promise<Record<string, unknown>> {
  const up = await cli.ok(["up", "--yes", ...stackArgs]);
  expect(up.stderr).toBe("");
  const outputs = JSON.parse(
    (await cli.ok(["stack", "output", "--json", ...stackArgs])).stdout,
  ) as {
    probe: Record<string, unknown>;
  };
  return outputs.probe;
}

beforeAll(async () => {
  mkdirSync(projectDir, { recursive: true });
  writeFileSync(join(projectDir, "index.js"), PROBE);
  writeFileSync(
    join(projectDir, "package.json"),
    '{ "name": "language-host-probe", "main": "index.js" }\n',
  );
  symlinkSync(join(REPO_DIR, "node_modules"), join(projectDir, "node_modules"), "dir");
  writeProject(false);
  cli = new PulumiCli(projectDir, e2e, randomBytes(24).toString("hex"));
  await cli.initStack("probe");
});

afterAll(() => {
  process.stdout.write(
    `e2e language host: what was observed:\n${summary.map((l) => `  ${l}`).join("\n")}\n`,
  );
});

test("the language host is the one built next to the CLI, sdk/v3 v3.68.0, and no command warns that it came from PATH", async () => {
  const about = await cli.ok(["about", "--json", ...stackArgs]);
  const plugins =
    (JSON.parse(about.stdout) as { plugins?: { name: string; kind: string; version: string }[] })
      .plugins ?? [];
  const host = plugins.find((plugin) => plugin.kind === "language" && plugin.name === "nodejs");
  summary.push(`pulumi about: language plugin nodejs ${host?.version}`);
  expect(host?.version).toBe("3.68.0");
  expect(`${about.stdout}${about.stderr}`).not.toContain("from $PATH");
});

test("typescript: false starts the program without ts-node, as the CLI's own host does", async () => {
  writeProject(false);
  const seen = await probe();
  summary.push(`typescript: false: ${JSON.stringify(seen)}`);
  expect(seen).toEqual({ PULUMI_NODEJS_TYPESCRIPT: null, tsNodeLoaded: false, tsExtension: false });
});

test("typescript: true (the default) has the SDK register ts-node, as the CLI's own host does", async () => {
  writeProject(true);
  const seen = await probe();
  summary.push(`typescript: true: ${JSON.stringify(seen)}`);
  expect(seen).toEqual({ PULUMI_NODEJS_TYPESCRIPT: "true", tsNodeLoaded: true, tsExtension: true });
});

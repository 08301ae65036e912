// How the npm scripts start (review/startup/): each .ts file compiled once into a cache that never
// serves the JavaScript of an older text, and the Pulumi SDK's unused heavy libraries (TypeScript,
// npm's Arborist and others) loaded only when something uses them. Speed itself is the benchmark's business
// (npm run bench, docs/benchmarks.md); these tests hold what the speed must not cost.

import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR } from "../../review/engine/programFacts";
import { LAZY } from "../../review/startup/lazyModules";
import { removeTempDirs, tempDir } from "../support/offline";

afterAll(removeTempDirs);

const RUN = join(PROJECT_DIR, "review", "startup", "run.js");

type Run = { status: number | null; stdout: string; stderr: string };

/** `node review/startup/run.js ARGS...`, as the npm scripts start. */
function run(...args: string[]): Run {
  return runWithNodeOptions([], ...args);
}

function runWithNodeOptions(nodeOptions: string[], ...args: string[]): Run {
  const result = spawnSync(process.execPath, [...nodeOptions, RUN, ...args], {
    cwd: PROJECT_DIR,
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("an edited .ts file runs as edited, never as the cached JavaScript of its old text", () => {
  const file = join(tempDir(), "greeting.ts");
  const program = (word: string) =>
    `const word: string = ${JSON.stringify(word)};\nprocess.stdout.write(word);\n`;
  writeFileSync(file, program("before"));
  expect(run(file).stdout).toBe("before");
  expect(run(file).stdout).toBe("before");
  writeFileSync(file, program("after"));
  expect(run(file).stdout).toBe("after");
});

test("the script sees its arguments as under ts-node, and its exit code is the command's", () => {
  const file = join(tempDir(), "arguments.ts");
  writeFileSync(
    file,
    "process.stdout.write(JSON.stringify(process.argv.slice(1)));\nprocess.exitCode = 3;\n",
  );
  expect(run(file, "staging", "--out", "x")).toEqual({
    status: 3,
    stdout: JSON.stringify([file, "staging", "--out", "x"]),
    stderr: "",
  });
});

test("a render loads none of the libraries left to first use, and the SDK still gets the real TypeScript when it uses it", () => {
  // Plain JavaScript, so that it needs no compiling: the probe is not what is looked at.
  const probe = join(tempDir(), "probe.js");
  writeFileSync(
    probe,
    `const project = ${JSON.stringify(PROJECT_DIR)};
const lazy = ${JSON.stringify(LAZY)};
const { renderStack } = require(require("node:path").join(project, "review", "render.ts"));
const loaded = (dir) => Object.keys(require.cache).some((file) => file.includes(dir));
renderStack({ projectDir: project, stack: "staging" }).then(async (rendering) => {
  const afterRender = {
    objects: rendering.objects.length,
    loaded: lazy.filter((name) => loaded("/node_modules/" + name + "/")),
  };
  // Function serialisation is what the SDK has TypeScript for: it parses the function's text.
  const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [project] }));
  const serialized = await pulumi.runtime.serializeFunction(() => 6 * 7);
  process.stdout.write(JSON.stringify({
    afterRender,
    serialized: serialized.text.includes("6 * 7"),
    typescript: loaded("/node_modules/typescript/"),
  }));
});
`,
  );
  // The first run may compile (and so load TypeScript itself) if the cache is cold.
  run(probe);
  const { stdout, stderr } = run(probe);
  expect(stderr).toBe("");
  expect(JSON.parse(stdout)).toEqual({
    afterRender: { objects: 5, loaded: [] },
    serialized: true,
    typescript: true,
  });
});

test("a render loads the Kubernetes SDK's modules the program uses, not its index with every API group and helm, yaml and kustomize", () => {
  const probe = join(tempDir(), "probe.js");
  writeFileSync(
    probe,
    `const project = ${JSON.stringify(PROJECT_DIR)};
const { renderStack } = require(require("node:path").join(project, "review", "render.ts"));
renderStack({ projectDir: project, stack: "staging" }).then((rendering) => {
  const sdk = "/node_modules/@pulumi/kubernetes/";
  const files = Object.keys(require.cache)
    .filter((file) => file.includes(sdk))
    .map((file) => file.slice(file.indexOf(sdk) + sdk.length));
  process.stdout.write(JSON.stringify({
    objects: rendering.objects.length,
    groups: [...new Set(files.map((file) => file.split("/")[0]))].sort(),
    glob: Object.keys(require.cache).some((file) => file.includes("/node_modules/glob/")),
  }));
});
`,
  );
  const { stdout, stderr } = run(probe);
  expect(stderr).toBe("");
  const { objects, groups, glob } = JSON.parse(stdout) as {
    objects: number;
    groups: string[];
    glob: boolean;
  };
  expect(objects).toBe(5);
  expect(groups).toEqual(expect.arrayContaining(["apps", "core", "provider.js"]));
  // index.js is the package's own; batch stands for the API groups the program does not use.
  for (const unused of ["index.js", "helm", "yaml", "kustomize", "batch"]) {
    expect(groups).not.toContain(unused);
  }
  expect(glob).toBe(false);
});

test("a render prints no deprecation warning: the schema check's validator gets the userland punycode, not Node's deprecated built-in", () => {
  // Node 21 and later warn of the built-in on every run (DEP0040); Node 20 does with this option.
  const out = join(tempDir(), "rendered");
  const { status, stderr } = runWithNodeOptions(
    ["--pending-deprecation"],
    "scripts/render.ts",
    "staging",
    "--out",
    out,
  );
  expect(stderr).toBe("");
  expect(status).toBe(0);
});

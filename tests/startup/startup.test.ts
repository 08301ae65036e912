// How the npm scripts start (startup/): each .ts file compiled once into a cache that never
// serves the JavaScript of an older text, and the Pulumi SDK's unused heavy libraries (TypeScript,
// npm's Arborist and others) loaded only when something uses them. Speed itself is the benchmark's business
// (npm run bench, docs/benchmarks.md); these tests hold what the speed must not cost.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR } from "../../review/engine/programFacts";
import { LAZY } from "../../startup/lazyModules";
import { removeTempDirs, tempDir } from "../support/offline";
import { packageJson } from "../support/repository";

afterAll(removeTempDirs);

const RUN = join(PROJECT_DIR, "startup", "run.js");

type Run = { status: number | null; stdout: string; stderr: string };

/** `node startup/run.js ARGS...`, as the npm scripts start. */
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

test("a .ts file TypeScript cannot parse fails with TypeScript's message, naming the file, line and column", () => {
  const file = join(tempDir(), "broken.ts");
  writeFileSync(file, "const port: number = ;\n");
  const { status, stderr } = run(file);
  expect(status).toBe(1);
  // ts-node's error name, which Pulumi's host prints without the stack (compileCache.js).
  expect(stderr).toMatch(/TSError.*broken\.ts\(1,22\): error TS1109: Expression expected\./);
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

test("what pulumi up loads before the program is in the dependencies, as the program's own imports are (eslint.config.mjs)", () => {
  const dir = join(PROJECT_DIR, "startup");
  const packages = readdirSync(dir)
    .filter((file) => file.endsWith(".js"))
    .flatMap((file) => readFileSync(join(dir, file), "utf8").split("\n"))
    .filter((line) => !/^\s*(\/\/|\*)/.test(line))
    .flatMap((line) => [...line.matchAll(/require\("([^".][^"]*)"\)/g)])
    .map(([, request]) => request)
    .filter((request) => !request.startsWith("node:"));
  // The compiler (compileCache.js) and the source maps of the engine's traces (engineMain.js).
  expect([...new Set(packages)].sort()).toEqual(["source-map-support", "typescript"]);
  const { dependencies = {} } = packageJson();
  for (const name of packages) {
    expect(dependencies).toHaveProperty([name]);
  }
});

interface RenderProbe {
  /** The probe's stderr: any warning printed on the way. */
  readonly stderr: string;
  readonly objects: number;
  /** The libraries of LAZY that the render loaded. */
  readonly lazyLoaded: string[];
  /** The first path segment of each @pulumi/kubernetes module loaded, e.g. "core". */
  readonly kubernetesParts: string[];
  readonly glob: boolean;
  /** Whether serializeFunction worked afterwards, and loaded the real TypeScript to do it. */
  readonly serialized: boolean;
  readonly typescript: boolean;
}

let probed: RenderProbe | undefined;

/** How many files the compile cache holds (startup/compileCache.js: one folder per digest's first two characters). */
function compiledFiles(): number {
  const cache = join(PROJECT_DIR, "node_modules", ".cache", "task-api-ts");
  const folders = existsSync(cache) ? readdirSync(cache) : [];
  return folders.reduce((count, folder) => count + readdirSync(join(cache, folder)).length, 0);
}

/**
 * One render of staging in a process of its own, started as the npm scripts start (with Node's
 * --pending-deprecation, so that Node 20 warns of what Node 21 and later always warn of), and
 * what it loaded; then a function serialised, which is what the SDK has TypeScript for.
 */
function renderProbe(): RenderProbe {
  if (probed !== undefined) {
    return probed;
  }
  // Plain JavaScript, so that it needs no compiling: the probe is not what is looked at.
  const probe = join(tempDir(), "probe.js");
  writeFileSync(
    probe,
    `const project = ${JSON.stringify(PROJECT_DIR)};
const lazy = ${JSON.stringify(LAZY)};
const { renderStack } = require(require("node:path").join(project, "review", "render", "render.ts"));
const files = () => Object.keys(require.cache);
const loaded = (dir) => files().some((file) => file.includes(dir));
const sdk = "/node_modules/@pulumi/kubernetes/";
renderStack({ projectDir: project, stack: "staging" }).then(async (rendering) => {
  const afterRender = {
    objects: rendering.objects.length,
    lazyLoaded: lazy.filter((name) => loaded("/node_modules/" + name + "/")),
    kubernetesParts: [...new Set(files()
      .filter((file) => file.includes(sdk))
      .map((file) => file.slice(file.indexOf(sdk) + sdk.length).split("/")[0]))].sort(),
    glob: loaded("/node_modules/glob/"),
  };
  const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [project] }));
  const serialized = await pulumi.runtime.serializeFunction(() => 6 * 7);
  process.stdout.write(JSON.stringify({
    ...afterRender,
    serialized: serialized.text.includes("6 * 7"),
    typescript: loaded("/node_modules/typescript/"),
  }));
});
`,
  );
  // A run that compiled loaded TypeScript itself, so it is run again, from the cache. (Another
  // test's process compiling meanwhile only costs a run more; a few, at most.)
  const probeOnce = () => {
    const before = compiledFiles();
    const result = runWithNodeOptions(["--pending-deprecation"], probe);
    return { result, compiled: compiledFiles() !== before };
  };
  let { result, compiled } = probeOnce();
  for (let retries = 3; compiled && retries > 0; retries--) {
    ({ result, compiled } = probeOnce());
  }
  const { stdout, stderr } = result;
  probed = { stderr, ...(JSON.parse(stdout) as Omit<RenderProbe, "stderr">) };
  return probed;
}

test("a render loads none of the libraries left to first use, and the SDK still gets the real TypeScript when it uses it", () => {
  const { objects, lazyLoaded, serialized, typescript } = renderProbe();
  expect({ objects, lazyLoaded, serialized, typescript }).toEqual({
    objects: 5,
    lazyLoaded: [],
    serialized: true,
    typescript: true,
  });
});

test("a render loads the Kubernetes SDK's modules the program uses, not its index with every API group and helm, yaml and kustomize", () => {
  const { kubernetesParts, glob } = renderProbe();
  expect(kubernetesParts).toEqual(expect.arrayContaining(["apps", "core", "provider.js"]));
  // index.js is the package's own; batch stands for the API groups the program does not use.
  for (const unused of ["index.js", "helm", "yaml", "kustomize", "batch"]) {
    expect(kubernetesParts).not.toContain(unused);
  }
  expect(glob).toBe(false);
});

test("a render prints no deprecation warning: the schema check's validator gets the userland punycode, not Node's deprecated built-in", () => {
  expect(renderProbe().stderr).toBe("");
});

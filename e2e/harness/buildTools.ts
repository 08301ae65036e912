// Builds the end-to-end run's tools into the cache: each Go tool from its wrapper module with the
// machine's own Go (GOTOOLCHAIN=local, CGO_ENABLED=0), and Node from the npm registry. A tool
// already built from the same wrapper is skipped. Each build lands in a temporary folder renamed
// into place at the end, so an interrupted build never looks finished.

import { spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { PackageInstallError, installNodePackages } from "./debianPackages";
import {
  BUILD_RECORD,
  BuildRecord,
  GO_TOOLS,
  GoBuild,
  GoTool,
  NODE_VERSION,
  WRAPPERS_DIR,
  cacheRoot,
  goBuilds,
  goToolDir,
  goToolVersion,
  nodeDir,
  nodePackageName,
  readBuildRecord,
  wrapperDigest,
} from "./toolchain";

/** A failure whose message is the whole story (which tool, which module, what to do). */
export class ToolBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolBuildError";
  }
}

/** What the go command prints when the proxy refuses a module, e.g. `.../@v/v1.2.3.zip: 403 Forbidden`. */
const PROXY_REFUSAL =
  /reading (https?:\/\/\S+?)\/(\S+)\/@v\/(\S+?)\.(?:info|mod|zip): (\d{3}[^\n]*)/;

/** The module path as the proxy protocol escapes it: `!x` stands for `X` (go.dev/ref/mod#goproxy-protocol). */
function unescapeModulePath(escaped: string): string {
  return escaped.replace(/!([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** What `go` printed, as a message that names the tool and the wrapper it built (its first unless said). */
export function explainGoFailure(tool: GoTool, output: string, wrapper = tool.wrapper): string {
  const refusal = PROXY_REFUSAL.exec(output);
  const where = `e2e/tools/${wrapper}/go.mod`;
  if (refusal) {
    const [, proxy, module, version, status] = refusal;
    return (
      `${tool.name}: the Go module proxy (${proxy}) refused ${unescapeModulePath(module)}@${version}` +
      ` (${status}). Pin a version it serves in ${where}; list them with` +
      ` \`go list -m -versions ${unescapeModulePath(module)}\`.`
    );
  }
  const lines = output.trim().split("\n");
  return `${tool.name}: go build failed (${where}):\n${lines.slice(-15).join("\n")}`;
}

function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
) {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new ToolBuildError(
      missing ? `\`${command}\` is not installed: the e2e tools need it` : result.error.message,
    );
  }
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

const GO_ENV = {
  ...process.env,
  GOTOOLCHAIN: "local",
  CGO_ENABLED: "0",
  // The committed go.sum must already hold every module: a build never edits a wrapper.
  GOFLAGS: "-mod=readonly",
};

/** The folder of a required module in the module cache, downloading it if needed. */
function moduleDir(tool: GoTool, build: GoBuild, buildDir: string, module: string): string {
  const listed = run("go", ["list", "-m", "-json", module], { cwd: buildDir, env: GO_ENV });
  if (!listed.ok) {
    throw new ToolBuildError(explainGoFailure(tool, listed.output, build.wrapper));
  }
  const { Dir, Version } = JSON.parse(listed.output) as { Dir?: string; Version: string };
  if (Dir) {
    return Dir;
  }
  const downloaded = run("go", ["mod", "download", "-json", `${module}@${Version}`], {
    cwd: buildDir,
    env: GO_ENV,
  });
  if (!downloaded.ok) {
    throw new ToolBuildError(explainGoFailure(tool, downloaded.output, build.wrapper));
  }
  return (JSON.parse(downloaded.output) as { Dir: string }).Dir;
}

/** Builds each of the tool's wrapper modules in turn, all into the staging folder's `bin/`. */
function buildGoTool(tool: GoTool, stagingDir: string): void {
  const binDir = join(stagingDir, "bin");
  mkdirSync(binDir);
  for (const { build, version } of goBuilds(tool)) {
    const buildDir = join(stagingDir, "src");
    cpSync(join(WRAPPERS_DIR, build.wrapper), buildDir, { recursive: true });
    if (build.moduleFiles) {
      const from = moduleDir(tool, build, buildDir, build.moduleFiles.module);
      for (const file of build.moduleFiles.files) {
        cpSync(join(from, file), join(buildDir, file.split("/").pop() ?? file));
      }
    }
    const linkerValues = build.linkerValues?.(version) ?? {};
    const ldflags = [
      "-s",
      "-w",
      ...Object.entries(linkerValues).map(([name, value]) => `-X ${name}=${value}`),
    ].join(" ");
    const built = run(
      "go",
      ["build", "-trimpath", "-ldflags", ldflags, "-o", `${binDir}/`, ...build.packages],
      { cwd: buildDir, env: GO_ENV },
    );
    if (!built.ok) {
      throw new ToolBuildError(explainGoFailure(tool, built.output, build.wrapper));
    }
    rmSync(buildDir, { recursive: true, force: true });
  }
}

/** Node from the npm registry: `npm pack` checks the tarball against the registry's integrity. */
function fetchNode(stagingDir: string): void {
  const spec = `${nodePackageName()}@${NODE_VERSION}`;
  const packed = run("npm", ["pack", spec, "--pack-destination", stagingDir, "--json"], {
    cwd: stagingDir,
  });
  if (!packed.ok) {
    throw new ToolBuildError(`node: npm could not fetch ${spec}:\n${packed.output.trim()}`);
  }
  const [{ filename }] = JSON.parse(packed.output.slice(packed.output.indexOf("["))) as {
    filename: string;
  }[];
  const unpacked = run("tar", ["-xzf", join(stagingDir, filename), "-C", stagingDir]);
  if (!unpacked.ok) {
    throw new ToolBuildError(`node: could not unpack ${filename}:\n${unpacked.output}`);
  }
  renameSync(join(stagingDir, "package", "bin"), join(stagingDir, "bin"));
  rmSync(join(stagingDir, "package"), { recursive: true, force: true });
  rmSync(join(stagingDir, filename));
}

const STAGING_PREFIX = ".building-";

/** Whether the build that made a staging folder (`.building-PID-xxxxxx`) is still running. */
function builderAlive(entry: string): boolean {
  const pid = Number(/^\.building-(\d+)-/.exec(entry)?.[1]);
  if (!pid) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

interface Step {
  readonly label: string;
  readonly dir: string;
  readonly version: string;
  readonly digest: string;
  readonly build: (stagingDir: string) => void;
}

function steps(): Step[] {
  return [
    {
      label: `node ${NODE_VERSION}`,
      dir: nodeDir(),
      version: NODE_VERSION,
      digest: nodePackageName(),
      build: fetchNode,
    },
    ...GO_TOOLS.map((tool) => {
      const version = goToolVersion(tool);
      return {
        label: `${tool.name} ${version}`,
        dir: goToolDir(tool),
        version,
        digest: wrapperDigest(tool),
        build: (stagingDir: string) => buildGoTool(tool, stagingDir),
      };
    }),
  ];
}

/** Builds what is missing; returns one line per tool, as it goes, through `report`. */
export function buildTools(report: (line: string) => void): void {
  // The node's runtime comes from the distribution (e2e/harness/debianPackages.ts): first, as it is quick
  // and needs root, which a builder without it learns before minutes of Go builds.
  try {
    installNodePackages(report);
  } catch (error) {
    if (error instanceof PackageInstallError) {
      throw new ToolBuildError(`debian packages: ${error.message}`);
    }
    throw error;
  }
  mkdirSync(cacheRoot(), { recursive: true });
  // What a build killed half-way (Ctrl-C) left behind; not what a build still running is making.
  for (const entry of readdirSync(cacheRoot())) {
    if (entry.startsWith(STAGING_PREFIX) && !builderAlive(entry)) {
      rmSync(join(cacheRoot(), entry), { recursive: true, force: true });
    }
  }
  const started = Date.now();
  for (const step of steps()) {
    const record = readBuildRecord(step.dir);
    if (record?.digest === step.digest) {
      report(`${step.label}: already built (${record.seconds} s, ${step.dir})`);
      continue;
    }
    const stagingDir = mkdtempSync(join(cacheRoot(), `${STAGING_PREFIX}${process.pid}-`));
    // A cold build of one tool takes minutes: say what is being built before it starts.
    report(`${step.label}: building (last built in ${record ? `${record.seconds} s` : "never"})`);
    const stepStarted = Date.now();
    try {
      step.build(stagingDir);
      const built: BuildRecord = {
        version: step.version,
        digest: step.digest,
        seconds: Math.round((Date.now() - stepStarted) / 1000),
        builtAt: new Date().toISOString(),
      };
      writeFileSync(join(stagingDir, BUILD_RECORD), `${JSON.stringify(built, null, 2)}\n`);
      rmSync(step.dir, { recursive: true, force: true });
      renameSync(stagingDir, step.dir);
      report(`${step.label}: built in ${built.seconds} s (${step.dir})`);
    } finally {
      rmSync(stagingDir, { recursive: true, force: true });
    }
  }
  report(`all tools ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

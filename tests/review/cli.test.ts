// review/cli.ts: how the review commands read their arguments and fail, as a person uses them.

import { parseCommandLine, runCommand } from "../../review/cli";
import { PROJECT_DIR } from "../../review/engine/programFacts";
import { listStacks } from "../../review/engine/stackFiles";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { scriptRun } from "../support/scriptProcesses";
import { removeTempDirs, tempDir } from "../support/offline";
import { UsageError } from "../../review/usageError";
import { StackFileError } from "../../lib/config/stackFile";

afterAll(removeTempDirs);

const USAGE = "npm run render -- STACK [--out DIR]";

function withArgs<T>(args: readonly string[], run: () => T): T {
  const saved = process.argv;
  process.argv = ["node", "render.ts", ...args];
  try {
    return run();
  } finally {
    process.argv = saved;
  }
}

function usageError(args: readonly string[]): string {
  try {
    withArgs(args, () => parseCommandLine(USAGE, ["out"]));
  } catch (error) {
    expect(UsageError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`expected ${args.join(" ")} to be refused`);
}

test("a stack name that is a path is refused before any file is read", () => {
  for (const stack of ["x/../../../tmp/y", "../staging", "/etc/passwd", ".."]) {
    expect(usageError([stack])).toContain("is not a stack name");
  }
});

test("an unknown flag gets did you mean, and the usage", () => {
  const message = usageError(["staging", "--otu", "dir"]);
  expect(message).toBe(`unknown option --otu; did you mean --out?\nusage: ${USAGE}`);
});

/** What runCommand wrote and the exit code it set, for a main that throws `error`. */
async function outcome(error: Error): Promise<{ out: string; err: string; code: unknown }> {
  const writes = { out: "", err: "" };
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    writes.out += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    writes.err += String(chunk);
    return true;
  });
  const saved = process.exitCode;
  try {
    runCommand(() => Promise.reject(error));
    await new Promise((resolve) => setImmediate(resolve));
    return { ...writes, code: process.exitCode };
  } finally {
    process.exitCode = saved;
    out.mockRestore();
    err.mockRestore();
  }
}

test("--help prints the usage to stdout and exits 0", async () => {
  const thrown = (() => {
    try {
      withArgs(["--help"], () => parseCommandLine(USAGE, ["out"]));
    } catch (error) {
      return error as Error;
    }
    throw new Error("expected --help to end the command");
  })();
  const { out, err, code } = await outcome(thrown);
  expect(out).toBe(`usage: ${USAGE}\n`);
  expect(err).toBe("");
  expect(code ?? 0).toBe(0);
});

test("an unreadable stack file is reported by its message alone, no stack trace", async () => {
  const { err, code } = await outcome(
    new StackFileError("Pulumi.staging.yaml: not valid YAML at line 2, column 3 (MISSING_CHAR)"),
  );
  expect(err).toBe("Pulumi.staging.yaml: not valid YAML at line 2, column 3 (MISSING_CHAR)\n");
  expect(code).toBe(1);
});

test("bench reads its options as the other commands do: --help, did you mean, exit 2", () => {
  const usage = "usage: npm run bench [-- --base REF] [--runs N]";
  expect(scriptRun(PROJECT_DIR, "bench", "--help")).toEqual({
    status: 0,
    stdout: `${usage}\n`,
    stderr: "",
  });
  expect(scriptRun(PROJECT_DIR, "bench", "--rusn", "3")).toEqual({
    status: 2,
    stdout: "",
    stderr: `unknown option --rusn; did you mean --runs?\n${usage}\n`,
  });
  expect(scriptRun(PROJECT_DIR, "bench", "--runs", "0")).toEqual({
    status: 2,
    stdout: "",
    stderr: `--runs 0: a whole number of runs, 1 or more\n${usage}\n`,
  });
});

test("each command reads its arguments before it loads the SDK: --help and a wrong stack answer at once", () => {
  // The script runs as its npm script starts it; the probe reports, at exit, whether any module of
  // the Pulumi SDK or its providers was loaded.
  const probe = join(tempDir(), "probe.js");
  writeFileSync(
    probe,
    `const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], script, ...args];
process.on("exit", () => {
  const sdk = Object.keys(require.cache).some((file) => file.includes("/node_modules/@pulumi/"));
  process.stderr.write("SDK loaded: " + sdk + "\\n");
});
require(script);
`,
  );
  const run = (script: string, ...args: string[]) => {
    const result = spawnSync(
      process.execPath,
      [join(PROJECT_DIR, "startup/run.js"), probe, join(PROJECT_DIR, "scripts", script), ...args],
      { cwd: PROJECT_DIR, encoding: "utf8" },
    );
    return { status: result.status, sdk: /SDK loaded: (\w+)/.exec(result.stderr)?.[1] };
  };
  for (const script of ["render.ts", "env.ts", "diff.ts", "checkStacks.ts", "bench.ts"]) {
    expect({ script, ...run(script, "--help") }).toEqual({ script, status: 0, sdk: "false" });
  }
  // render, env and diff read their stack with the same parseCommandLine.
  for (const script of ["render.ts", "checkStacks.ts"]) {
    expect({ script, ...run(script, "stagin") }).toEqual({ script, status: 2, sdk: "false" });
  }
  // And the probe sees the SDK when a command gets that far.
  expect(run("checkStacks.ts", "staging")).toEqual({ status: 0, sdk: "true" });
});

test("the e2e commands answer --help with their usage and start nothing; e2e:tools and e2e:bench refuse an unknown option", () => {
  for (const script of ["e2e", "e2e:tools", "e2e:bench"]) {
    const help = scriptRun(PROJECT_DIR, script, "--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^usage: npm run ${script}\\b`));
    expect(help.stderr).toBe("");
  }
  expect(scriptRun(PROJECT_DIR, "e2e:tools", "--help").stdout).toContain("--check");
  for (const script of ["e2e:tools", "e2e:bench"]) {
    const wrong = scriptRun(PROJECT_DIR, script, "--chek");
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/^unknown option --chek/);
    expect(wrong.stdout).toBe("");
  }
});

test("unusable paths get one line and exit 2: check:stacks --dir, render --out", () => {
  const dir = tempDir();
  expect(scriptRun(PROJECT_DIR, "check:stacks", "--dir", join(dir, "nowhere"))).toEqual({
    status: 2,
    stdout: "",
    stderr: `--dir ${join(dir, "nowhere")}: no such folder\n`,
  });
  const file = join(dir, "a-file");
  writeFileSync(file, "");
  // Any stack of the user's: the path is refused before the stack is rendered.
  const [stack] = listStacks(PROJECT_DIR);
  expect(scriptRun(PROJECT_DIR, "render", stack, "--out", file)).toEqual({
    status: 2,
    stdout: "",
    stderr: `--out ${file}: exists and is not a folder\n`,
  });
  expect(scriptRun(PROJECT_DIR, "render", stack, "--out", "/proc/task-api-x")).toEqual({
    status: 2,
    stdout: "",
    stderr: "--out /proc/task-api-x: cannot write there (ENOENT)\n",
  });
});

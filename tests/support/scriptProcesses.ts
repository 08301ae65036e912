// The npm scripts as processes, for the tests of what users and CI run: through `npm run`, as a
// user types it, or as the very command package.json gives the script, started without npm (the
// same process, without npm's own start-up of about 0.3 s; issue 13). Each command has a test
// through `npm run`; the others start it directly.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function spawned(command: string, args: readonly string[], cwd: string): CommandResult {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `npm run --silent ARGS...` in `cwd`. */
export function npmRun(cwd: string, ...args: string[]): CommandResult {
  return spawned("npm", ["run", "--silent", ...args], cwd);
}

/** What `npm run SCRIPT -- ARGS...` runs in `cwd`, read from its package.json, without npm. */
export function scriptRun(cwd: string, script: string, ...args: string[]): CommandResult {
  const { scripts } = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const [command, ...scriptArgs] = scripts[script].split(" ");
  // Every review command is `node FILE ARGS` (package.json); this Node, not whichever is on PATH.
  expect(command).toBe("node");
  return spawned(process.execPath, [...scriptArgs, ...args], cwd);
}

/** The command's stdout; fails the test with its stderr when it exits non-zero. */
export function succeeded(result: CommandResult): string {
  if (result.status !== 0) {
    throw new Error(`exit status ${result.status}:\n${result.stderr}`);
  }
  return result.stdout;
}

// One-off processes for `npm run bench`: a command's wall time as the user waits for it, with the
// peak memory of its largest Node process, run alternately with the command it is compared with
// (A B A B), so that both see the same load; and the checkout of an earlier commit to compare with.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const PEAK_MEMORY = join(__dirname, "peakMemory.js");

export interface ProcessRun {
  readonly wallMs: number;
  /** The largest Node process's peak resident memory; undefined for a program that is not Node. */
  readonly peakRssMiB?: number;
  readonly stdout: string;
}

export interface Command {
  readonly label: string;
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
}

/** Runs `command` once; throws with its stderr if it fails. */
export function timeProcess(command: Command): ProcessRun {
  const rssFile = join(mkdtempSync(join(tmpdir(), "task-api-bench-rss-")), "rss");
  try {
    const nodeOptions = `${process.env.NODE_OPTIONS ?? ""} --require ${JSON.stringify(PEAK_MEMORY)}`;
    const start = performance.now();
    const result = spawnSync(command.file, command.args, {
      cwd: command.cwd,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NODE_OPTIONS: nodeOptions.trim(), TASK_API_BENCH_RSS: rssFile },
    });
    const wallMs = performance.now() - start;
    if (result.status !== 0) {
      throw new Error(`${command.label}: exit status ${result.status}\n${result.stderr}`);
    }
    const peaks = existsSync(rssFile)
      ? readFileSync(rssFile, "utf8").trim().split("\n").map(Number)
      : [];
    return {
      wallMs,
      peakRssMiB: peaks.length > 0 ? Math.max(...peaks) / 1024 : undefined,
      stdout: result.stdout,
    };
  } finally {
    rmSync(join(rssFile, ".."), { recursive: true, force: true });
  }
}

/**
 * Runs each of `commands` once per round, in turn, for `rounds` rounds; returns each command's
 * runs in order. `progress` hears of every run.
 */
export function alternate(
  commands: readonly Command[],
  rounds: number,
  progress: (line: string) => void,
): ProcessRun[][] {
  const runs: ProcessRun[][] = commands.map(() => []);
  for (let round = 1; round <= rounds; round++) {
    const times = commands.map((command, i) => {
      const run = timeProcess(command);
      runs[i].push(run);
      return `${command.label} ${(run.wallMs / 1000).toFixed(2)} s`;
    });
    progress(`${round}/${rounds}: ${times.join(", ")}`);
  }
  return runs;
}

export interface Checkout {
  readonly commit: string;
  /** The project (the directory with Pulumi.yaml) in the checkout. */
  readonly projectDir: string;
  readonly remove: () => void;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
    .toString()
    .trim();
}

/**
 * `ref` checked out in a temporary clone that shares this repository's objects (the repository
 * and its worktrees are left untouched), with this checkout's node_modules linked in. A clone, not
 * an archive: `npm run diff` needs a repository and its `main` (as origin/main).
 */
export function checkoutAt(projectDir: string, ref: string): Checkout {
  const commit = git(projectDir, "rev-parse", "--verify", `${ref}^{commit}`);
  const top = git(projectDir, "rev-parse", "--show-toplevel");
  const prefix = git(projectDir, "rev-parse", "--show-prefix");
  const dir = mkdtempSync(join(tmpdir(), "task-api-bench-base-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    git(dir, "clone", "-q", "--shared", "--no-checkout", top, ".");
    git(dir, "checkout", "-q", "--detach", commit);
    const project = join(dir, prefix);
    symlinkSync(join(projectDir, "node_modules"), join(project, "node_modules"), "dir");
    return { commit, projectDir: project, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

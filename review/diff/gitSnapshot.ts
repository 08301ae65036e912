// The project as it was at a git commit, unpacked into a temporary directory with `git archive`
// (the repository and its worktrees are left untouched) and given this checkout's node_modules
// through a symlink, so that no install is needed and the old program shares the SDK with the
// renderer: both resolve `@pulumi/pulumi` to the same files, hence the same mock runtime.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../usageError";

export interface Snapshot {
  /** The commit, in full. */
  readonly commit: string;
  /** Where the project (the directory with Pulumi.yaml) is in the snapshot. */
  readonly projectDir: string;
  /** Removes the snapshot. */
  readonly remove: () => void;
}

function git(cwd: string, args: readonly string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

/**
 * The commit to compare with: `ref` if given, else the merge base of HEAD with `main` (or, in a
 * clone that has only the remote branch, `origin/main`): the commit a pull request starts from.
 * Throws a UsageError when the checkout does not hold it, as a shallow CI checkout often does not.
 */
export function baseCommit(projectDir: string, ref?: string): string {
  if (ref !== undefined) {
    try {
      return git(projectDir, ["rev-parse", "--verify", `${ref}^{commit}`]);
    } catch {
      throw new UsageError(
        `--base ${ref}: no such commit in this checkout${shallowHint(projectDir)}`,
      );
    }
  }
  for (const main of ["main", "origin/main"]) {
    try {
      return git(projectDir, ["merge-base", "HEAD", main]);
    } catch {
      // Try the next name; the error below names both.
    }
  }
  throw new UsageError(
    `no merge base of HEAD with main or origin/main in this checkout${shallowHint(projectDir)}; ` +
      "name the commit to compare with: --base REF (on a pull request's merge commit, " +
      "--base HEAD^1 is the base branch)",
  );
}

// actions/checkout fetches a single commit unless told otherwise, and a base outside the fetched
// history is the usual reason a CI run cannot find it.
function shallowHint(projectDir: string): string {
  const shallow = git(projectDir, ["rev-parse", "--is-shallow-repository"]) === "true";
  return shallow
    ? " (it is a shallow clone: fetch the base too, e.g. actions/checkout with fetch-depth: 2 for --base HEAD^1)"
    : "";
}

// The project's folders that the program never imports (eslint.config.mjs, PROGRAM_BOUNDARY), its
// docs and its CI: left out of the snapshot, they are three quarters of its files, and of the time
// to unpack them (a file costs about a millisecond in a container's /tmp, docs/benchmarks.md).
const NOT_THE_PROGRAM = [
  "review",
  "startup",
  "policy",
  "tests",
  "e2e",
  "scripts",
  "bench",
  "docs",
  ".github",
  ".ci",
];

/** Unpacks `commit`, but for NOT_THE_PROGRAM, and links `projectDir/node_modules` into it. */
export function snapshotAt(projectDir: string, commit: string): Snapshot {
  // Two lines, in the order asked: the top of the work tree, then the project's path below it.
  const [top, prefix = ""] = git(projectDir, [
    "rev-parse",
    "--show-toplevel",
    "--show-prefix",
  ]).split("\n");
  const dir = mkdtempSync(join(tmpdir(), "task-api-base-"));
  // Ctrl-C (or a CI job's SIGTERM) leaves nothing behind: the folder goes, then the signal does
  // what it would have done (the listener is gone by then).
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    process.kill(process.pid, signal);
  };
  const remove = () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const excluded = NOT_THE_PROGRAM.map((folder) => `:(exclude)${prefix}${folder}`);
    const archive = execFileSync(
      "git",
      ["archive", "--format=tar", commit, "--", ".", ...excluded],
      {
        cwd: top,
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    execFileSync("tar", ["-x", "-C", dir], { input: archive });
    const snapshotProject = join(dir, prefix);
    const modules = join(snapshotProject, "node_modules");
    if (existsSync(snapshotProject) && !existsSync(modules)) {
      symlinkSync(join(projectDir, "node_modules"), modules, "dir");
    }
    return { commit, projectDir: snapshotProject, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

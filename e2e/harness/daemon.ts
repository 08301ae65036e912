// A long-running process of the e2e clusters (etcd, the API server, containerd, the kubelet...):
// started in a process group of its own with its output appended to a log file, and stopped with
// SIGTERM, then SIGKILL if it is still there after a grace period.

import { ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Starts `binary` with its output appended to LOG_DIR/NAME.log (so that a restarted process keeps
 * its earlier log), written by the process itself: nothing is lost however busy this process is.
 * A process group of its own: a terminal's Ctrl-C reaches the runner, which stops the cluster in
 * order (the node's pods deleted through the API server first), not each daemon at once.
 */
export function startDaemon(
  name: string,
  binary: string,
  args: readonly string[],
  logDir: string,
  env: NodeJS.ProcessEnv = process.env,
): ChildProcess {
  const log = openSync(join(logDir, `${name}.log`), "a");
  try {
    return spawn(binary, args, { stdio: ["ignore", log, log], detached: true, env });
  } finally {
    closeSync(log);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopDaemon(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** The last lines of a daemon's log, for an error message. */
export function tailLog(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/**
 * Polls `check` until it returns true; fails with `what`, `state()` and the daemon's log when the
 * daemon exits or `seconds` pass first.
 */
export async function waitForDaemon(
  what: string,
  seconds: number,
  child: ChildProcess,
  logFile: string,
  check: () => Promise<boolean>,
  state: () => string = () => "",
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${what}: the process exited (${child.exitCode ?? child.signalCode}); its log:\n${tailLog(logFile)}`,
      );
    }
    if (await check().catch(() => false)) {
      return;
    }
    if (Date.now() > deadline) {
      const last = state();
      throw new Error(
        `${what}: not ready after ${seconds} s${last ? ` (${last})` : ""}; log:\n${tailLog(logFile)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

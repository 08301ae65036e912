// Every process an end-to-end run started, directly or not, found by a marker in its environment,
// so that none outlives the run. Process groups are not enough: the Pulumi CLI starts each plugin
// in a process group of its own (sdk/go/common/util/cmdutil/child_unix.go, RegisterProcessGroup),
// so a `pulumi up` killed with SIGKILL leaves its provider plugins running, re-parented to PID 1.
// An environment is inherited by every descendant that does not replace it (the CLI hands its own
// to the plugins it starts), and Linux shows each process's in /proc/PID/environ (proc(5)).
// Containers get an environment of their own: the node's teardown ends them (e2e/harness/node.ts).

import { readFileSync, readdirSync } from "node:fs";
import { randomBytes } from "node:crypto";

/** The variable that marks a run's processes: `RUNNER_PID-RANDOM`. */
export const RUN_MARKER_VARIABLE = "TASK_API_E2E_RUN";

export interface RunProcess {
  readonly pid: number;
  readonly parentPid: number;
  /** The executable's name, as the kernel keeps it (/proc/PID/comm). */
  readonly name: string;
}

/** A new marker for a run started by this process. */
export function newRunMarker(): string {
  return `${process.pid}-${randomBytes(6).toString("hex")}`;
}

function readProcess(pid: number, marker: string): RunProcess | undefined {
  try {
    const environment = readFileSync(`/proc/${pid}/environ`, "latin1").split("\0");
    if (!environment.includes(`${RUN_MARKER_VARIABLE}=${marker}`)) {
      return undefined;
    }
    // "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses, so read after the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    const [state, parentPid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // A zombie has ended already; its parent (or PID 1) reaps it.
    if (state === "Z") {
      return undefined;
    }
    const name = readFileSync(`/proc/${pid}/comm`, "latin1").trim();
    return { pid, parentPid: Number(parentPid), name };
  } catch {
    // Ended while being read, or not ours to read.
    return undefined;
  }
}

/** The live processes that carry the marker, this process excepted. */
export function processesOfRun(marker: string): RunProcess[] {
  const found: RunProcess[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (Number.isInteger(pid) && pid !== process.pid) {
      const marked = readProcess(pid, marker);
      if (marked) {
        found.push(marked);
      }
    }
  }
  return found;
}

/** The marker of the run this process belongs to, if it was started by one. */
export function currentRunMarker(): string | undefined {
  return process.env[RUN_MARKER_VARIABLE];
}

/**
 * The run's processes whose parent is gone (neither the runner nor a process of the run is their
 * parent any more, e.g. the plugins of a CLI killed with SIGKILL), with everything they started.
 */
export function orphansOfRun(marker: string): RunProcess[] {
  const runnerPid = Number(marker.split("-")[0]);
  const processes = processesOfRun(marker);
  // This process is left out of the list, not out of the run: its children are not orphans.
  const pids = new Set([process.pid, ...processes.map((p) => p.pid)]);
  const orphaned = new Set(
    processes.filter((p) => p.parentPid !== runnerPid && !pids.has(p.parentPid)).map((p) => p.pid),
  );
  // Their descendants, however deep: a pass adds the children of what the last one found.
  for (let size = 0; size !== orphaned.size;) {
    size = orphaned.size;
    for (const p of processes) {
      if (orphaned.has(p.parentPid)) {
        orphaned.add(p.pid);
      }
    }
  }
  return processes.filter((p) => orphaned.has(p.pid));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Ends the given processes: SIGTERM, then SIGKILL for any still there after `graceMs`. Resolves
 * with those that had to be killed once they are gone; rejects if one outlives SIGKILL.
 */
export async function endProcesses(
  processes: readonly RunProcess[],
  marker: string,
  graceMs = 5000,
): Promise<RunProcess[]> {
  const alive = () => {
    const live = new Set(processesOfRun(marker).map((p) => p.pid));
    return processes.filter((p) => live.has(p.pid));
  };
  const signal = (targets: readonly RunProcess[], name: NodeJS.Signals) => {
    for (const target of targets) {
      try {
        process.kill(target.pid, name);
      } catch {
        // Already gone.
      }
    }
  };
  signal(processes, "SIGTERM");
  for (let waited = 0; waited < graceMs && alive().length > 0; waited += 100) {
    await sleep(100);
  }
  const stubborn = alive();
  signal(stubborn, "SIGKILL");
  for (let waited = 0; waited < 5000 && alive().length > 0; waited += 100) {
    await sleep(100);
  }
  const survivors = alive();
  if (survivors.length > 0) {
    throw new Error(`still running after SIGKILL: ${describeProcesses(survivors)}`);
  }
  return stubborn;
}

export function describeProcesses(processes: readonly RunProcess[]): string {
  return processes.map((p) => `${p.name} (pid ${p.pid})`).join(", ");
}

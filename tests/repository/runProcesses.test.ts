// The end-to-end runner finds every process a run started, however deep, by the marker in its
// environment (e2e/harness/runProcesses.ts): here a shell that exits leaves a sleep behind, as a CLI
// killed with SIGKILL leaves its plugins.

import { spawn, spawnSync } from "node:child_process";
import {
  RUN_MARKER_VARIABLE,
  endProcesses,
  newRunMarker,
  orphansOfRun,
  processesOfRun,
} from "../../e2e/harness/runProcesses";

async function poll(done: () => boolean): Promise<void> {
  for (let tries = 0; !done(); tries++) {
    if (tries > 100) {
      throw new Error(`timed out waiting for ${String(done)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("a process left behind by a child that exited is found as the run's orphan, ended, and then gone", async () => {
  const marker = newRunMarker();
  // The shell starts `sleep` in the background and exits: the sleep is re-parented.
  // (Its output goes nowhere, or spawnSync would wait for the sleep to close the pipe.)
  spawnSync("sh", ["-c", "sleep 120 &"], {
    env: { ...process.env, [RUN_MARKER_VARIABLE]: marker },
    stdio: "ignore",
  });
  // Until the shell's fork has become the sleep.
  await poll(() => processesOfRun(marker)[0]?.name === "sleep");
  const found = processesOfRun(marker);
  expect(found.map((p) => p.name)).toEqual(["sleep"]);
  expect(orphansOfRun(marker)).toEqual(found);
  // Not another run's: a different marker finds nothing.
  expect(processesOfRun(newRunMarker())).toEqual([]);

  await endProcesses(found, marker);
  expect(processesOfRun(marker)).toEqual([]);
});

test("a child of the runner, or of a process of the run, is the run's but no orphan", async () => {
  // This process plays the runner: the marker names its pid.
  const marker = `${process.pid}-${newRunMarker().split("-")[1]}`;
  const child = spawn("sh", ["-c", "sleep 120; true"], {
    env: { ...process.env, [RUN_MARKER_VARIABLE]: marker },
  });
  try {
    // Until the shell's fork has become the sleep.
    const names = () =>
      processesOfRun(marker)
        .map((p) => p.name)
        .sort()
        .join(" ");
    await poll(() => names() === "sh sleep");
    expect(orphansOfRun(marker)).toEqual([]);
  } finally {
    await endProcesses(processesOfRun(marker), marker);
  }
  expect(processesOfRun(marker)).toEqual([]);
  // Reaped by this process once it has seen the exit.
  if (child.exitCode === null && child.signalCode === null) {
    await new Promise((resolve) => child.once("exit", resolve));
  }
});

// npm run e2e and npm run e2e:bench: start the control plane on loopback, run their work against
// it with the real CLI, and stop everything they started: on success, on failure, and on Ctrl-C.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ControlPlane, startControlPlane } from "./controlPlane";
import { E2E_ENVIRONMENT_VARIABLE, E2eEnvironment } from "./pulumiCli";
import { REPO_DIR, toolPath } from "./toolchain";

/** Keeps the work folder (state, logs, the project copy) after the run, for a look inside. */
const KEEP_VARIABLE = "TASK_API_E2E_KEEP";

/**
 * Runs `work` with a control plane up and the tools on PATH; resolves with the exit code. A signal
 * lets `work`'s child processes (which got it too) finish, then stops the control plane.
 */
export async function withControlPlane(
  name: string,
  work: (environment: E2eEnvironment) => Promise<number>,
): Promise<number> {
  const { dirs, binaries, missing } = toolPath();
  if (missing.length > 0) {
    process.stderr.write(
      `${name}: not built yet: ${missing.join(", ")}.\n` +
        "Build them with: npm run e2e:tools (needs the Go module proxy and the npm registry once)\n",
    );
    return 1;
  }
  const workDir = mkdtempSync(join(tmpdir(), "task-api-e2e-"));
  let controlPlane: ControlPlane | undefined;
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    process.stderr.write(`${name}: ${signal}: stopping the control plane\n`);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const started = Date.now();
    controlPlane = await startControlPlane(workDir, {
      etcd: binaries.etcd,
      kubeApiserver: binaries["kube-apiserver"],
      kubeControllerManager: binaries["kube-controller-manager"],
    });
    process.stdout.write(
      `${name}: control plane ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${workDir})\n`,
    );
    if (interrupted) {
      return 130;
    }
    const status = await work({
      workDir,
      kubeconfig: controlPlane.kubeconfig,
      toolPath: dirs.join(":"),
      binaries,
      ...controlPlane.access,
    });
    return interrupted ? 130 : status;
  } catch (error) {
    process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await controlPlane?.stop();
    if (process.env[KEEP_VARIABLE]) {
      process.stdout.write(`${name}: kept ${workDir} (${KEEP_VARIABLE} is set)\n`);
    } else {
      rmSync(workDir, { recursive: true, force: true });
    }
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/**
 * The e2e tests under Jest, in a child process that gets the environment as one variable. Jest
 * runs in a process group of its own, and a signal to this runner goes to that whole group: Jest,
 * the CLI runs it started and the control plane a test file started itself all stop, whether the
 * signal came from a terminal's Ctrl-C or from `kill` (a CI job's cancel).
 */
export function runEndToEnd(jestArgs: readonly string[]): Promise<number> {
  return withControlPlane("e2e", (environment) => {
    const jest = spawn(
      process.execPath,
      [
        join(REPO_DIR, "node_modules/jest/bin/jest.js"),
        "--config",
        join(__dirname, "jest.config.js"),
        ...jestArgs,
      ],
      {
        cwd: REPO_DIR,
        stdio: "inherit",
        detached: true,
        env: { ...process.env, [E2E_ENVIRONMENT_VARIABLE]: JSON.stringify(environment) },
      },
    );
    const forward = (signal: NodeJS.Signals) => {
      if (jest.pid !== undefined && jest.exitCode === null) {
        process.kill(-jest.pid, signal);
      }
    };
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    return new Promise<number>((resolve) =>
      jest.on("close", (code, signal) => {
        process.off("SIGINT", forward);
        process.off("SIGTERM", forward);
        resolve(code ?? (signal ? 130 : 1));
      }),
    );
  });
}

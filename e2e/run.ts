// npm run e2e: starts the control plane on loopback, runs the end-to-end tests against it with the
// real CLI, and stops everything it started: on success, on failure, and on Ctrl-C.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ControlPlane, startControlPlane } from "./controlPlane";
import { E2E_ENVIRONMENT_VARIABLE, E2eEnvironment } from "./pulumiCli";
import { REPO_DIR, toolPath } from "./toolchain";

/** Runs the e2e tests; resolves with the exit code for the process. */
export async function runEndToEnd(jestArgs: readonly string[]): Promise<number> {
  const { dirs, binaries, missing } = toolPath();
  if (missing.length > 0) {
    process.stderr.write(
      `e2e: not built yet: ${missing.join(", ")}.\n` +
        "Build them with: npm run e2e:tools (needs the Go module proxy and the npm registry once)\n",
    );
    return 1;
  }
  const workDir = mkdtempSync(join(tmpdir(), "task-api-e2e-"));
  let controlPlane: ControlPlane | undefined;
  let interrupted = false;
  const cleanUp = async () => {
    await controlPlane?.stop();
    controlPlane = undefined;
    if (!process.env.TASK_API_E2E_KEEP) {
      rmSync(workDir, { recursive: true, force: true });
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    process.stderr.write(`e2e: ${signal}: stopping the control plane\n`);
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
      `e2e: control plane ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${workDir})\n`,
    );
    if (interrupted) {
      return 130;
    }
    const environment: E2eEnvironment = {
      workDir,
      kubeconfig: controlPlane.kubeconfig,
      toolPath: dirs.join(":"),
      ...controlPlane.access,
    };
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
        env: { ...process.env, [E2E_ENVIRONMENT_VARIABLE]: JSON.stringify(environment) },
      },
    );
    const status = await new Promise<number>((resolve) =>
      jest.on("close", (code, signal) => resolve(code ?? (signal ? 130 : 1))),
    );
    return interrupted ? 130 : status;
  } catch (error) {
    process.stderr.write(`e2e: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await cleanUp();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

// npm run e2e and npm run e2e:bench: start a cluster whose pods run (e2e/harness/podCluster.ts: the
// control plane on loopback, the app's registry, a node of this machine), run their work against
// it with the real CLI, and stop everything they started: on success, on failure, and on Ctrl-C.

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanUpAbandonedNodes } from "./node";
import { PodCluster, startPodCluster } from "./podCluster";
import { E2E_ENVIRONMENT_VARIABLE, E2eEnvironment } from "./pulumiCli";
import {
  RUN_MARKER_VARIABLE,
  describeProcesses,
  endProcesses,
  newRunMarker,
  processesOfRun,
} from "./runProcesses";
import { REPO_DIR, toolPath } from "./toolchain";

/** Keeps the work folder (state, logs, the project copy) after the run, for a look inside. */
const KEEP_VARIABLE = "TASK_API_E2E_KEEP";

/**
 * Runs `work` with a cluster whose pods run and the tools on PATH; resolves with the exit code,
 * which is 1 if any process the run started outlived it (each is ended first). A signal lets
 * `work`'s child processes (which got it too) finish, then stops the cluster.
 */
export async function withPodCluster(
  name: string,
  work: (environment: E2eEnvironment) => Promise<number>,
): Promise<number> {
  // Inherited by every process started from here on, however deep (e2e/harness/runProcesses.ts).
  const marker = newRunMarker();
  process.env[RUN_MARKER_VARIABLE] = marker;
  const systemTmp = tmpdir();
  const tmpBefore = new Set(readdirSync(systemTmp));
  const ran = await runWithPodCluster(name, work);
  // A kept work folder is left on purpose; nothing else may be.
  const clean =
    process.env[KEEP_VARIABLE] !== undefined || nothingLeftIn(systemTmp, tmpBefore, name);
  const status = ran === 0 && !clean ? 1 : ran;
  // A CLI that has just exited may still be ending its plugins: give them a moment.
  for (let waited = 0; waited < 3000 && processesOfRun(marker).length > 0; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const left = processesOfRun(marker);
  delete process.env[RUN_MARKER_VARIABLE];
  if (left.length === 0) {
    process.stdout.write(`${name}: no process of the run is left running\n`);
    return status;
  }
  process.stderr.write(
    `${name}: the run left these running, each started by it: ${describeProcesses(left)}; ending them\n`,
  );
  await endProcesses(left, marker);
  return status === 0 ? 1 : status;
}

async function runWithPodCluster(
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
  // Every process of the run writes its temporary files in the run's folder, removed with it:
  // the Kubernetes provider's kubeconfig copies (each with a cluster's token), Jest's cache, the
  // tests' scratch folders (os.tmpdir() and Go's os.TempDir read TMPDIR).
  const systemTmp = process.env.TMPDIR;
  process.env.TMPDIR = join(workDir, "tmp");
  mkdirSync(process.env.TMPDIR);
  let cluster: PodCluster | undefined;
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    process.stderr.write(`${name}: ${signal}: stopping the cluster\n`);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const started = Date.now();
    // In a folder of its own: the test files' projects and clusters are beside it.
    cluster = await startPodCluster(join(workDir, "cluster"), binaries);
    const { controlPlane, registry, node, timings } = cluster;
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    process.stdout.write(
      `${name}: cluster ready in ${seconds(Date.now() - started)} (control plane ${seconds(timings.controlPlaneMs)}, registry ${seconds(timings.registryMs)}, node ${seconds(timings.nodeMs)}; ${workDir})\n`,
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
      registry: {
        address: registry.address,
        logFile: registry.logFile,
        accountsFile: registry.accountsFile,
      },
      node: {
        name: node.name,
        containerdSocket: node.containerdSocket,
        podSubnet: node.podSubnet,
      },
    });
    return interrupted ? 130 : status;
  } catch (error) {
    process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await cluster?.stop();
    if (process.env[KEEP_VARIABLE]) {
      process.stdout.write(`${name}: kept ${workDir} (${KEEP_VARIABLE} is set)\n`);
    } else {
      rmSync(workDir, { recursive: true, force: true });
    }
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (systemTmp === undefined) {
      delete process.env.TMPDIR;
    } else {
      process.env.TMPDIR = systemTmp;
    }
  }
}

/**
 * Whether the system's temporary folder holds nothing the run added (its own folder is gone by
 * now); what it finds is named, then removed, and fails the run.
 */
function nothingLeftIn(dir: string, before: ReadonlySet<string>, name: string): boolean {
  // coreutils mktemp's default names (tmp.XXXXXXXXXX): nothing the run starts calls it (its
  // temporary files go to TMPDIR, its own), while shells and job runners on the machine do.
  const foreign = /^tmp\.[A-Za-z0-9]{10}$/;
  const left = readdirSync(dir).filter((entry) => !before.has(entry) && !foreign.test(entry));
  if (left.length === 0) {
    process.stdout.write(`${name}: nothing of the run is left in ${dir}\n`);
    return true;
  }
  process.stderr.write(
    `${name}: the run left these in ${dir}: ${left.join(", ")}; removing them\n`,
  );
  left.forEach((entry) => rmSync(join(dir, entry), { recursive: true, force: true }));
  return false;
}

/**
 * The e2e tests under Jest, in a child process that gets the environment as one variable. Jest
 * runs in a process group of its own, and a signal to this runner goes to that whole group: Jest,
 * the CLI runs it started and the control plane a test file started itself all stop, whether the
 * signal came from a terminal's Ctrl-C or from `kill` (a CI job's cancel).
 */
export function runEndToEnd(jestArgs: readonly string[]): Promise<number> {
  return withPodCluster("e2e", (environment) => {
    const jest = spawn(
      process.execPath,
      [
        join(REPO_DIR, "node_modules/jest/bin/jest.js"),
        "--config",
        join(__dirname, "..", "jest.config.js"),
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
        // A node a test file started and did not stop (Jest ended by the signal, with no afterAll):
        // its kubelet, containerd, pods, mounts, cgroups and bridge go now, before the work
        // folder that holds its mounts (e2e/harness/node.ts). A run that needed this fails.
        const abandoned = cleanUpAbandonedNodes();
        if (abandoned.length > 0) {
          process.stderr.write(
            `e2e: a node was left running; cleaned up:\n${abandoned.join("\n")}\n`,
          );
        }
        const status = code ?? (signal ? 130 : 1);
        resolve(abandoned.length > 0 && status === 0 ? 1 : status);
      }),
    );
  });
}

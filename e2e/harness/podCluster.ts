// A cluster whose pods run: the control plane with its scheduler (e2e/harness/controlPlane.ts), the app's
// registry (e2e/harness/registry.ts) and a node of this machine (e2e/harness/node.ts) whose containerd pulls
// ghcr.io and registry.k8s.io from that registry, started together and stopped in the reverse
// order: the node first (its pods deleted through the API server, which must still answer), then
// the registry, then the control plane. The e2e runner's shared cluster, the test files' own
// (e2e/harness/ownTestbed.ts) and the node's own test use it; nothing here depends on Jest.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ControlPlane, startControlPlane } from "./controlPlane";
import { KubeNode, startNode } from "./node";
import { ImageRegistry, RegistryAccount, startRegistry } from "./registry";

/** The built binaries it starts (toolPath().binaries, E2eEnvironment.binaries). */
export const POD_CLUSTER_BINARIES = [
  "etcd",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kubelet",
  "kubectl",
  "task-api-registry",
] as const;

/** The pause image every pod sandbox runs, pulled from the registry with no credentials. */
export const SANDBOX_IMAGE = "registry.k8s.io/pause:3.10";

export interface PodClusterOptions {
  /** The registry's accounts at start; `registry.accounts.add` adds more later. @default none */
  readonly accounts?: readonly RegistryAccount[];
}

export interface PodCluster {
  readonly dir: string;
  readonly controlPlane: ControlPlane;
  readonly registry: ImageRegistry;
  readonly node: KubeNode;
  /** Milliseconds each took to start (the control plane and the registry start side by side). */
  readonly timings: {
    readonly controlPlaneMs: number;
    readonly registryMs: number;
    readonly nodeMs: number;
  };
  /** Stops the node, the registry, then the control plane. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts the cluster under `dir`: the control plane's files there (kubeconfig, logs/, pki/, etcd/),
 * the registry's log in logs/registry.log and its accounts in registry-accounts.json, the node in
 * node/. Resolves once the Node is Ready; on failure, whatever started is stopped.
 */
export async function startPodCluster(
  dir: string,
  binaries: Readonly<Record<string, string>>,
  options: PodClusterOptions = {},
): Promise<PodCluster> {
  const missing = POD_CLUSTER_BINARIES.filter((name) => !binaries[name]);
  if (missing.length > 0) {
    throw new Error(`a cluster whose pods run needs ${missing.join(", ")}: npm run e2e:tools`);
  }
  const logDir = join(dir, "logs");
  mkdirSync(logDir, { recursive: true });
  const started = Date.now();
  const timed = async <T>(start: () => Promise<T>): Promise<[T, number]> => {
    const value = await start();
    return [value, Date.now() - started];
  };
  // Neither needs the other; allSettled, so that one's failure does not leave the other running.
  const [controlPlaneStart, registryStart] = await Promise.allSettled([
    timed(() =>
      startControlPlane(dir, {
        etcd: binaries.etcd,
        kubeApiserver: binaries["kube-apiserver"],
        kubeControllerManager: binaries["kube-controller-manager"],
        kubeScheduler: binaries["kube-scheduler"],
      }),
    ),
    timed(() =>
      startRegistry({
        binary: binaries["task-api-registry"],
        accounts: options.accounts ?? [],
        accountsFile: join(dir, "registry-accounts.json"),
        logFile: join(logDir, "registry.log"),
      }),
    ),
  ]);
  if (controlPlaneStart.status === "rejected" || registryStart.status === "rejected") {
    if (registryStart.status === "fulfilled") {
      await registryStart.value[0].stop();
    }
    if (controlPlaneStart.status === "fulfilled") {
      await controlPlaneStart.value[0].stop();
    }
    throw controlPlaneStart.status === "rejected"
      ? controlPlaneStart.reason
      : (registryStart as PromiseRejectedResult).reason;
  }
  const [controlPlane, controlPlaneMs] = controlPlaneStart.value;
  const [registry, registryMs] = registryStart.value;

  let node: KubeNode;
  const nodeStarted = Date.now();
  try {
    node = await startNode(controlPlane, join(dir, "node"), {
      binaries: { kubelet: binaries.kubelet, kubectl: binaries.kubectl },
      // Pulled from our registry, as registry.k8s.io's pause would be (a host of its images).
      sandboxImage: { ref: SANDBOX_IMAGE },
      // Before containerd starts: no pull can go to the real hosts, which this machine cannot
      // reach anyway.
      registryHosts: registry.hostsTomls(),
    });
  } catch (error) {
    await registry.stop();
    await controlPlane.stop();
    throw error;
  }
  const nodeMs = Date.now() - nodeStarted;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    // The node deletes its pods through the API server and its kubelet asks the registry nothing
    // more once they are gone; the control plane goes last.
    stopping ??= (async () => {
      try {
        await node.stop();
      } finally {
        try {
          await registry.stop();
        } finally {
          await controlPlane.stop();
        }
      }
    })();
    return stopping;
  };
  return {
    dir,
    controlPlane,
    registry,
    node,
    timings: { controlPlaneMs, registryMs, nodeMs },
    stop,
  };
}

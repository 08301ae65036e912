// A cluster of a test file's own (so that it can stop the API server, or start from objects made
// by hand), whose pods run (e2e/harness/podCluster.ts: control plane, registry, node), with a copy of the
// project and the real CLI pointed at it.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { AppCluster } from "./cluster";
import { ControlPlane } from "./controlPlane";
import { PodCluster, startPodCluster } from "./podCluster";
import { StackValues, copyProject, initE2eStack } from "./project";
import { E2eEnvironment, PulumiCli } from "./pulumiCli";
import { ImageRegistry } from "./registry";

export interface KubectlResult {
  readonly ok: boolean;
  readonly out: string;
  readonly err: string;
}

export interface OwnTestbed {
  readonly podCluster: PodCluster;
  readonly controlPlane: ControlPlane;
  readonly registry: ImageRegistry;
  readonly cli: PulumiCli;
  readonly cluster: AppCluster;
  readonly projectDir: string;
  /** Runs kubectl on this cluster, in the namespace, with the CLI's environment and `env`. */
  kubectl(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<KubectlResult>;
  /** The environment of a pod's container, as `kubectl exec POD -- env` prints it. */
  envOf(pod: string): Promise<Map<string, string>>;
  /** Kills what the CLI started and left, then stops the node, registry and control plane. */
  stop(): Promise<void>;
}

/**
 * Starts the cluster under `dir/cluster`, copies the project to `dir/project`, and with `stack`
 * makes the `e2e` stack there in `namespace` (e2e/harness/project.ts, initE2eStack).
 */
export async function startOwnTestbed(
  e2e: E2eEnvironment,
  dir: string,
  namespace: string,
  stack?: Omit<StackValues, "namespace">,
): Promise<OwnTestbed> {
  const podCluster = await startPodCluster(join(dir, "cluster"), e2e.binaries);
  const { controlPlane, registry } = podCluster;
  const projectDir = join(dir, "project");
  copyProject(projectDir);
  const cli = new PulumiCli(
    projectDir,
    e2e,
    randomBytes(24).toString("hex"),
    controlPlane.kubeconfig,
  );
  const cluster = new AppCluster(controlPlane.client, {
    namespace,
    app: "task-api",
    pullSecret: "ghcr-secret",
  });
  if (stack !== undefined) {
    try {
      await initE2eStack(cli, { namespace, ...stack }, registry.accounts);
    } catch (error) {
      await podCluster.stop();
      throw error;
    }
  }
  const kubectl = (args: readonly string[], env: NodeJS.ProcessEnv = {}) => {
    const child = spawn(
      e2e.binaries.kubectl,
      [
        `--kubeconfig=${controlPlane.kubeconfig}`,
        `--cache-dir=${join(dir, "kubectl-cache")}`,
        `--namespace=${namespace}`,
        ...args,
      ],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...cli.env, ...env } },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    return new Promise<KubectlResult>((resolve) =>
      child.on("close", (code) => resolve({ ok: code === 0, out, err })),
    );
  };
  const envOf = async (pod: string) => {
    const result = await kubectl(["exec", pod, "--", "env"]);
    if (!result.ok) {
      throw new Error(`kubectl exec ${pod} -- env failed: ${result.err}`);
    }
    const env = new Map<string, string>();
    for (const line of result.out.split("\n").filter((l) => l !== "")) {
      const at = line.indexOf("=");
      env.set(line.slice(0, at), line.slice(at + 1));
    }
    return env;
  };
  return {
    podCluster,
    controlPlane,
    registry,
    cli,
    cluster,
    projectDir,
    kubectl,
    envOf,
    stop: () => {
      cli.stopStarted();
      return podCluster.stop();
    },
  };
}

// A cluster of a test file's own (so that it can stop the API server, or start from objects made
// by hand), whose pods run (e2e/podCluster.ts: control plane, registry, node), with a copy of the
// project and the real CLI pointed at it.

import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { AppCluster } from "./cluster";
import { ControlPlane } from "./controlPlane";
import { PodCluster, startPodCluster } from "./podCluster";
import { copyProject } from "./project";
import { E2eEnvironment, PulumiCli } from "./pulumiCli";
import { ImageRegistry } from "./registry";

export interface OwnTestbed {
  readonly podCluster: PodCluster;
  readonly controlPlane: ControlPlane;
  readonly registry: ImageRegistry;
  readonly cli: PulumiCli;
  readonly cluster: AppCluster;
  readonly projectDir: string;
  /** Kills what the CLI started and left, then stops the node, registry and control plane. */
  stop(): Promise<void>;
}

/** Starts the cluster under `dir/cluster`, copies the project to `dir/project`. */
export async function startOwnTestbed(
  e2e: E2eEnvironment,
  dir: string,
  namespace: string,
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
  return {
    podCluster,
    controlPlane,
    registry,
    cli,
    cluster,
    projectDir,
    stop: () => {
      cli.stopStarted();
      return podCluster.stop();
    },
  };
}

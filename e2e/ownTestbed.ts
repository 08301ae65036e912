// A control plane of a test file's own (so that it can stop the API server, or start from objects
// made by hand), with a copy of the project and the real CLI pointed at it.

import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { AppCluster } from "./cluster";
import { ControlPlane, startControlPlane } from "./controlPlane";
import { copyProject } from "./project";
import { E2eEnvironment, PulumiCli } from "./pulumiCli";

export interface OwnTestbed {
  readonly controlPlane: ControlPlane;
  readonly cli: PulumiCli;
  readonly cluster: AppCluster;
  readonly projectDir: string;
}

/** Starts the control plane under `dir`, copies the project to `dir/project`. */
export async function startOwnTestbed(
  e2e: E2eEnvironment,
  dir: string,
  namespace: string,
): Promise<OwnTestbed> {
  const controlPlane = await startControlPlane(dir, {
    etcd: e2e.binaries.etcd,
    kubeApiserver: e2e.binaries["kube-apiserver"],
    kubeControllerManager: e2e.binaries["kube-controller-manager"],
  });
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
  return { controlPlane, cli, cluster, projectDir };
}

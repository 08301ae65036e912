// What the tests read back from the cluster: the app's objects, its ReplicaSets and Pods (running
// on the cluster's node: e2e/harness/podCluster.ts), and a fingerprint of everything in the namespace to
// prove that a failed update changed nothing.

import { KubeClient, KubeObject } from "./kubeClient";

export interface AppObjects {
  readonly namespace?: KubeObject;
  readonly configMap?: KubeObject & { data?: Record<string, string> };
  readonly secret?: KubeObject & { type?: string; data?: Record<string, string> };
  readonly pullSecret?: KubeObject & { type?: string; data?: Record<string, string> };
  readonly deployment?: DeploymentObject;
}

export interface PodTemplate {
  readonly metadata?: { readonly annotations?: Record<string, string> };
  readonly spec: {
    readonly imagePullSecrets?: readonly { readonly name: string }[];
    readonly containers: readonly {
      readonly image: string;
      readonly envFrom?: readonly {
        readonly configMapRef?: { readonly name: string };
        readonly secretRef?: { readonly name: string };
      }[];
    }[];
  };
}

export type DeploymentObject = KubeObject & {
  readonly metadata: KubeObject["metadata"] & { readonly generation?: number };
  readonly spec: { readonly replicas: number; readonly template: PodTemplate };
  readonly status?: { readonly observedGeneration?: number };
};

/** The parts of a Pod the tests read. */
export type PodObject = KubeObject & {
  readonly metadata: KubeObject["metadata"] & { readonly deletionTimestamp?: string };
  readonly spec: {
    readonly nodeName?: string;
    readonly containers: readonly { readonly image: string }[];
  };
  readonly status?: {
    readonly phase?: string;
    readonly podIP?: string;
    readonly conditions?: readonly { readonly type: string; readonly status: string }[];
    readonly containerStatuses?: readonly {
      readonly ready: boolean;
      readonly restartCount: number;
      readonly imageID?: string;
    }[];
  };
};

/** Whether the kubelet reports the pod Ready: every container started and passing its readiness probe. */
export function isReady(pod: PodObject): boolean {
  return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

/** The deployment controller's revision of a Deployment or ReplicaSet. */
const REVISION = "deployment.kubernetes.io/revision";

export interface AppNames {
  readonly namespace: string;
  readonly app: string;
  readonly pullSecret: string;
}

export class AppCluster {
  constructor(
    readonly client: KubeClient,
    readonly names: AppNames,
  ) {}

  private get ns(): string {
    return `/api/v1/namespaces/${this.names.namespace}`;
  }

  async objects(): Promise<AppObjects> {
    const { app, pullSecret } = this.names;
    return {
      namespace: await this.client.get(this.ns),
      configMap: await this.client.get(`${this.ns}/configmaps/${app}-config`),
      secret: await this.client.get(`${this.ns}/secrets/${app}-secrets`),
      pullSecret: await this.client.get(`${this.ns}/secrets/${pullSecret}`),
      deployment: await this.client.get(
        `/apis/apps/v1/namespaces/${this.names.namespace}/deployments/${app}`,
      ),
    };
  }

  /** The Deployment's ReplicaSets, once its controller has seen its latest spec. */
  async replicaSets(): Promise<(KubeObject & { spec: { template: PodTemplate } })[]> {
    const path = `/apis/apps/v1/namespaces/${this.names.namespace}/deployments/${this.names.app}`;
    await poll(`the deployment controller to observe ${this.names.app}`, 60, async () => {
      const deployment = await this.client.get<DeploymentObject>(path);
      return (
        deployment !== undefined &&
        deployment.status?.observedGeneration === deployment.metadata.generation
      );
    });
    const all = await this.client.list(
      `/apis/apps/v1/namespaces/${this.names.namespace}/replicasets`,
    );
    return all.filter((rs) =>
      rs.metadata.ownerReferences?.some(
        (owner) => owner.kind === "Deployment" && owner.name === this.names.app,
      ),
    ) as (KubeObject & { spec: { template: PodTemplate } })[];
  }

  /**
   * The rollout's end, as the pods show it: as many pods as the Deployment's replicas, each of the
   * ReplicaSet of its current revision, Ready and not terminating, and no pod of an older one
   * left (the provider's await ends when the new ReplicaSet is available, while the old pods may
   * still be terminating). Fails after `seconds` with what it saw last.
   */
  async settledPods(seconds = 120): Promise<PodObject[]> {
    const { namespace, app } = this.names;
    const deadline = Date.now() + seconds * 1000;
    let seen: string;
    for (;;) {
      const deployment = await this.client.get<DeploymentObject>(
        `/apis/apps/v1/namespaces/${namespace}/deployments/${app}`,
      );
      const revision = deployment?.metadata.annotations?.[REVISION];
      const replicaSets = await this.client.list(
        `/apis/apps/v1/namespaces/${namespace}/replicasets`,
      );
      const owned = replicaSets.filter((rs) =>
        rs.metadata.ownerReferences?.some((o) => o.kind === "Deployment" && o.name === app),
      );
      const current = owned.find((rs) => rs.metadata.annotations?.[REVISION] === revision);
      const names = new Set(owned.map((rs) => rs.metadata.name));
      const pods = (await this.client.list(`${this.ns}/pods`)).filter((pod) =>
        pod.metadata.ownerReferences?.some((o) => o.kind === "ReplicaSet" && names.has(o.name)),
      ) as PodObject[];
      const ofCurrent = (pod: PodObject) =>
        pod.metadata.ownerReferences?.some((o) => o.name === current?.metadata.name) ?? false;
      if (
        deployment !== undefined &&
        // The controller has seen the latest spec: its revision is the latest template's.
        deployment.status?.observedGeneration === deployment.metadata.generation &&
        current !== undefined &&
        pods.length === deployment.spec.replicas &&
        pods.every((pod) => ofCurrent(pod) && isReady(pod) && !pod.metadata.deletionTimestamp)
      ) {
        return pods;
      }
      seen =
        `revision ${revision ?? "none"}, pods: ` +
        (pods
          .map(
            (pod) =>
              `${pod.metadata.name} (${ofCurrent(pod) ? "current" : "old"}, ${pod.status?.phase ?? "no phase"}${isReady(pod) ? ", Ready" : ""}${pod.metadata.deletionTimestamp ? ", terminating" : ""})`,
          )
          .join(", ") || "none");
      if (Date.now() > deadline) {
        throw new Error(`the rollout of ${app} did not settle in ${seconds} s: ${seen}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async pods(): Promise<KubeObject[]> {
    return this.client.list(
      `${this.ns}/pods?labelSelector=${encodeURIComponent(`app.kubernetes.io/name=${this.names.app}`)}`,
    );
  }

  /** kind/name@resourceVersion of every object of the namespace the tests look at. */
  async fingerprint(): Promise<string[]> {
    const namespace = this.names.namespace;
    const paths = [
      `${this.ns}/configmaps`,
      `${this.ns}/secrets`,
      `${this.ns}/pods`,
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      `/apis/apps/v1/namespaces/${namespace}/replicasets`,
    ];
    const lines: string[] = [];
    const ns = await this.client.get(this.ns);
    lines.push(`namespace/${namespace}@${ns?.metadata.resourceVersion ?? "absent"}`);
    for (const path of paths) {
      for (const item of await this.client.list(path)) {
        lines.push(
          `${path.split("/").pop()}/${item.metadata.name}@${item.metadata.resourceVersion}`,
        );
      }
    }
    return lines.sort();
  }
}

/** Polls `check` every `intervalMs` until it holds, failing after `seconds`. */
export async function poll(
  what: string,
  seconds: number,
  check: () => Promise<boolean>,
  intervalMs = 250,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The Deployment's pod template annotations (the checksums), or none. */
export function templateAnnotations(objects: AppObjects): Record<string, string> {
  return objects.deployment?.spec.template.metadata?.annotations ?? {};
}

export function decode(base64: string | undefined): string {
  return Buffer.from(base64 ?? "", "base64").toString("utf8");
}

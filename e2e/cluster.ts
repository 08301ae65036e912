// What the tests read back from the cluster: the app's objects, its ReplicaSets and Pods, and a
// fingerprint of everything in the namespace to prove that a failed update changed nothing.

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

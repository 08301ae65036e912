// The programs `npm run bench` times. "ours": N ConfiguredApp instances, as index.ts creates one.
// "baseline": the very same Kubernetes objects (recorded from a run of "ours") registered directly
// as @pulumi/kubernetes resources, without components, the random checksum key or any apply: what
// the objects cost with nothing of ours around them.
// Both import the API groups' modules, as the program does (eslint.config.mjs).

import * as appsv1 from "@pulumi/kubernetes/apps/v1";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { ConfiguredApp } from "../components";
import { createKubernetesProvider } from "../lib/kubernetesProvider";
import { RegisteredResource } from "../review/engine/mockRuntime";
import { ProgramLoader } from "../review/engine/programRun";
import { isKubernetesObjectType } from "../review/render/manifests";
import { revealInputs, secretProperties } from "../review/render/redaction";

/** A Kubernetes object as "ours" registered it: plain inputs, and which of them were secret. */
export interface RecordedObject {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly secretProperties: readonly string[];
}

const CLUSTER = { kind: "kubeconfig", context: "bench" } as const;

export function oursProgram(apps: number): ProgramLoader {
  return () => {
    const provider = createKubernetesProvider("kubernetes", CLUSTER, {
      upsertExistingObjects: false,
    });
    for (let i = 0; i < apps; i++) {
      new ConfiguredApp(
        `app-${i}`,
        {
          namespace: "bench",
          image: "ghcr.io/acme/task-api:1.4.2",
          replicas: 2,
          config: {
            LOG_LEVEL: "debug",
            DATABASE_HOST: `db-${i}.example.internal`,
            DATABASE_PORT: "5432",
            FEATURE_BULK_IMPORT: "true",
          },
          secrets: {
            DATABASE_PASSWORD: pulumi.secret(`bench-password-${i}`),
            OPENAI_API_KEY: pulumi.secret(`bench-api-key-${i}`),
          },
          registry: {
            server: "ghcr.io",
            secretName: `app-${i}-pull`,
            credentials: { username: "bench", password: pulumi.secret(`bench-token-${i}`) },
          },
          fieldEnv: { POD_NAME: "metadata.name" },
        },
        { providers: [provider] },
      );
    }
    return {};
  };
}

/** The Kubernetes objects of a run, as the baseline registers them again. */
export function recordObjects(resources: readonly RegisteredResource[]): RecordedObject[] {
  return resources
    .filter((r) => r.custom && isKubernetesObjectType(r.type))
    .map((r) => ({
      type: r.type,
      name: r.name,
      inputs: revealInputs(r.inputs) as Record<string, unknown>,
      secretProperties: secretProperties(r.inputs),
    }));
}

type ObjectClass = new (
  name: string,
  args: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions,
) => pulumi.CustomResource;

const CLASSES: Readonly<Record<string, ObjectClass>> = {
  "kubernetes:core/v1:ConfigMap": corev1.ConfigMap,
  "kubernetes:core/v1:Secret": corev1.Secret,
  "kubernetes:apps/v1:Deployment": appsv1.Deployment as unknown as ObjectClass,
};

export function baselineProgram(objects: readonly RecordedObject[]): ProgramLoader {
  return () => {
    const provider = createKubernetesProvider("kubernetes", CLUSTER, {
      upsertExistingObjects: false,
    });
    for (const object of objects) {
      const objectClass = CLASSES[object.type];
      if (objectClass === undefined) {
        throw new Error(`the baseline has no class for ${object.type}`);
      }
      const args = { ...object.inputs };
      for (const property of object.secretProperties) {
        args[property] = pulumi.secret(args[property]);
      }
      new objectClass(object.name, args, { provider });
    }
    return {};
  };
}

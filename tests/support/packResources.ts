// Resources as a policy pack receives them (policy/kubernetesObjects.ts, PackResource), built for
// the pack's tests: a type token, a logical name and the inputs, with a URN of the usual shape.

import { PackResource } from "../../policy/kubernetesObjects";

const TYPES = {
  ConfigMap: "kubernetes:core/v1:ConfigMap",
  Secret: "kubernetes:core/v1:Secret",
  Namespace: "kubernetes:core/v1:Namespace",
  Pod: "kubernetes:core/v1:Pod",
  Deployment: "kubernetes:apps/v1:Deployment",
  StatefulSet: "kubernetes:apps/v1:StatefulSet",
  Job: "kubernetes:batch/v1:Job",
  CronJob: "kubernetes:batch/v1:CronJob",
} as const;

export type Kind = keyof typeof TYPES;

export function packResource(
  kind: Kind,
  name: string,
  props: Record<string, unknown>,
  provider?: PackResource["provider"],
): PackResource {
  const type = TYPES[kind];
  return { type, name, urn: `urn:pulumi:test::bad::${type}::${name}`, props, provider };
}

/** A container that passes Pod Security "restricted" on its own. */
export const HARDENED_CONTAINER = {
  name: "app",
  image: "ghcr.io/acme/app:1.0.0",
  securityContext: {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    seccompProfile: { type: "RuntimeDefault" },
    capabilities: { drop: ["ALL"] },
  },
};

/** A Deployment in `namespace` whose pod template is `template` (metadata and spec). */
export function deployment(
  name: string,
  namespace: string,
  spec: Record<string, unknown>,
  annotations: Record<string, string> = {},
): PackResource {
  return packResource("Deployment", name, {
    metadata: { name, namespace },
    spec: { template: { metadata: { annotations }, spec } },
  });
}

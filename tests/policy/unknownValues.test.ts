// policy/kubernetesObjects.ts with values a preview does not know yet: props wrapped as
// @pulumi/policy wraps them (unknownCheckingProxy, which throws on reading an unknown value). A
// rule judges nothing it cannot see, never throws, and leaves it to the update.

import * as policyProxy from "@pulumi/policy/proxy";
import { credentialViolations } from "../../policy/rules/credentialInPlaintext";
import { podSecurityViolations } from "../../policy/rules/podSecurityRestricted";
import { pullSecretViolations } from "../../policy/rules/pullSecretType";
import { rollViolations } from "../../policy/rules/rollOnDataChange";
import { subPathViolations } from "../../policy/rules/subPathMount";
import { PackResource } from "../../policy/kubernetesObjects";
import { HARDENED_CONTAINER, packResource } from "../support/packResources";

// Internal to the SDK (its typings leave them out), and what its server wraps props with.
const { unknownCheckingProxy, unknownStringValue, unknownObjectValue, unknownArrayValue } =
  policyProxy as unknown as {
    unknownCheckingProxy: <T>(value: T) => T;
    unknownStringValue: string;
    unknownObjectValue: string;
    unknownArrayValue: string;
  };

const inPreview = (resource: PackResource): PackResource => ({
  ...resource,
  props: unknownCheckingProxy(resource.props),
});
const namespace = packResource("Namespace", "shop", {
  metadata: { name: "shop", labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
});
const deployment = (spec: Record<string, unknown>) =>
  inPreview(
    packResource("Deployment", "app", {
      metadata: { name: "app", namespace: "shop" },
      spec: { template: { metadata: { annotations: {} }, spec } },
    }),
  );
const ALL_RULES = [
  credentialViolations,
  podSecurityViolations,
  pullSecretViolations,
  rollViolations,
  subPathViolations,
];

test("the proxy throws on an unknown value, as in a preview", () => {
  const props = unknownCheckingProxy({ type: unknownStringValue });
  expect(() => props.type).toThrow(/can't be known during preview/);
});

test.each([
  ["an unknown security context", { securityContext: unknownObjectValue }],
  [
    "an unknown capability in drop",
    {
      securityContext: {
        ...HARDENED_CONTAINER.securityContext,
        capabilities: { drop: [unknownStringValue] },
      },
    },
  ],
  [
    "an unknown allowPrivilegeEscalation",
    {
      securityContext: {
        ...HARDENED_CONTAINER.securityContext,
        allowPrivilegeEscalation: unknownStringValue,
      },
    },
  ],
])("a container with %s is not judged, and nothing throws", (_, fields) => {
  const resources = [namespace, deployment({ containers: [{ ...HARDENED_CONTAINER, ...fields }] })];
  for (const rule of ALL_RULES) {
    expect(rule(resources)).toEqual([]);
  }
});

test("an unknown container, env list, volume list or env value is skipped; the known rest is judged", () => {
  const spec = {
    containers: [
      unknownObjectValue,
      { name: "bare", image: "nginx", env: [{ name: "TOKEN", value: unknownStringValue }] },
    ],
    initContainers: unknownArrayValue,
    volumes: unknownArrayValue,
  };
  const fields = podSecurityViolations([namespace, deployment(spec)]).map(
    ({ message }) => message.split(":")[0],
  );
  // Index 1 keeps its index: the unknown container before it is only skipped.
  expect(fields).toEqual([
    'Deployment "shop/app" spec.template.spec.containers[1].securityContext.allowPrivilegeEscalation',
    'Deployment "shop/app" spec.template.spec.containers[1].securityContext.runAsNonRoot',
    'Deployment "shop/app" spec.template.spec.containers[1].securityContext.seccompProfile',
    'Deployment "shop/app" spec.template.spec.containers[1].securityContext.capabilities.drop',
  ]);
  expect(credentialViolations([deployment(spec)])).toEqual([]);
});

test("a Secret whose type or name is unknown is not judged, nor matched by its logical name", () => {
  const pod = { containers: [HARDENED_CONTAINER], imagePullSecrets: [{ name: "registry" }] };
  const unknownType = inPreview(
    packResource("Secret", "registry", {
      metadata: { name: "registry", namespace: "shop" },
      type: unknownStringValue,
    }),
  );
  const unknownName = inPreview(
    packResource("Secret", "registry", {
      metadata: { name: unknownStringValue, namespace: "shop" },
      type: "Opaque",
    }),
  );
  expect(pullSecretViolations([unknownType, deployment(pod)])).toEqual([]);
  expect(pullSecretViolations([unknownName, deployment(pod)])).toEqual([]);
});

test("a pod template annotation not known yet (the program's checksum/secret on a first preview) stops no rule", () => {
  const resource = inPreview(
    packResource("Deployment", "app", {
      metadata: { name: "app", namespace: "shop" },
      spec: {
        template: {
          metadata: { annotations: { "checksum/secret": unknownStringValue } },
          spec: { containers: [HARDENED_CONTAINER] },
        },
      },
    }),
  );
  for (const rule of ALL_RULES) {
    expect(rule([namespace, resource])).toEqual([]);
  }
});

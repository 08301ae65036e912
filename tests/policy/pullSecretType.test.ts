// policy/rules/pullSecretType.ts: an imagePullSecrets entry that names a Secret of the program the
// kubelet cannot take credentials from.

import { pullSecretViolations } from "../../policy/rules/pullSecretType";
import { deployment, HARDENED_CONTAINER, packResource } from "../support/packResources";

const pod = { containers: [HARDENED_CONTAINER], imagePullSecrets: [{ name: "registry" }] };
const secret = (namespace: string, type?: string) =>
  packResource("Secret", `registry-${namespace}`, {
    metadata: { name: "registry", namespace },
    ...(type ? { type } : {}),
  });

test.each([
  ["Opaque", "Opaque"],
  ["no type (Opaque)", undefined],
  ["kubernetes.io/basic-auth", "kubernetes.io/basic-auth"],
])("a pull secret of type %s is a violation at the entry, with the fix", (_, type) => {
  const violations = pullSecretViolations([secret("shop", type), deployment("app", "shop", pod)]);
  expect(violations).toHaveLength(1);
  expect(violations[0].message).toContain(
    'Deployment "shop/app" spec.template.spec.imagePullSecrets[0]: Secret "shop/registry"',
  );
  expect(violations[0].message).toContain("kubernetes.io/dockerconfigjson");
  expect(violations[0].message).toContain(".dockerconfigjson");
});

test.each(["kubernetes.io/dockerconfigjson", "kubernetes.io/dockercfg"])(
  "a pull secret of type %s is no violation",
  (type) => {
    expect(pullSecretViolations([secret("shop", type), deployment("app", "shop", pod)])).toEqual(
      [],
    );
  },
);

test("only the Secret of the pod's own namespace counts, and one the program lacks is not judged", () => {
  expect(pullSecretViolations([secret("other", "Opaque"), deployment("app", "shop", pod)])).toEqual(
    [],
  );
  expect(pullSecretViolations([deployment("app", "shop", pod)])).toEqual([]);
});

test("every kind of workload is read: a CronJob's pod spec", () => {
  const cronJob = packResource("CronJob", "nightly", {
    metadata: { name: "nightly", namespace: "shop" },
    spec: { jobTemplate: { spec: { template: { spec: pod } } } },
  });
  const violations = pullSecretViolations([secret("shop", "Opaque"), cronJob]);
  expect(violations.map(({ message }) => message.split(":")[0])).toEqual([
    'CronJob "shop/nightly" spec.jobTemplate.spec.template.spec.imagePullSecrets[0]',
  ]);
});

test("a ServiceAccount's imagePullSecrets, which its pods get, are judged too", () => {
  const serviceAccount = {
    ...packResource("Deployment", "builder", {}),
    type: "kubernetes:core/v1:ServiceAccount",
    props: {
      metadata: { name: "builder", namespace: "shop" },
      imagePullSecrets: [{ name: "registry" }],
    },
  };
  const [violation, ...others] = pullSecretViolations([secret("shop", "Opaque"), serviceAccount]);
  expect(others).toEqual([]);
  expect(violation.message).toMatch(
    /^ServiceAccount "shop\/builder" imagePullSecrets\[0\]: Secret "shop\/registry" is of type Opaque/,
  );
});

test("objects without a namespace meet in default, where the API server puts them", () => {
  const bareSecret = packResource("Secret", "registry", {
    metadata: { name: "registry" },
    type: "Opaque",
  });
  const bareDeployment = packResource("Deployment", "app", {
    metadata: { name: "app" },
    spec: { template: { spec: pod } },
  });
  expect(pullSecretViolations([bareSecret, bareDeployment])).toHaveLength(1);
  expect(pullSecretViolations([secret("default", "Opaque"), bareDeployment])).toHaveLength(1);
});

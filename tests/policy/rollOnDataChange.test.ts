// policy/rules/rollOnDataChange.ts: a workload reading a ConfigMap or Secret of the program with
// nothing in its pod template that changes with the data.

import { rollViolations } from "../../policy/rules/rollOnDataChange";
import { deployment, HARDENED_CONTAINER, packResource } from "../support/packResources";

const configMap = (annotations: Record<string, string> = {}, immutable?: boolean) =>
  packResource("ConfigMap", "settings", {
    metadata: { name: "settings", namespace: "shop", annotations },
    data: { A: "1" },
    ...(immutable ? { immutable } : {}),
  });
const secret = packResource("Secret", "app-secrets", {
  metadata: { name: "app-secrets", namespace: "shop" },
  stringData: { B: "2" },
});
const readsBoth = {
  containers: [
    {
      ...HARDENED_CONTAINER,
      envFrom: [{ configMapRef: { name: "settings" } }, { secretRef: { name: "app-secrets" } }],
    },
  ],
};

test("envFrom of a ConfigMap and a Secret without checksums: a violation for each, with the fix", () => {
  const violations = rollViolations([configMap(), secret, deployment("app", "shop", readsBoth)]);
  expect(violations.map(({ message }) => message.split(", and")[0])).toEqual([
    'Deployment "shop/app" spec.template.spec.containers[0].envFrom[0]: reads ConfigMap "shop/settings"',
    'Deployment "shop/app" spec.template.spec.containers[0].envFrom[1]: reads Secret "shop/app-secrets"',
  ]);
  expect(violations[0].message).toContain("checksum/config");
  expect(violations[1].message).toContain("checksum/secret");
});

test("checksum/config and checksum/secret annotations, the program's pattern, pass", () => {
  const annotations = { "checksum/config": "a1", "checksum/secret": "b2" };
  expect(
    rollViolations([configMap(), secret, deployment("app", "shop", readsBoth, annotations)]),
  ).toEqual([]);
  // One of the two leaves the other object's data unwatched.
  expect(
    rollViolations([
      configMap(),
      secret,
      deployment("app", "shop", readsBoth, { "checksum/config": "a1" }),
    ]),
  ).toHaveLength(1);
});

test("checksum/X where the object's name ends with X passes (the file sets' checksum/files-NAME)", () => {
  const files = packResource("Secret", "files", {
    metadata: { name: "app-files-tls", namespace: "shop" },
  });
  const pod = {
    containers: [HARDENED_CONTAINER],
    volumes: [{ name: "tls", secret: { secretName: "app-files-tls" } }],
  };
  expect(
    rollViolations([files, deployment("app", "shop", pod, { "checksum/files-tls": "c3" })]),
  ).toEqual([]);
  expect(rollViolations([files, deployment("app", "shop", pod)])).toHaveLength(1);
});

test("an auto-named object that its provider replaces on change rolls by its new name", () => {
  const autonamed = { "pulumi.com/autonamed": "true" };
  const readsConfig = {
    containers: [{ ...HARDENED_CONTAINER, envFrom: [{ configMapRef: { name: "settings" } }] }],
  };
  expect(rollViolations([configMap(autonamed), deployment("app", "shop", readsConfig)])).toEqual(
    [],
  );
  // With enableConfigMapMutable the provider updates it in place: the name, and the pods, stay.
  const mutable = packResource("ConfigMap", "settings", {
    metadata: { name: "settings", namespace: "shop", annotations: autonamed },
  });
  const inPlace = {
    ...mutable,
    provider: { type: "pulumi:providers:kubernetes", props: { enableConfigMapMutable: "true" } },
  };
  expect(rollViolations([inPlace, deployment("app", "shop", readsConfig)])).toHaveLength(1);
  // Unless it is immutable: then it is replaced all the same.
  const immutable = { ...configMap(autonamed, true), provider: inPlace.provider };
  expect(rollViolations([immutable, deployment("app", "shop", readsConfig)])).toEqual([]);
});

test("env valueFrom and projected volumes are reads too; objects outside the program are not judged", () => {
  const pod = {
    containers: [
      {
        ...HARDENED_CONTAINER,
        env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "settings", key: "A" } } }],
      },
    ],
    volumes: [
      {
        name: "all",
        projected: {
          sources: [{ secret: { name: "app-secrets" } }, { configMap: { name: "elsewhere" } }],
        },
      },
    ],
  };
  const fields = rollViolations([configMap(), secret, deployment("app", "shop", pod)]).map(
    ({ message }) => message.split(":")[0],
  );
  expect(fields).toEqual([
    'Deployment "shop/app" spec.template.spec.containers[0].env[0].valueFrom',
    'Deployment "shop/app" spec.template.spec.volumes[0]',
  ]);
});

test("a bare Pod or a Job is not judged: nothing rolls them", () => {
  const job = packResource("Job", "once", {
    metadata: { name: "once", namespace: "shop" },
    spec: { template: { spec: readsBoth } },
  });
  expect(rollViolations([configMap(), secret, job])).toEqual([]);
});

test("a generic checksum stands for one object of its kind only: the one no checksum/NAME names", () => {
  const files = packResource("Secret", "files", {
    metadata: { name: "app-files-tls", namespace: "shop" },
  });
  const pod = {
    containers: [{ ...HARDENED_CONTAINER, envFrom: [{ secretRef: { name: "app-secrets" } }] }],
    volumes: [{ name: "tls", secret: { secretName: "app-files-tls" } }],
  };
  const resources = (annotations: Record<string, string>) => [
    secret,
    files,
    deployment("app", "shop", pod, annotations),
  ];
  // The program's pattern: checksum/secret for the app's Secret, checksum/files-tls for the set.
  expect(rollViolations(resources({ "checksum/secret": "a", "checksum/files-tls": "b" }))).toEqual(
    [],
  );
  // checksum/secret alone cannot stand for both Secrets.
  expect(rollViolations(resources({ "checksum/secret": "a" }))).toHaveLength(2);
});

test("checksum/X names an object only as its whole name or a part after a dash", () => {
  const readsSecret = {
    containers: [{ ...HARDENED_CONTAINER, envFrom: [{ secretRef: { name: "app-secrets" } }] }],
  };
  expect(
    rollViolations([secret, deployment("app", "shop", readsSecret, { "checksum/s": "a" })]),
  ).toHaveLength(1);
  expect(
    rollViolations([
      secret,
      deployment("app", "shop", readsSecret, { "checksum/app-secrets": "a" }),
    ]),
  ).toEqual([]);
});

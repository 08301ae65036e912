// policy/rules/subPathMount.ts: a Secret or ConfigMap volume mounted with subPath, never refreshed.

import { subPathViolations } from "../../policy/rules/subPathMount";
import { deployment, HARDENED_CONTAINER } from "../support/packResources";

const volumes = [
  { name: "tls", secret: { secretName: "app-tls" } },
  { name: "settings", configMap: { name: "settings" } },
  { name: "scratch", emptyDir: {} },
];

test("a Secret or ConfigMap volume with subPath or subPathExpr is a violation at that field", () => {
  const container = {
    ...HARDENED_CONTAINER,
    volumeMounts: [
      { name: "tls", mountPath: "/etc/tls/tls.crt", subPath: "tls.crt" },
      { name: "settings", mountPath: "/etc/app/app.yaml", subPathExpr: "$(POD_NAME).yaml" },
      { name: "scratch", mountPath: "/tmp/x", subPath: "x" },
    ],
  };
  const violations = subPathViolations([
    deployment("app", "shop", { containers: [container], volumes }),
  ]);
  expect(violations.map(({ message }) => message.split(": the")[0])).toEqual([
    'Deployment "shop/app" spec.template.spec.containers[0].volumeMounts[0].subPath',
    'Deployment "shop/app" spec.template.spec.containers[0].volumeMounts[1].subPathExpr',
  ]);
  expect(violations[0].message).toContain("(a Secret)");
  expect(violations[0].message).toContain("Mount the volume as a directory");
});

test("the same volumes mounted as directories are no violation", () => {
  const container = {
    ...HARDENED_CONTAINER,
    volumeMounts: [
      { name: "tls", mountPath: "/etc/tls" },
      { name: "settings", mountPath: "/etc/app" },
    ],
  };
  expect(
    subPathViolations([deployment("app", "shop", { containers: [container], volumes })]),
  ).toEqual([]);
});

test("an empty subPath is none, and a projected volume is refreshed too", () => {
  const container = {
    ...HARDENED_CONTAINER,
    volumeMounts: [
      { name: "tls", mountPath: "/etc/tls", subPath: "" },
      { name: "all", mountPath: "/etc/all/x", subPath: "x" },
    ],
  };
  const withProjected = [
    ...volumes,
    { name: "all", projected: { sources: [{ secret: { name: "s" } }] } },
  ];
  const violations = subPathViolations([
    deployment("app", "shop", { containers: [container], volumes: withProjected }),
  ]);
  expect(violations.map(({ message }) => message.split(": the")[0])).toEqual([
    'Deployment "shop/app" spec.template.spec.containers[0].volumeMounts[1].subPath',
  ]);
  expect(violations[0].message).toContain("(a projected volume)");
});

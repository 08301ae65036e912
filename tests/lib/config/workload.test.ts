// lib/config/workload.ts and namespace.ts: what Kubernetes or the app would get wrong at run time.

import {
  fieldEnvDefaultProblems,
  quantityValue,
  resourceProblems,
} from "../../../lib/config/workload";
import { namespaceProblems } from "../../../lib/config/namespace";

test.each(["kube-system", "kube-public", "kube-node-lease"])(
  "%s is refused whether the program creates it or not",
  (namespace) => {
    for (const create of [true, false]) {
      const [problem] = namespaceProblems(namespace, create, "task-api", "staging");
      expect(problem.key).toBe("task-api:namespace");
      expect(problem.fix).toBe("pulumi config set task-api:namespace task-api-staging -s staging");
    }
  },
);

test("default is refused only where the program would create or relabel it", () => {
  expect(namespaceProblems("default", true, "task-api", "staging")).toHaveLength(1);
  expect(namespaceProblems("default", false, "task-api", "staging")).toEqual([]);
  expect(namespaceProblems("task-api-staging", true, "task-api", "staging")).toEqual([]);
});

test("quantities compare across suffixes", () => {
  expect(quantityValue("500m")).toBe(0.5);
  expect(quantityValue("1")).toBe(1);
  expect(quantityValue("1Gi")).toBe(2 ** 30);
  expect(quantityValue("512Mi")).toBeLessThan(quantityValue("1G"));
  expect(quantityValue("1.5k")).toBe(1500);
});

test("a request above its limit is refused, with the command that lowers it to the limit", () => {
  const problems = resourceProblems(
    { requests: { cpu: "2", memory: "128Mi" }, limits: { cpu: "500m", memory: "1Gi" } },
    "staging",
  );
  expect(problems.map((p) => p.key)).toEqual(["task-api:resources.requests.cpu"]);
  expect(problems[0].fix).toBe("pulumi config set --path 'resources.requests.cpu' 500m -s staging");
  expect(
    resourceProblems(
      { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "500m", memory: "1Gi" } },
      "staging",
    ),
  ).toEqual([]);
});

test("a Downward API variable named like a program default is refused", () => {
  const defaults = { NODE_ENV: "production", LOG_LEVEL: "info", PORT: "8080" };
  const problems = fieldEnvDefaultProblems(["PORT", "LOG_LEVEL", "POD_NAME"], defaults, "staging");
  expect(problems.map((p) => p.key)).toEqual([
    "task-api:fieldEnv.PORT",
    "task-api:fieldEnv.LOG_LEVEL",
  ]);
  expect(problems[0].message).toContain("PORT follows task-api:port");
  expect(problems[1].fix).toBe("pulumi config rm --path 'fieldEnv.LOG_LEVEL' -s staging");
});

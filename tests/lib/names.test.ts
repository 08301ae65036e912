// lib/names.ts: the API server's name rules (k8s.io/apimachinery/pkg/util/validation).

import {
  isDataKey,
  isDns1123Label,
  isDns1123Subdomain,
  isEnvVarName,
  isLabelValue,
} from "../../lib/names";

test("Kubernetes names follow the API server's rules", () => {
  expect(isDns1123Label("task-api-staging")).toBe(true);
  expect(isDns1123Label("Task")).toBe(false);
  expect(isDns1123Label("a".repeat(64))).toBe(false);
  expect(isDns1123Subdomain("ghcr.secret")).toBe(true);
  expect(isDns1123Subdomain("-x")).toBe(false);
  expect(isDataKey(".dockerconfigjson")).toBe(true);
  expect(isDataKey("..")).toBe(false);
  expect(isLabelValue("1.5.0-rc.2")).toBe(true);
  expect(isLabelValue("x".repeat(64))).toBe(false);
  expect(isEnvVarName("_OK_1")).toBe(true);
  expect(isEnvVarName("1BAD")).toBe(false);
  expect(isEnvVarName("has-dash")).toBe(false);
});

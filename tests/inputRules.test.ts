// The small rules input validation is built from: image references, Kubernetes names, secret
// heuristics, typo suggestions.

import { parseImageReference } from "../lib/imageReference";
import {
  isDataKey,
  isDns1123Label,
  isDns1123Subdomain,
  isEnvVarName,
  isLabelValue,
} from "../lib/names";
import { credentialLookingValue, secretLookingKeyWord } from "../lib/config/secretLooking";
import { didYouMean } from "../lib/config/suggest";

test.each([
  [
    "ghcr.io/acme/task-api:1.4.2",
    { registry: "ghcr.io", repository: "acme/task-api", tag: "1.4.2" },
  ],
  [
    "registry.digitalocean.com/acme/task-api:2.0",
    { registry: "registry.digitalocean.com", repository: "acme/task-api", tag: "2.0" },
  ],
  ["nginx:1.27", { registry: "docker.io", repository: "nginx", tag: "1.27" }],
  ["acme/task-api:1", { registry: "docker.io", repository: "acme/task-api", tag: "1" }],
  [
    "localhost:5000/task-api:dev",
    { registry: "localhost:5000", repository: "task-api", tag: "dev" },
  ],
  [
    `ghcr.io/acme/task-api@sha256:${"a".repeat(64)}`,
    { registry: "ghcr.io", repository: "acme/task-api", digest: `sha256:${"a".repeat(64)}` },
  ],
])("parses %s", (reference, expected) => {
  expect(parseImageReference(reference)).toMatchObject(expected);
});

test.each([
  "",
  "GHCR.io/acme/Task:1",
  "ghcr.io/acme/task-api:",
  "ghcr.io//x:1",
  "a b:1",
  `x:${"t".repeat(129)}`,
])("refuses %j as an image reference", (reference) => {
  expect(parseImageReference(reference)).toBeUndefined();
});

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

test.each([
  ["DATABASE_PASSWORD", "PASSWORD"],
  ["stripe_api_key", "API_KEY"],
  ["JWT_SIGNING_KEY", "SIGNING_KEY"],
  ["MAX_TOKENS", "TOKEN"],
  ["LOG_LEVEL", undefined],
  ["DATABASE_HOST", undefined],
])("key %s looks secret because of %s", (key, word) => {
  expect(secretLookingKeyWord(key)).toBe(word);
});

test.each([
  ["ghp_0123456789abcdefghijABCDEFGHIJ", "a GitHub token (ghp_...)"],
  ["sk-proj-abcdefghijklmnopqrstuvwxyz", "an API secret key (sk-...)"],
  ["-----BEGIN RSA PRIVATE KEY-----\nMIIE", "a PEM private key block"],
  ["postgres://app:pw@db:5432/tasks", "a URL with a password in it"],
  ["AKIAABCDEFGHIJKLMNOP", "an AWS access key id"],
  ["https://api.example.com/v1", undefined],
  ["gpt-4o-mini", undefined],
])("value %j looks like %s", (value, what) => {
  expect(credentialLookingValue(value)).toBe(what);
});

test("suggests the closest declared name for a typo, and nothing for an unrelated name", () => {
  const declared = ["DATABASE_PASSWORD", "OPENAI_API_KEY"];
  expect(didYouMean("DATABSE_PASSWORD", declared)).toBe("DATABASE_PASSWORD");
  expect(didYouMean("openai_api_key", declared)).toBe("OPENAI_API_KEY");
  expect(didYouMean("SENTRY_DSN", declared)).toBeUndefined();
});

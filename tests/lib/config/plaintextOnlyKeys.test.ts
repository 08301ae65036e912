// lib/config/plaintextOnlyKeys.ts: a key whose values end up in plaintext in Kubernetes objects,
// arriving encrypted, is refused with the commands that set it again in plaintext, as its kind of
// value needs.

import { plaintextOnlyProblems } from "../../../lib/config/plaintextOnlyKeys";
import { ConfigName } from "../../../lib/config/keys";
import { RawStackConfig } from "../../../lib/config/settings";

/** A stack `review` whose keys `encrypted` arrived encrypted, holding `values` (engine strings). */
function raw(
  values: Partial<Record<ConfigName, string>>,
  encrypted: readonly ConfigName[],
): RawStackConfig {
  return { stack: "review", values, isSecret: (name) => encrypted.includes(name) };
}

test("only a key that is set, encrypted and not a secret key is refused", () => {
  const stack = raw(
    {
      image: "ghcr.io/acme/app:1.0.0",
      namespace: "shop",
      secrets: "{}",
      registryToken: "x",
      secretFileContents: "{}",
    },
    ["image", "secrets", "registryToken", "secretFileContents", "appName"],
  );
  expect(plaintextOnlyProblems(stack).map((problem) => problem.key)).toEqual(["task-api:image"]);
  expect(plaintextOnlyProblems(raw({ image: "ghcr.io/acme/app:1.0.0" }, []))).toEqual([]);
});

test("a scalar key is set again whole, its value left for the user to type", () => {
  expect(plaintextOnlyProblems(raw({ image: "ghcr.io/acme/app:1.0.0" }, ["image"]))).toEqual([
    {
      key: "task-api:image",
      message:
        "is encrypted, but its values are not kept secret: they end up in plaintext in Kubernetes objects. Secret settings go under task-api:secrets; set it without --secret",
      fix: "pulumi config set task-api:image VALUE -s review",
    },
  ]);
  // A number or true/false parses as JSON but is no object: still the whole key.
  expect(plaintextOnlyProblems(raw({ replicas: "3" }, ["replicas"]))[0].fix).toBe(
    "pulumi config set task-api:replicas VALUE -s review",
  );
});

test("config: each secret moves to secrets", () => {
  const [problem] = plaintextOnlyProblems(raw({ config: '{"LOG_LEVEL":"debug"}' }, ["config"]));
  expect(problem.message).toMatch(
    /Secret settings go under task-api:secrets; move each secret one there$/,
  );
  expect(problem.fix).toBe(
    "pulumi config rm --path 'config.NAME' -s review && pulumi config set --secret --path 'secrets.NAME' -s review",
  );
});

test("an object or list key is removed, then each leaf set by its path, once", () => {
  const [resources] = plaintextOnlyProblems(
    raw({ resources: '{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"1"}}' }, [
      "resources",
    ]),
  );
  expect(resources.fix).toBe(
    [
      "pulumi config rm task-api:resources -s review",
      "pulumi config set --path 'resources.limits.cpu' VALUE -s review",
      "pulumi config set --path 'resources.limits.memory' VALUE -s review",
      "pulumi config set --path 'resources.requests.cpu' VALUE -s review",
    ].join(" && "),
  );
  const [list] = plaintextOnlyProblems(
    raw({ nonSecretConfigKeys: '["A","B"]' }, ["nonSecretConfigKeys"]),
  );
  expect(list.fix).toBe(
    [
      "pulumi config rm task-api:nonSecretConfigKeys -s review",
      "pulumi config set --path 'nonSecretConfigKeys[0]' VALUE -s review",
      "pulumi config set --path 'nonSecretConfigKeys[1]' VALUE -s review",
    ].join(" && "),
  );
});

test("a field name that could be a credential is NAME in the fix, and paths it merges are set once", () => {
  const [problem] = plaintextOnlyProblems(
    raw(
      {
        selectorLabels:
          '{"ghp_0123456789abcdefABCDEF0123456789abcd":"x","ghp_9876543210abcdefABCDEF0123456789abcd":"y","app":"z"}',
      },
      ["selectorLabels"],
    ),
  );
  expect(problem.fix).toBe(
    [
      "pulumi config rm task-api:selectorLabels -s review",
      "pulumi config set --path 'selectorLabels.NAME' VALUE -s review",
      "pulumi config set --path 'selectorLabels.app' VALUE -s review",
    ].join(" && "),
  );
  expect(JSON.stringify(problem)).not.toMatch(/ghp_/);
});

test("a value that is not JSON is set again whole", () => {
  expect(plaintextOnlyProblems(raw({ cluster: "{broken" }, ["cluster"]))[0].fix).toBe(
    "pulumi config set task-api:cluster VALUE -s review",
  );
});

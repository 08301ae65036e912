// Bad input: every problem is reported at once, before any resource exists, naming the config key
// and the command that fixes it, and never a secret value.

import { StackValue } from "../../../lib/config/stackFile";
import { problemAt, problems, settingsOf } from "../../support/configProblems";
import {
  runFailingProgram,
  stackConfig,
  TEST_SECRETS,
  withTestSecrets,
} from "../../support/program";

const baseConfig = JSON.parse(stackConfig("staging").values["task-api:config"]) as Record<
  string,
  unknown
>;

test("the staging fixture stack with its secrets has no problem", () => {
  expect(problems({})).toEqual([]);
});

test("a missing required secret names the secure command to set it", () => {
  const found = problems(withTestSecrets({ OPENAI_API_KEY: TEST_SECRETS.OPENAI_API_KEY }));
  expect(problemAt(found, "task-api:secrets.DATABASE_PASSWORD").fix).toBe(
    "pulumi config set --secret --path 'secrets.DATABASE_PASSWORD' -s staging",
  );
});

test("secrets stored unencrypted are refused, with rotation advice and without their values", () => {
  const found = problems({ "task-api:secrets": { ...TEST_SECRETS } });
  const problem = problemAt(found, "task-api:secrets");
  expect(problem.message).toMatch(/plaintext.*rotate/);
  expect(JSON.stringify(found)).not.toContain(TEST_SECRETS.DATABASE_PASSWORD);
});

test("an undeclared secret name is reported as a likely typo, with the closest name", () => {
  const found = problems(withTestSecrets({ ...TEST_SECRETS, DATABASE_PASWORD: "x-typo" }));
  const problem = problemAt(found, "task-api:secrets.DATABASE_PASWORD");
  expect(problem.message).toMatch(/typo of "DATABASE_PASSWORD"/);
});

test("a secret declared optional is accepted", () => {
  const found = problems({
    ...withTestSecrets({ ...TEST_SECRETS, SENTRY_DSN: "https://k@sentry.example/1" }),
    "task-api:optionalSecrets": ["SENTRY_DSN"],
  });
  expect(found).toEqual([]);
});

test("invalid environment variable names are refused in config and in secrets", () => {
  const found = problems({
    ...withTestSecrets({ ...TEST_SECRETS, "2FA_SEED": "x" }),
    "task-api:optionalSecrets": ["2FA_SEED"],
    "task-api:config": { ...baseConfig, "log.level": "debug" },
  });
  expect(problemAt(found, "task-api:config.log.level").message).toMatch(
    /not a valid environment variable name/,
  );
  expect(problemAt(found, "task-api:secrets.2FA_SEED").message).toMatch(
    /not a valid environment variable name/,
  );
});

test("a NUL byte in a value is refused, and the secret value is not echoed", () => {
  const found = problems({
    ...withTestSecrets({ ...TEST_SECRETS, DATABASE_PASSWORD: "nul\u0000secret-55" }),
    "task-api:config": { ...baseConfig, GREETING: "hi\u0000" },
  });
  expect(problemAt(found, "task-api:secrets.DATABASE_PASSWORD").message).toMatch(/NUL byte/);
  expect(problemAt(found, "task-api:config.GREETING").message).toMatch(/NUL byte/);
  expect(JSON.stringify(found)).not.toContain("secret-55");
});

test("Secret and ConfigMap data over 1 MiB are refused", () => {
  const big = "x".repeat(1024 * 1024);
  const found = problems({
    ...withTestSecrets({ ...TEST_SECRETS, CERT_BUNDLE: big }),
    "task-api:optionalSecrets": ["CERT_BUNDLE"],
    "task-api:config": { ...baseConfig, BIG: big },
  });
  expect(problemAt(found, "task-api:secrets").message).toMatch(/at most 1048576/);
  expect(problemAt(found, "task-api:config").message).toMatch(/at most 1048576/);
});

test("object names that are not DNS-1123 are refused", () => {
  const found = problems({
    "task-api:namespace": "Task_API",
    "task-api:appName": "-api",
    "task-api:registry": { server: "ghcr.io", username: "acme", secretName: "GHCR" },
  });
  expect(problemAt(found, "task-api:namespace").message).toMatch(/not a valid namespace name/);
  expect(problemAt(found, "task-api:appName").message).toMatch(/not a valid object name/);
  expect(problemAt(found, "task-api:registry.secretName").message).toMatch(
    /not a valid Secret name/,
  );
});

test.each([
  ["ghcr.io/Acme/Task-API:1.0", /not a valid image reference/],
  ["ghcr.io/acme/task-api", /no tag or digest/],
  ["ghcr.io/acme/task-api:latest", /never rolls the pods/],
])("the image %s is refused", (image, message) => {
  expect(problemAt(problems({ "task-api:image": image }), "task-api:image").message).toMatch(
    message,
  );
});

test("a private-registry image without registry credentials is refused (ImagePullBackOff)", () => {
  const found = problems({ "task-api:registry": {}, "task-api:registryToken": undefined });
  expect(problemAt(found, "task-api:registry").message).toMatch(/ImagePullBackOff/);
});

test("a public Docker Hub image needs no registry credentials", () => {
  const found = problems({
    "task-api:image": "nginxinc/nginx-unprivileged:1.27",
    "task-api:registry": {},
    "task-api:registryToken": undefined,
  });
  expect(found).toEqual([]);
});

test("an image from another registry than the credentials are for is refused", () => {
  const found = problems({ "task-api:image": "quay.io/acme/task-api:1.0.0" });
  expect(problemAt(found, "task-api:image").message).toMatch(/pull secret is for ghcr.io/);
});

test("a registry token stored unencrypted is refused", () => {
  const found = problems({ "task-api:registryToken": "ghp_PlaintextToken123456789012345" });
  const problem = problemAt(found, "task-api:registryToken");
  expect(problem.message).toMatch(/plaintext/);
  expect(problem.fix).toBe("pulumi config set --secret task-api:registryToken -s staging");
  expect(JSON.stringify(found)).not.toContain("ghp_PlaintextToken");
});

test.each([["-1"], ["1.5"], ["three"]])("replicas %s is refused", (replicas) => {
  const found = problems({ "task-api:replicas": replicas });
  expect(problemAt(found, "task-api:replicas").message).toMatch(/whole number from 0/);
});

test.each([["0"], ["-60"], ["9"], ["86401"], ["1.5"], ["5m"], ["300s"]])(
  "rolloutTimeoutSeconds %s is refused, with the command that sets the default",
  (seconds) => {
    const problem = problemAt(
      problems({ "task-api:rolloutTimeoutSeconds": seconds }),
      "task-api:rolloutTimeoutSeconds",
    );
    expect(problem.message).toBe(`must be a whole number from 10 to 86400 (got "${seconds}")`);
    expect(problem.fix).toBe(
      "pulumi config set --type int task-api:rolloutTimeoutSeconds 300 -s staging",
    );
  },
);

test("rolloutTimeoutSeconds is read as a number of seconds, 300 unless set", () => {
  expect(settingsOf({}).rolloutTimeoutSeconds).toBe(300);
  expect(settingsOf({ "task-api:rolloutTimeoutSeconds": 60 }).rolloutTimeoutSeconds).toBe(60);
});

test("a rollout timeout with awaitRollout false is refused: nothing would wait", () => {
  const problem = problemAt(
    problems({ "task-api:awaitRollout": false, "task-api:rolloutTimeoutSeconds": 60 }),
    "task-api:rolloutTimeoutSeconds",
  );
  expect(problem.message).toBe(
    "60 would be ignored: task-api:awaitRollout is false, so `pulumi up` does not wait for the rollout at all",
  );
  expect(problem.fix).toBe(
    "pulumi config rm task-api:rolloutTimeoutSeconds -s staging   (or, to wait for the rollout: " +
      "pulumi config set --type bool task-api:awaitRollout true -s staging)",
  );
  // The default reaches the program as if set; with it, awaitRollout false is a setting like before.
  expect(problems({ "task-api:awaitRollout": false })).toEqual([]);
});

test("replicas 0 is a value, not a missing one", () => {
  expect(problems({ "task-api:replicas": 0 })).toEqual([]);
});

test("a secret-looking key in config is refused with both ways out", () => {
  const found = problems({ "task-api:config": { ...baseConfig, DATABASE_PASSWORD_HINT: "x" } });
  const problem = problemAt(found, "task-api:config.DATABASE_PASSWORD_HINT");
  expect(problem.message).toMatch(/looks like a secret/);
  expect(problem.fix).toContain(
    "pulumi config set --secret --path 'secrets.DATABASE_PASSWORD_HINT' -s staging",
  );
  expect(problem.fix).toContain(
    "pulumi config set --path 'nonSecretConfigKeys[1]' DATABASE_PASSWORD_HINT -s staging",
  );
});

test("a credential-looking value in config is refused whatever its key", () => {
  const found = problems({
    "task-api:config": {
      ...baseConfig,
      DATABASE_URL: "postgres://app:hunter2@db:5432/tasks",
      MAX_TOKENS: "sk-live-abcdefghijklmnopqrstuvwx",
    },
    "task-api:nonSecretConfigKeys": ["MAX_TOKENS"],
  });
  expect(problemAt(found, "task-api:config.DATABASE_URL").message).toMatch(
    /secretlint finds a credential in the value \(task-api\/URL_PASSWORD, database-connection-string\/PostgreSQLConnection\)/,
  );
  // Declared not secret by name, which accepts no finding of its value.
  expect(problemAt(found, "task-api:config.MAX_TOKENS").message).toMatch(
    /\(task-api\/SK_SECRET_KEY\)/,
  );
  expect(JSON.stringify(found)).not.toContain("hunter2");
});

test("a name set in both config and secrets is refused, naming both places", () => {
  const found = problems({
    "task-api:config": { ...baseConfig, OPENAI_API_KEY: "x" },
    "task-api:nonSecretConfigKeys": ["MAX_TOKENS", "OPENAI_API_KEY"],
  });
  expect(found.map((p) => p.key)).toContain(
    "task-api:config.OPENAI_API_KEY and task-api:secrets.OPENAI_API_KEY",
  );
});

test("a fieldEnv entry that would shadow config is refused (env beats envFrom)", () => {
  const found = problems({ "task-api:fieldEnv": { LOG_LEVEL: "metadata.name" } });
  expect(problemAt(found, "task-api:fieldEnv.LOG_LEVEL").message).toMatch(/silently shadow/);
});

test("PORT is set through task-api:port, not config", () => {
  const found = problems({ "task-api:config": { ...baseConfig, PORT: 3000 } });
  expect(problemAt(found, "task-api:config.PORT").fix).toContain("task-api:port");
});

test("a missing namespace is required, with the command that sets it", () => {
  const problem = problemAt(problems({ "task-api:namespace": undefined }), "task-api:namespace");
  expect(problem.fix).toBe("pulumi config set task-api:namespace task-api-staging -s staging");
});

test("an encrypted value under config is refused: it would be plaintext in the ConfigMap", () => {
  const found = problems({
    "task-api:config": { ...baseConfig, SENTRY_DSN: { secure: "dsn-secret-8812" } },
  });
  const problem = problemAt(found, "task-api:config");
  expect(problem.message).toMatch(/encrypted, but its values are not kept secret/);
  expect(JSON.stringify(found)).not.toContain("dsn-secret-8812");
});

test("an encrypted cluster setting is refused, and a type error does not echo it", () => {
  const found = problems({ "task-api:cluster": { doks: { secure: "cluster-secret-5511" }, x: 1 } });
  expect(found.map((p) => p.key)).toContain("task-api:cluster");
  expect(JSON.stringify(found)).not.toContain("cluster-secret-5511");
});

test("plaintext secrets that are not even an object are refused as plaintext, never echoed", () => {
  const found = problems({ "task-api:secrets": "hunter2-PLAINTEXT" });
  expect(problemAt(found, "task-api:secrets").message).toMatch(/stored in plaintext/);
  expect(JSON.stringify(found)).not.toContain("hunter2");
});

test("values of keys that arrived encrypted are never quoted by the other checks", () => {
  const found = problems({
    "task-api:namespace": { secure: "Secret_Namespace_77" },
    "task-api:image": { secure: "ghcr.io/acme/secret-image-77" },
  });
  expect(found.map((p) => p.key)).toEqual(
    expect.arrayContaining(["task-api:namespace", "task-api:image"]),
  );
  expect(JSON.stringify(found)).not.toMatch(/Secret_Namespace_77|secret-image-77/);
});

test("every problem is reported at once", () => {
  const found = problems({
    ...withTestSecrets({}),
    "task-api:image": "ghcr.io/acme/task-api:latest",
    "task-api:replicas": "-2",
    "task-api:namespace": "Bad Namespace",
    "task-api:config": { ...baseConfig, API_TOKEN: "x" },
  });
  expect(found.map((p) => p.key).sort()).toEqual([
    "task-api:config.API_TOKEN",
    "task-api:image",
    "task-api:namespace",
    "task-api:replicas",
    "task-api:secrets.DATABASE_PASSWORD",
    "task-api:secrets.OPENAI_API_KEY",
  ]);
});

test("the program registers no resource when validation fails, and says nothing was deployed", async () => {
  const { error, mocks } = await runFailingProgram(
    "staging",
    stackConfig("staging", { "task-api:replicas": "-1", "task-api:image": "ghcr.io/x/y" }),
  );
  expect(error.message).toMatch(
    /^5 problems in the config of stack "staging"; nothing was deployed/,
  );
  expect(error.message).toContain("task-api:replicas");
  expect(mocks.resources).toEqual([]);
});

test("a plaintext secret beside encrypted ones is refused by name, with the command that encrypts it", () => {
  // The engine marks the whole `secrets` object secret when one leaf is encrypted, so the program
  // learns of the plaintext leaf from the stack file (plaintextLeafNames), as the e2e run showed.
  const found = problems(withTestSecrets(), ["OPENAI_API_KEY"]);
  const problem = problemAt(found, "task-api:secrets.OPENAI_API_KEY");
  expect(problem.message).toMatch(/plaintext in the stack file, beside encrypted secrets.*leaked/);
  expect(problem.fix).toBe("pulumi config set --secret --path 'secrets.OPENAI_API_KEY' -s staging");
  expect(JSON.stringify(found)).not.toContain(TEST_SECRETS.OPENAI_API_KEY);
});

describe("task-api:selectorLabels", () => {
  test("a label key Kubernetes refuses is reported with a bracketed --path that removes it", () => {
    const found = problems({ "task-api:selectorLabels": { "app.kubernetes.io/-name": "x" } });
    const problem = problemAt(found, 'task-api:selectorLabels["app.kubernetes.io/-name"]');
    expect(problem.message).toContain("is not a valid label key");
    expect(problem.fix).toBe(
      `pulumi config rm --path 'selectorLabels["app.kubernetes.io/-name"]' -s staging`,
    );
  });

  test("a value that is not a label value is reported with the command that sets one", () => {
    const found = problems({ "task-api:selectorLabels": { app: "-task-api" } });
    const problem = problemAt(found, "task-api:selectorLabels.app");
    expect(problem.message).toContain(
      "must be a label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit) (got \"-task-api\")",
    );
    expect(problem.fix).toBe("pulumi config set --path 'selectorLabels.app' task-api -s staging");
  });

  test("a list instead of an object is reported", () => {
    const found = problems({ "task-api:selectorLabels": ["app"] });
    expect(problemAt(found, "task-api:selectorLabels").message).toContain(
      "must be an object of labels",
    );
  });

  test("valid labels, and the empty default, pass", () => {
    expect(
      problems({ "task-api:selectorLabels": { app: "task-api", "example.com/tier": "api" } }),
    ).toEqual([]);
    expect(problems({ "task-api:selectorLabels": {} })).toEqual([]);
  });
});

test("task-api:adoptExisting must be a boolean", () => {
  const found = problems({ "task-api:adoptExisting": "yes" });
  expect(problemAt(found, "task-api:adoptExisting").fix).toBe(
    "pulumi config set --type bool task-api:adoptExisting true -s staging",
  );
});

describe("a misspelt or unknown nested field is refused, never dropped", () => {
  test.each([
    ["task-api:resources", { request: { cpu: "1" } }, "task-api:resources.request", "requests"],
    [
      "task-api:resources",
      { limits: { memroy: "1Gi" } },
      "task-api:resources.limits.memroy",
      "limits.memory",
    ],
    [
      "task-api:probes",
      { readinesPath: "/ready" },
      "task-api:probes.readinesPath",
      "readinessPath",
    ],
    [
      "task-api:registry",
      { server: "ghcr.io", username: "u", secretname: "x" },
      "task-api:registry.secretname",
      "secretName",
    ],
  ])("%s %j: %s, did you mean %s", (key, value, problemKey, suggestion) => {
    const problem = problemAt(problems({ [key]: value }), problemKey);
    expect(problem.message).toContain(`did you mean ${key}.${suggestion}?`);
    expect(problem.fix).toBe(
      `pulumi config rm --path '${problemKey.replace("task-api:", "")}' -s staging`,
    );
  });

  test("a field named like a secret is treated as leaked, and no neighbouring field is proposed", () => {
    const password = "hunter2-registry-password";
    const found = problems({
      "task-api:registry": { server: "ghcr.io", username: "u", password },
    });
    const problem = problemAt(found, "task-api:registry.password");
    expect(problem.message).toContain("treat it as leaked and rotate it");
    expect(problem.message).not.toContain("did you mean");
    expect(JSON.stringify(found)).not.toContain(password);
  });

  test("a token pasted under task-api:cluster is refused without being printed", () => {
    const token = `dop_v1_${"7e".repeat(32)}`;
    const found = problems({ "task-api:cluster": { token } });
    expect(problemAt(found, "task-api:cluster.token").message).toContain("treat it as leaked");
    expect(JSON.stringify(found)).not.toContain(token);
  });
});

describe("names such as __proto__ and toString are names like any other", () => {
  test("a required secret named toString is reported missing", () => {
    const found = problems({
      "task-api:requiredSecrets": ["DATABASE_PASSWORD", "OPENAI_API_KEY", "toString"],
    });
    expect(problemAt(found, "task-api:secrets.toString").message).toContain(
      "required secret is not set",
    );
  });

  test("a secret named __proto__ is kept, and reported as undeclared", () => {
    const found = problems(withTestSecrets({ ...TEST_SECRETS, ["__proto__"]: "x" }));
    expect(problemAt(found, "task-api:secrets.__proto__").message).toContain(
      "is neither in task-api:requiredSecrets nor in task-api:optionalSecrets",
    );
  });
});

test("a declared secret name that carries a value (FOO=value) is refused without the value", () => {
  const value = "sk-live-0123456789abcdef0123";
  const found = problems({ "task-api:optionalSecrets": [`FOO=${value}`] });
  const problem = problemAt(found, "task-api:optionalSecrets[0]");
  expect(problem.fix).toBe("pulumi config rm --path 'optionalSecrets[0]' -s staging");
  expect(JSON.stringify(found)).not.toContain(value);
});

test("moving a secret-looking setting to secrets also declares it, and says to rotate it", () => {
  const found = problems({ "task-api:config": { ...baseConfig, DB_PASSWORD: "x" } });
  const problem = problemAt(found, "task-api:config.DB_PASSWORD");
  expect(problem.message).toContain("treat it as leaked, rotate it");
  expect(problem.fix).toContain(
    "pulumi config rm --path 'config.DB_PASSWORD' -s staging && pulumi config set --secret --path 'secrets.DB_PASSWORD' -s staging && pulumi config set --path 'optionalSecrets[0]' DB_PASSWORD -s staging",
  );
});

test("no problem quotes a value that arrived encrypted, whatever its key", () => {
  const sentinel = "sentinel-7f3a9c";
  const values: Record<string, StackValue> = {
    "task-api:image": `ghcr.io/acme/${sentinel}`,
    "task-api:appName": sentinel,
    "task-api:namespace": sentinel,
    "task-api:config": { LOG_LEVEL: sentinel },
    "task-api:registry": { server: "ghcr.io", username: sentinel },
    "task-api:cluster": { doks: sentinel },
    "task-api:probes": { readinessPath: sentinel },
    "task-api:selectorLabels": { app: sentinel },
  };
  const keys = Object.keys(values);
  expect(keys.length).toBeGreaterThan(5);
  for (const key of keys) {
    const engine = stackConfig("staging", { ...withTestSecrets(), [key]: values[key] });
    const found = problems({ [key]: values[key] }, [], {
      isSecret: (name) =>
        `task-api:${name}` === key || engine.secretKeys.includes(`task-api:${name}`),
    });
    expect(found.map((problem) => problem.key)).toContain(key);
    expect(JSON.stringify(found)).not.toContain(sentinel);
  }
});

test("the image is never quoted with the password its URL carries", () => {
  const password = "s3cret-in-url";
  const found = problems({ "task-api:image": `https://deploy:${password}@ghcr.io/acme/x:1` });
  const messages = found
    .filter((problem) => problem.key === "task-api:image")
    .map((problem) => problem.message);
  expect(messages).toEqual([
    expect.stringContaining("secretlint finds a credential in the value (task-api/URL_PASSWORD"),
    expect.stringContaining("a value that is not shown"),
  ]);
  expect(JSON.stringify(found)).not.toContain(password);
});

test.each([
  ["empty", "", "is empty"],
  ["blank", "   ", "is empty"],
  ["a lone surrogate", "pass\uD800word", "not valid Unicode"],
])("a secret that is %s is refused, naming it only", (_, value, message) => {
  const found = problems(withTestSecrets({ ...TEST_SECRETS, DATABASE_PASSWORD: value }));
  const problem = problemAt(found, "task-api:secrets.DATABASE_PASSWORD");
  expect(problem.message).toContain(message);
  expect(problem.fix).toBe(
    "pulumi config set --secret --path 'secrets.DATABASE_PASSWORD' -s staging",
  );
});

test("a setting with a lone surrogate is refused: it would reach the app altered", () => {
  const found = problems({ "task-api:config": { ...baseConfig, LOG_LEVEL: "info\uDC00" } });
  expect(problemAt(found, "task-api:config.LOG_LEVEL").message).toContain("not valid Unicode");
});

test.each([
  ["task-api:config", (name: string) => ({ ...baseConfig, [name]: "x" })],
  ["task-api:fieldEnv", (name: string) => ({ [name]: "metadata.name" })],
  ["task-api:selectorLabels", (name: string) => ({ [name]: "task-api" })],
  ["task-api:resources", (name: string) => ({ [name]: {} })],
])(
  "a name under %s that carries a value (NAME=value) is refused there, never printed",
  (key, value) => {
    const secret = "sk-live-0123456789abcdefXYZ";
    const found = problems({ [key]: value(`FOO=${secret}`) });
    expect(problemAt(found, key).message).toContain("has a name that is not shown");
    expect(JSON.stringify(found)).not.toContain(secret);
  },
);

test.each([
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
  "spec.nodeName",
  "spec.serviceAccountName",
  "status.hostIP",
  "status.hostIPs",
  "status.podIP",
  "status.podIPs",
  "metadata.labels['app.kubernetes.io/name']",
])("fieldEnv accepts the Downward API field %s", (fieldPath) => {
  expect(problems({ "task-api:fieldEnv": { FROM_FIELD: fieldPath } })).toEqual([]);
});

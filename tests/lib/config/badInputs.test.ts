// The bad inputs of issue 10, each tried on the staging fixture stack (STACK_FIXTURES): it is refused before
// anything is created, with a problem at the key it is about, a reason, and a fix that works:
// running the printed commands (the first choice of each) leaves a stack with no problem at all.
// Nothing secret (the stack's secrets, or a credential the bad input put in the wrong place)
// appears in any problem. The count printed at the end is the one the closing note gives.

import { readStackFile } from "../../../lib/config/stackFile";
import { Problem } from "../../../lib/problems";
import { DigitalOceanToken } from "../../../lib/config/settings";
import { Answers, applyCommands } from "../../support/configCommands";
import { problems } from "../../support/configProblems";
import {
  STACK_FIXTURES,
  TEST_REGISTRY_TOKEN,
  TEST_SECRETS,
  withTestSecrets,
} from "../../support/program";

const STRIPE = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
const SENTRY_DSN = "https://0a1b2c3d4e5f60718293a4b5c6d7e8f9@o123456.ingest.sentry.io/4242";
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV";
const GITLAB = "glpat-Zq8xW2vN5mK7pL3rT9yB";
const GOOGLE = "AIzaSyDq8xW2vN5mK7pL3rT9yBcF4hJ6kD1sA0e";
const SENDGRID = "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";
const AWS_SECRET = "Zq8xW2vN5mK7pL3rT9yB/cF4hJ6kD1sA0eQ8xW2v";
const REDIS = "redis://:hunter2-redis@redis.internal:6379/0";
const DO_TOKEN = `dop_v1_${"0a1b2c3d".repeat(8)}`;
/** A GitHub token's 36 characters but one. */
const GITHUB_SHORT = "Zq8xW2vN5mK7pL3rT9yBcF4hJ6kD1sA0eQ8";

interface BadInput {
  readonly what: string;
  readonly changes: Record<string, unknown>;
  /** The key of the problem this input must produce. */
  readonly key: string;
  /** What the user supplies where the fix says VALUE or prompts for a secret. */
  readonly answers?: Partial<Answers>;
  /** Values that must not appear in any problem, beyond the stack's secrets. */
  readonly secret?: string;
}

const config = (changes: Record<string, unknown>) => ({
  "task-api:config": {
    ...(readStackFile(STACK_FIXTURES, "staging")["task-api:config"] as object),
    ...changes,
  },
});

const BAD_INPUTS: readonly BadInput[] = [
  // Credentials in the ConfigMap, under neutral names and secret-looking ones.
  ...(
    [
      ["a Stripe live key", STRIPE],
      ["a Sentry DSN", SENTRY_DSN],
      ["a JWT", JWT],
      ["a GitLab token", GITLAB],
      ["a Google API key", GOOGLE],
      ["a SendGrid key", SENDGRID],
      ["an AWS secret access key", AWS_SECRET],
      ["a Redis URL with a password", REDIS],
      ["a DigitalOcean token", DO_TOKEN],
    ] as const
  ).map(([what, value]) => ({
    what: `${what} in config under a neutral name`,
    changes: config({ UPSTREAM: value }),
    key: "task-api:config.UPSTREAM",
    secret: value,
  })),
  {
    what: "a secret-looking name in config (DB_PASS)",
    changes: config({ DB_PASS: "hunter2-db" }),
    key: "task-api:config.DB_PASS",
    secret: "hunter2-db",
  },
  {
    what: "a secret-looking name in config (STRIPE_API_KEY)",
    changes: config({ STRIPE_API_KEY: "plain-but-named-secret" }),
    key: "task-api:config.STRIPE_API_KEY",
    secret: "plain-but-named-secret",
  },
  // Credentials in the other objects.
  {
    what: "a credential in the image",
    changes: { "task-api:image": `ghcr.io/acme/${STRIPE}:1` },
    key: "task-api:image",
    answers: { value: "ghcr.io/acme/task-api:1.5.0" },
    secret: STRIPE,
  },
  {
    what: "a credential in a probe path",
    changes: { "task-api:probes": { readinessPath: `/healthz?key=${STRIPE}` } },
    key: "task-api:probes.readinessPath",
    answers: { value: "/ready" },
    secret: STRIPE,
  },
  {
    what: "a credential in a selector label",
    changes: { "task-api:selectorLabels": { app: GOOGLE } },
    key: "task-api:selectorLabels.app",
    answers: { value: "task-api" },
    secret: GOOGLE,
  },
  // Secrets that are missing, plaintext or misplaced.
  {
    what: "a required secret not set",
    changes: withTestSecrets({ DATABASE_PASSWORD: TEST_SECRETS.DATABASE_PASSWORD }),
    key: "task-api:secrets.OPENAI_API_KEY",
  },
  {
    what: "a required secret set empty",
    changes: withTestSecrets({ ...TEST_SECRETS, OPENAI_API_KEY: "" }),
    key: "task-api:secrets.OPENAI_API_KEY",
  },
  {
    what: "a secret name that is not declared",
    changes: withTestSecrets({ ...TEST_SECRETS, SENTRY_TOKEN: "sentry-token-value-1" }),
    key: "task-api:secrets.SENTRY_TOKEN",
    secret: "sentry-token-value-1",
  },
  {
    what: "the registry token in plaintext",
    changes: { "task-api:registryToken": TEST_REGISTRY_TOKEN },
    key: "task-api:registryToken",
  },
  // Malformed or unsafe settings.
  {
    what: "no image",
    changes: { "task-api:image": undefined },
    key: "task-api:image",
    answers: { value: "ghcr.io/acme/task-api:1.5.0" },
  },
  {
    what: "an image tagged latest",
    changes: { "task-api:image": "ghcr.io/acme/task-api:latest" },
    key: "task-api:image",
    answers: { value: "ghcr.io/acme/task-api:1.5.0" },
  },
  {
    what: "an image without a tag",
    changes: { "task-api:image": "ghcr.io/acme/task-api" },
    key: "task-api:image",
    answers: { value: "ghcr.io/acme/task-api:1.5.0" },
  },
  {
    what: "a namespace that is not a DNS label",
    changes: { "task-api:namespace": "Task_API" },
    key: "task-api:namespace",
  },
  {
    what: "a system namespace",
    changes: { "task-api:namespace": "kube-system" },
    key: "task-api:namespace",
  },
  {
    what: "replicas that are not a number",
    changes: { "task-api:replicas": "three" },
    key: "task-api:replicas",
  },
  { what: "a port out of range", changes: { "task-api:port": 70000 }, key: "task-api:port" },
  {
    what: "an unknown field (resources.request)",
    changes: { "task-api:resources": { request: { cpu: "100m" } } },
    key: "task-api:resources.request",
  },
  {
    what: "an unknown field (probes.readinesPath)",
    changes: { "task-api:probes": { readinesPath: "/ready" } },
    key: "task-api:probes.readinesPath",
  },
  {
    what: "requests above limits",
    changes: { "task-api:resources": { requests: { cpu: "2" }, limits: { cpu: "1" } } },
    key: "task-api:resources.requests.cpu",
    answers: { value: "1" },
  },
  {
    what: "a fieldEnv name that shadows PORT",
    changes: { "task-api:fieldEnv": { PORT: "metadata.name" } },
    key: "task-api:fieldEnv.PORT",
  },
  {
    what: "an invalid environment variable name",
    changes: config({ "1BAD": "x" }),
    key: "task-api:config.1BAD",
  },
  {
    what: "a value with a NUL byte",
    changes: config({ GREETING: "a\u0000b" }),
    key: "task-api:config.GREETING",
    answers: { value: "ab" },
  },
  {
    what: "a value with a lone surrogate",
    changes: config({ GREETING: "a\uD800b" }),
    key: "task-api:config.GREETING",
    answers: { value: "ab" },
  },
  {
    what: "an unknown cluster field",
    changes: { "task-api:cluster": { dosk: "task-api-staging" } },
    key: "task-api:cluster",
  },
  {
    what: "an unknown registry field (secretname)",
    changes: {
      "task-api:registry": { server: "ghcr.io", username: "acme-deploy", secretname: "pull" },
    },
    key: "task-api:registry.secretname",
  },
  {
    what: "a registry password in plaintext",
    changes: {
      "task-api:registry": {
        server: "ghcr.io",
        username: "acme-deploy",
        password: "hunter2-registry",
      },
    },
    key: "task-api:registry.password",
    secret: "hunter2-registry",
  },
  {
    what: "a registry server other than the image's",
    changes: {
      "task-api:registry": { server: "registry.digitalocean.com", username: "acme-deploy" },
    },
    key: "task-api:image",
  },
  {
    what: "a required secret named toString, not set",
    changes: { "task-api:requiredSecrets": ["DATABASE_PASSWORD", "OPENAI_API_KEY", "toString"] },
    key: "task-api:secrets.toString",
  },
  {
    what: "an optional secret name that is not a variable name",
    changes: { "task-api:optionalSecrets": ["not-a-name"] },
    key: "task-api:optionalSecrets[0]",
  },
  { what: "replicas below zero", changes: { "task-api:replicas": -1 }, key: "task-api:replicas" },
  {
    what: "replicas over the limit",
    changes: { "task-api:replicas": 5000 },
    key: "task-api:replicas",
  },
  {
    what: "the default namespace, created by the program",
    changes: { "task-api:namespace": "default" },
    key: "task-api:namespace",
  },
  {
    what: "a fieldEnv field path Kubernetes does not offer",
    changes: { "task-api:fieldEnv": { POD_NAME: "metadata.nme" } },
    key: "task-api:fieldEnv.POD_NAME",
  },
  {
    what: "a probe path that is not a path",
    changes: { "task-api:probes": { readinessPath: "healthz" } },
    key: "task-api:probes.readinessPath",
  },
  {
    what: "an object as a config value",
    changes: config({ NESTED: { a: 1 } }),
    key: "task-api:config.NESTED",
  },
  {
    what: "a name set in config and in secrets",
    changes: config({ OPENAI_API_KEY: "also-in-config" }),
    key: "task-api:config.OPENAI_API_KEY",
  },
  {
    what: "a resource quantity that is not one",
    changes: { "task-api:resources": { limits: { memory: "lots" } } },
    key: "task-api:resources.limits.memory",
  },
  {
    what: "an encrypted image",
    changes: { "task-api:image": { secure: "ghcr.io/acme/task-api:1.5.0" } },
    key: "task-api:image",
    answers: { value: "ghcr.io/acme/task-api:1.5.0" },
  },
  {
    what: "the DigitalOcean token in plaintext",
    changes: { "digitalocean:token": DO_TOKEN },
    key: "digitalocean:token",
    secret: DO_TOKEN,
  },
  {
    what: "a generated secret too short",
    changes: {
      "task-api:generatedSecrets": { WEBHOOK_SECRET: { length: 8 } },
      "task-api:optionalSecrets": ["WEBHOOK_SECRET"],
    },
    key: "task-api:generatedSecrets.WEBHOOK_SECRET.length",
  },
  {
    what: "a secret file set with a relative mount path",
    changes: {
      "task-api:secretFiles": { gcp: { mountPath: "var/run/gcp", files: ["credentials.json"] } },
      "task-api:secretFileContents": { gcp: { "credentials.json": { secure: "{}" } } },
    },
    key: "task-api:secretFiles.gcp.mountPath",
  },
  {
    what: "a rollout timeout written as a duration",
    changes: { "task-api:rolloutTimeoutSeconds": "5m" },
    key: "task-api:rolloutTimeoutSeconds",
  },
  {
    what: "a rollout timeout of zero",
    changes: { "task-api:rolloutTimeoutSeconds": 0 },
    key: "task-api:rolloutTimeoutSeconds",
  },
  {
    what: "a rollout timeout nothing waits for (awaitRollout false)",
    changes: { "task-api:awaitRollout": false, "task-api:rolloutTimeoutSeconds": 60 },
    key: "task-api:rolloutTimeoutSeconds",
  },
  // Issue 23: what was encrypted is never quoted; no plaintext token; credentials by more than
  // their exact format.
  {
    what: "an encrypted app name and no namespace (the suggestion would quote it)",
    changes: {
      "task-api:appName": { secure: "zq-encrypted-app" },
      "task-api:namespace": undefined,
    },
    key: "task-api:namespace",
    answers: { value: "task-api-staging" },
    secret: "zq-encrypted-app",
  },
  {
    what: "an encrypted DOKS cluster name",
    changes: { "task-api:cluster": { doks: { secure: "zq-encrypted-cluster" } } },
    key: "task-api:cluster",
    answers: { value: "task-api-staging" },
    secret: "zq-encrypted-cluster",
  },
  {
    what: "the DigitalOcean token in plaintext on a stack that does not use DigitalOcean",
    changes: { "digitalocean:token": DO_TOKEN, "task-api:cluster": { context: "kind-dev" } },
    key: "digitalocean:token",
    secret: DO_TOKEN,
  },
  {
    what: "a GitHub token one character short as the image tag",
    changes: { "task-api:image": `ghcr.io/acme/task-api:ghp_${GITHUB_SHORT}` },
    key: "task-api:image",
    answers: { value: "ghcr.io/acme/task-api:1.5.0" },
    secret: GITHUB_SHORT,
  },
  {
    what: "a token in a probe path's query string",
    changes: { "task-api:probes": { livenessPath: `/healthz?token=ghp_${GITHUB_SHORT}` } },
    key: "task-api:probes.livenessPath",
    answers: { value: "/healthz" },
    secret: GITHUB_SHORT,
  },
  {
    what: "a boolean that is not one",
    changes: { "task-api:restartOnChange": "yes" },
    key: "task-api:restartOnChange",
  },
];

/** The stack values with `changes`, as problems() reads them, after running `fix`. */
function afterFix(input: BadInput, fix: string): Record<string, unknown> {
  const before = {
    ...withTestSecrets(),
    ...readStackFile(STACK_FIXTURES, "staging"),
    ...input.changes,
  };
  Object.keys(before).forEach((key) => before[key] === undefined && delete before[key]);
  const after = applyCommands(before, fix, { secret: "rotated-value-0001", ...input.answers });
  // problems() starts from the fixture file: a key the fix removed is removed there too.
  return { ...Object.fromEntries(Object.keys(before).map((key) => [key, undefined])), ...after };
}

/** The first choice of a fix: the commands before "   (or ...)". */
function firstChoice(problem: Problem): string {
  expect(problem.fix).toBeDefined();
  return (problem.fix ?? "").split("   (or")[0];
}

/** Where the program finds the DigitalOcean token in these values; CI exports one too. */
function tokenSource(values: Record<string, unknown>): DigitalOceanToken {
  const token = values["digitalocean:token"];
  return {
    environment: true,
    stack: token === undefined ? "missing" : typeof token === "string" ? "plaintext" : "secret",
  };
}

const outcomes: { refused: boolean; fixed: boolean; leaked: boolean }[] = [];

test.each(BAD_INPUTS)(
  "$what: refused at its key, fixed by its own command, nothing secret shown",
  (input) => {
    const found = problems(input.changes, [], { digitalOceanToken: tokenSource(input.changes) });
    const secrets = [
      ...Object.values(TEST_SECRETS),
      TEST_REGISTRY_TOKEN,
      ...(input.secret ? [input.secret] : []),
    ];
    const printed = JSON.stringify(found);
    const leaked = secrets.some((secret) => printed.includes(secret));
    const problem = found.find((candidate) => candidate.key === input.key);
    const refused = problem !== undefined && problem.message.length > 0;
    let remaining: Problem[] | undefined;
    if (problem !== undefined) {
      let values = { ...input.changes };
      // Every problem of the input is followed, in order: a fix may not lead to a new problem.
      for (const each of found) {
        values = afterFix({ ...input, changes: values }, firstChoice(each));
      }
      remaining = problems(values, [], { digitalOceanToken: tokenSource(values) });
    }
    const fixed = remaining !== undefined && remaining.length === 0;
    outcomes.push({ refused, fixed, leaked });
    expect({ key: input.key, refused, leaked, remaining }).toEqual({
      key: input.key,
      refused: true,
      leaked: false,
      remaining: [],
    });
  },
);

afterAll(() => {
  const count = (predicate: (outcome: (typeof outcomes)[number]) => boolean) =>
    outcomes.filter(predicate).length;
  process.stdout.write(
    `bad inputs tried: ${outcomes.length}; refused at their key: ${count((o) => o.refused)}; ` +
      `fixed by their own commands: ${count((o) => o.fixed)}; printed something secret: ${count((o) => o.leaked)}\n`,
  );
});

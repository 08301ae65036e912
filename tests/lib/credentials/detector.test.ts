// lib/credentials/detector.ts and lib/config/credentialChecks.ts: secretlint (its recommended preset and
// rule.mjs) over every plaintext value the program puts into a Kubernetes object.

import { plaintextLeaves } from "../../../lib/config/credentialChecks";
import { credentialFindings } from "../../../lib/credentials/detector";
import { problemAt, problems } from "../../support/configProblems";
import { withTestSecrets } from "../../support/program";

// Made up, in the shapes of the real ones: 62 letters and digits drawn from a fixed seed.
const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
function madeUp(length: number, seed: number): string {
  return Array.from(
    { length },
    (_, index) => ALPHANUMERIC[(seed * 7919 + index * 104729) % 62],
  ).join("");
}
const HEX32 = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

/** The credentials issue 10 found passing into the ConfigMap under neutral names, and others. */
const CREDENTIALS: readonly (readonly [string, string, string])[] = [
  [
    "a JSON Web Token",
    `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiJ9.${madeUp(43, 1)}`,
    "task-api/JWT",
  ],
  ["a Stripe live secret key", `sk_live_${madeUp(24, 2)}`, "stripe/STRIPE_SECRET_KEY_LIVE"],
  ["a GitLab token", `glpat-${madeUp(20, 3)}`, "gitlab/GITLAB_PERSONAL_ACCESS_TOKEN"],
  ["a Google API key", `AIza${madeUp(35, 4)}`, "task-api/GCP_API_KEY"],
  ["a SendGrid key", `SG.${madeUp(22, 5)}.${madeUp(43, 6)}`, "sendgrid/SENDGRID_KEY"],
  [
    "an AWS secret access key",
    `${madeUp(18, 7)}/${madeUp(21, 8)}`,
    "task-api/AWS_SECRET_ACCESS_KEY",
  ],
  ["an AWS access key id", "AKIA2E3F4G5H6J7K8L9M", "aws/AWSAccessKeyID"],
  ["a Sentry DSN", `https://${HEX32}@o123456.ingest.sentry.io/4242`, "task-api/SENTRY_DSN"],
  [
    "a Redis URL with a password",
    `redis://:${madeUp(16, 9)}@redis:6379/0`,
    "task-api/URL_PASSWORD",
  ],
  ["a GitHub token", `ghp_${madeUp(36, 10)}`, "github/GITHUB_TOKEN"],
  ["a DigitalOcean token", `dop_v1_${HEX32}${HEX32}`, "task-api/DIGITALOCEAN_TOKEN"],
  ["a Slack token", `xoxb-1234567890-1234567890123-${madeUp(24, 11)}`, "slack/SLACK_TOKEN"],
  ["an OpenAI project key", `sk-proj-${madeUp(48, 12)}`, "task-api/SK_SECRET_KEY"],
  ["a PEM header", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow", "task-api/PRIVATE_KEY_HEADER"],
  // Issue 23: not well-formed, and still credentials (or most of one).
  ["a GitHub token one character short", `ghp_${madeUp(35, 14)}`, "task-api/CREDENTIAL_PREFIX"],
  ["a Stripe key cut short", `sk_live_${madeUp(17, 15)}`, "task-api/CREDENTIAL_PREFIX"],
  [
    "a bearer token in a query string",
    `/healthz?access_token=${madeUp(24, 16)}`,
    "task-api/CREDENTIAL_IN_QUERY",
  ],
  [
    "a signed URL's signature",
    `https://acme.blob.core.windows.net/c/b.json?sv=2022-11-02&sig=${madeUp(43, 17)}`,
    "task-api/CREDENTIAL_IN_QUERY",
  ],
];

/** Settings that look nothing like credentials, and must stay accepted. */
const PLAIN_VALUES = [
  "info",
  "production",
  "https://api.example.com/v1/tasks?limit=50",
  "ghcr.io/acme/task-api:1.4.2",
  `ghcr.io/acme/task-api@sha256:${HEX32}${HEX32}`,
  "postgres://db.internal:5432/tasks",
  "ssh://git@github.com/acme/task-api.git",
  "0f8fad5b-d9cb-469f-a165-70867728950e",
  "3f786850e387550fdab836ed7e6dc881de23001b",
  "gpt-4o-mini",
  "/healthz",
  "task-api.staging.svc.cluster.local",
  "Mon-Fri 09:00-17:00 Europe/Berlin",
  // Query parameters with short values, and words that begin like a credential's prefix.
  "/healthz?verbose=true&token=1",
  "https://maps.example.com/search?key=public-id&sig=v2",
  "ghcr.io/acme/ghost-writer:1.0.0",
  "sk_test",
];

describe("the detector", () => {
  test.each(CREDENTIALS)("finds %s", (_, value, finding) => {
    expect(credentialFindings(value)).toContain(finding);
    expect(credentialFindings(`SETTING=${value}`)).toContain(finding);
  });

  test.each(PLAIN_VALUES)("finds nothing in %j", (value) => {
    expect(credentialFindings(`SETTING=${value}`)).toEqual([]);
  });

  test("needs the name for an AWS key written as AWS_SECRET_ACCESS_KEY=, as secretlint's rule does", () => {
    expect(credentialFindings(`AWS_SECRET_ACCESS_KEY=${madeUp(40, 13)}`)).toContain(
      "aws/AWSSecretAccessKey",
    );
  });
});

describe("in the ConfigMap", () => {
  test.each(CREDENTIALS)("%s under a neutral name is refused, never shown", (_, value, finding) => {
    const found = problems({ "task-api:config": { UPSTREAM: value } });
    const problem = problemAt(found, "task-api:config.UPSTREAM");
    expect(problem.message).toContain(`secretlint finds a credential in the value (${finding}`);
    expect(problem.message).toContain("treat it as leaked, rotate it");
    expect(problem.fix).toContain(
      "pulumi config rm --path 'config.UPSTREAM' -s staging && " +
        "pulumi config set --secret --path 'secrets.UPSTREAM' -s staging && " +
        "pulumi config set --path 'optionalSecrets[0]' UPSTREAM -s staging",
    );
    expect(JSON.stringify(found)).not.toContain(value);
  });

  test("a finding is accepted only as nonSecretConfigKeys names it, KEY:FINDING", () => {
    const dsn = `https://${HEX32}@o123456.ingest.sentry.io/4242`;
    const refused = problemAt(
      problems({ "task-api:config": { SENTRY_DSN: dsn } }),
      "task-api:config.SENTRY_DSN",
    );
    const accept =
      "pulumi config set --path 'nonSecretConfigKeys[1]' SENTRY_DSN:task-api/SENTRY_DSN -s staging";
    expect(refused.fix).toContain(`(or, if not secret: ${accept})`);
    // What that command writes: staging's list (MAX_TOKENS) with the entry after it.
    const accepted = {
      "task-api:nonSecretConfigKeys": ["MAX_TOKENS", "SENTRY_DSN:task-api/SENTRY_DSN"],
    };
    expect(problems({ "task-api:config": { SENTRY_DSN: dsn }, ...accepted })).toEqual([]);
    // The bare name accepts no finding, and the accepted one accepts no other.
    expect(
      problems({
        "task-api:config": { SENTRY_DSN: dsn },
        "task-api:nonSecretConfigKeys": ["SENTRY_DSN"],
      }).map((problem) => problem.key),
    ).toEqual(["task-api:config.SENTRY_DSN"]);
    const stripe = `sk_live_${madeUp(24, 2)}`;
    const other = problemAt(
      problems({ "task-api:config": { SENTRY_DSN: stripe }, ...accepted }),
      "task-api:config.SENTRY_DSN",
    );
    expect(other.message).toContain("(stripe/STRIPE_SECRET_KEY_LIVE)");
  });

  test("a key that looks secret by its abbreviation, DB_PASS, is refused", () => {
    const found = problems({ "task-api:config": { DB_PASS: "x" } });
    expect(problemAt(found, "task-api:config.DB_PASS").message).toContain('(it contains "PASS")');
  });
});

describe("in every other object", () => {
  const stripe = `sk_live_${madeUp(24, 2)}`;
  test.each([
    ["the image", { "task-api:image": `ghcr.io/acme/${stripe}:1` }, "task-api:image"],
    [
      "a probe path",
      { "task-api:probes": { readinessPath: `/healthz?key=${stripe}` } },
      "task-api:probes.readinessPath",
    ],
    [
      "the registry server",
      { "task-api:registry": { server: `${stripe}.ghcr.io`, username: "acme" } },
      "task-api:registry.server",
    ],
    [
      "a selector label",
      { "task-api:selectorLabels": { app: `AIza${madeUp(35, 4)}` } },
      "task-api:selectorLabels.app",
    ],
    [
      "the cluster",
      { "task-api:cluster": { doks: `dop_v1_${HEX32}${HEX32}` } },
      "task-api:cluster.doks",
    ],
    // Issue 23: judged by more than the exact format.
    [
      "an image tag (a GitHub token one character short)",
      { "task-api:image": `ghcr.io/acme/task-api:ghp_${madeUp(31, 18)}` },
      "task-api:image",
    ],
    [
      "a probe path's query string",
      { "task-api:probes": { livenessPath: `/healthz?token=ghp_${madeUp(31, 18)}` } },
      "task-api:probes.livenessPath",
    ],
  ])("a credential in %s is refused at its key, never shown", (_, changes, key) => {
    const found = problems(changes);
    const problem = problemAt(
      found.filter((candidate) => candidate.message.startsWith("secretlint")),
      key,
    );
    expect(problem.message).toMatch(/^secretlint finds a credential in the value \(\S+\/\S+\)/);
    expect(problem.fix).toBe(
      `pulumi config set --path '${key.slice("task-api:".length)}' VALUE -s staging`,
    );
    expect(JSON.stringify(found)).not.toContain(stripe);
    expect(JSON.stringify(found)).not.toContain(HEX32);
    expect(JSON.stringify(found)).not.toContain(madeUp(31, 18));
  });

  test("secret keys are not searched: credentials belong there", () => {
    const stripeSecret = { OPENAI_API_KEY: `sk-proj-${madeUp(48, 12)}`, DATABASE_PASSWORD: stripe };
    expect(problems(withTestSecrets(stripeSecret, `ghp_${madeUp(36, 10)}`))).toEqual([]);
  });
});

describe("what may be kept on disk", () => {
  // scanPlaintextLeaves' texts are the only ones whose verdict is kept (verdictCache.ts), as
  // a digest: no secret may be among them, however the stack holds it.
  const SECRET = "s3cr3t-value-9f8e7d6c";
  const raw = {
    stack: "staging",
    values: {
      image: "ghcr.io/acme/task-api:1.4.2",
      config: JSON.stringify({ LOG_LEVEL: "info" }),
      secrets: JSON.stringify({ DATABASE_PASSWORD: SECRET }),
      registryToken: SECRET,
      secretFileContents: JSON.stringify({ tls: { "tls.key": SECRET } }),
      // A non-secret key that arrived encrypted: plaintext nowhere, so not asked about.
      appName: SECRET,
    },
    isSecret: (name: string) => ["secrets", "registryToken", "appName"].includes(name),
  } as const;

  test("the plaintext leaves hold no secret key's value, nor an encrypted key's", () => {
    const texts = plaintextLeaves(raw).flatMap(({ fields, text, value }) => [
      text,
      value,
      ...fields,
    ]);
    expect(texts).toEqual(
      expect.arrayContaining(["image=ghcr.io/acme/task-api:1.4.2", "LOG_LEVEL=info", "LOG_LEVEL"]),
    );
    expect(texts.filter((text) => text.includes(SECRET))).toEqual([]);
  });
});

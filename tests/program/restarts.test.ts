// When pods roll: the pod template (and its checksum annotations) before and after a change to
// a stack's config, as the engine would diff them.

import { StackValue } from "../../lib/config/stackFile";
import {
  runProgram,
  stackConfig,
  TEST_SECRETS,
  testSecretsFor,
  withTestSecrets,
} from "../support/program";

interface Template {
  annotations: Record<string, string>;
  template: unknown;
}

async function podTemplate(
  stack: string,
  changes: Record<string, StackValue> = {},
): Promise<Template> {
  const { mocks } = await runProgram(
    stack,
    stackConfig(stack, { ...testSecretsFor(stack), ...changes }),
  );
  const template = mocks.single("kubernetes:apps/v1:Deployment").inputs.spec.template;
  return { annotations: template.metadata.annotations, template };
}

const CONFIG = "checksum/config";
const SECRET = "checksum/secret";
const stagingConfig = stackConfig("staging").values["task-api:config"];
const baseConfig = JSON.parse(stagingConfig) as Record<string, unknown>;

let base: Template;
beforeAll(async () => {
  base = await podTemplate("staging");
});

test("rolls pods when a config value changes, and only checksum/config changes", async () => {
  const after = await podTemplate("staging", {
    "task-api:config": { ...baseConfig, LOG_LEVEL: "info" },
  });
  expect(after.annotations[CONFIG]).not.toBe(base.annotations[CONFIG]);
  expect(after.annotations[SECRET]).toBe(base.annotations[SECRET]);
});

test("rolls pods when a config key is added", async () => {
  const after = await podTemplate("staging", {
    "task-api:config": { ...baseConfig, CACHE_TTL_SECONDS: 60 },
  });
  expect(after.annotations[CONFIG]).not.toBe(base.annotations[CONFIG]);
});

test("rolls pods when a secret value changes, and only checksum/secret changes", async () => {
  const after = await podTemplate(
    "staging",
    withTestSecrets({ ...TEST_SECRETS, DATABASE_PASSWORD: "rotated-password-0002" }),
  );
  expect(after.annotations[SECRET]).not.toBe(base.annotations[SECRET]);
  expect(after.annotations[CONFIG]).toBe(base.annotations[CONFIG]);
});

test("rolls pods when a secret key is added", async () => {
  const after = await podTemplate("staging", {
    ...withTestSecrets({ ...TEST_SECRETS, SENTRY_DSN: "https://key@sentry.example/1" }),
    "task-api:optionalSecrets": ["SENTRY_DSN"],
  });
  expect(after.annotations[SECRET]).not.toBe(base.annotations[SECRET]);
});

test("rolls nothing when only the registry token changes (the kubelet reads it when pulling)", async () => {
  const after = await podTemplate("staging", withTestSecrets(TEST_SECRETS, "ghp_RotatedToken999"));
  expect(after.template).toEqual(base.template);
});

test("rolls nothing when config keys are reordered", async () => {
  const reversed = Object.fromEntries(Object.entries(baseConfig).reverse());
  expect(Object.keys(reversed)).not.toEqual(Object.keys(baseConfig));
  const after = await podTemplate("staging", { "task-api:config": reversed });
  expect(after.template).toEqual(base.template);
});

test("rolls nothing when secret keys are reordered", async () => {
  const reversed = Object.fromEntries(Object.entries(TEST_SECRETS).reverse());
  const after = await podTemplate("staging", withTestSecrets(reversed));
  expect(after.template).toEqual(base.template);
});

test("keeps both checksums when only the image tag changes", async () => {
  const after = await podTemplate("staging", {
    "task-api:image": "ghcr.io/acme/task-api:1.5.0",
  });
  expect(after.annotations).toEqual(base.annotations);
});

test("gives two stacks with equal secrets different secret checksums (per-stack HMAC key)", async () => {
  const production = await podTemplate("production");
  expect(production.annotations[SECRET]).not.toBe(base.annotations[SECRET]);
});

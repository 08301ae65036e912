// Generated secrets through the whole program (index.ts under the mock runtime): made once, kept
// until their rotation changes, delivered in the app's Secret, rolled into the pods by
// checksum/secret, and never visible anywhere but in secret properties.

import { StackValue } from "../../lib/config/stackFile";
import { isSecretInput, plain } from "../../review/engine/mockRuntime";
import { RANDOM_PASSWORD, randomPasswordFor } from "../../review/engine/programFacts";
import { findLeaks, nonSecretProperties } from "../support/leakScan";
import {
  TEST_SECRETS,
  runFailingProgram,
  runProgram,
  stackConfig,
  testSecretsFor,
  withTestSecrets,
} from "../support/program";

const KEY = "task-api:generatedSecrets";
const GENERATED = {
  WEBHOOK_SECRET: { length: 48 },
  SESSION_KEY: { length: 64, rotation: "2027-01" },
};
const base64 = (text: string) => Buffer.from(text).toString("base64");

/** A run of staging with its test secrets, the two generated secrets and `changes`. */
async function run(changes: Record<string, StackValue> = {}) {
  const { mocks, outputs } = await runProgram(
    "staging",
    stackConfig("staging", { ...testSecretsFor("staging"), [KEY]: GENERATED, ...changes }),
  );
  const secret = mocks
    .ofType("kubernetes:core/v1:Secret")
    .find((s) => s.inputs.metadata.name === "task-api-secrets");
  const data = plain<Record<string, string>>(secret?.inputs.data);
  const decoded = Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
  const template = mocks.single("kubernetes:apps/v1:Deployment").inputs.spec.template;
  return { mocks, outputs, secret, decoded, annotations: template.metadata.annotations };
}

test("each generated secret is a RandomPassword of letters and digits, its value in the app's Secret", async () => {
  const { mocks, secret, decoded } = await run();
  const passwords = mocks.ofType(RANDOM_PASSWORD);
  expect(passwords.map((p) => p.name).sort()).toEqual([
    "task-api-secrets-checksum-key",
    "task-api-secrets-generated-SESSION_KEY@2027-01",
    "task-api-secrets-generated-WEBHOOK_SECRET",
  ]);
  expect(isSecretInput(secret?.inputs.data)).toBe(true);
  expect(Object.keys(decoded).sort()).toEqual([
    "DATABASE_PASSWORD",
    "OPENAI_API_KEY",
    "SESSION_KEY",
    "WEBHOOK_SECRET",
  ]);
  expect(decoded.SESSION_KEY).toBe(
    randomPasswordFor("staging", "task-api-secrets-generated-SESSION_KEY@2027-01", 64, {
      rotation: "2027-01",
    }),
  );
  expect(decoded.WEBHOOK_SECRET).toMatch(/^[A-Za-z0-9]{48}$/);
});

test("a new rotation makes a new value and changes checksum/secret only; the other secrets stay", async () => {
  const before = await run();
  const after = await run({
    [KEY]: { ...GENERATED, SESSION_KEY: { length: 64, rotation: "2027-07" } },
  });
  expect(after.decoded.SESSION_KEY).not.toBe(before.decoded.SESSION_KEY);
  expect(after.decoded.WEBHOOK_SECRET).toBe(before.decoded.WEBHOOK_SECRET);
  expect(after.decoded.DATABASE_PASSWORD).toBe(before.decoded.DATABASE_PASSWORD);
  expect(after.annotations["checksum/secret"]).not.toBe(before.annotations["checksum/secret"]);
  expect(after.annotations["checksum/config"]).toBe(before.annotations["checksum/config"]);
});

test("a change of another secret, typed or generated, keeps a generated value", async () => {
  const before = await run();
  const after = await run({
    ...withTestSecrets({ ...TEST_SECRETS, DATABASE_PASSWORD: "rotated-db-password-0003" }),
    [KEY]: { ...GENERATED, WEBHOOK_SECRET: { length: 48, rotation: "1" } },
  });
  expect(after.decoded.SESSION_KEY).toBe(before.decoded.SESSION_KEY);
  const inputs = (r: Awaited<ReturnType<typeof run>>) =>
    r.mocks.ofType(RANDOM_PASSWORD).find((p) => p.name.endsWith("SESSION_KEY"))?.inputs;
  expect(inputs(after)).toEqual(inputs(before));
});

test("a name set typed and generated stops the program before anything is registered", async () => {
  const { error, mocks } = await runFailingProgram(
    "staging",
    stackConfig("staging", {
      ...testSecretsFor("staging"),
      ...withTestSecrets({ ...TEST_SECRETS, SESSION_KEY: "typed-value-8812" }),
      "task-api:optionalSecrets": ["SESSION_KEY"],
      [KEY]: GENERATED,
    }),
  );
  expect(error.message).toContain(
    "task-api:secrets.SESSION_KEY and task-api:generatedSecrets.SESSION_KEY",
  );
  expect(error.message).not.toContain("typed-value-8812");
  expect(mocks.resources).toEqual([]);
});

test("no generated value, nor its base64, appears outside a secret property, in outputs or logs", async () => {
  const log = jest.spyOn(process.stdout, "write");
  const errors = jest.spyOn(process.stderr, "write");
  const { mocks, outputs, decoded } = await run();
  const needles = [decoded.SESSION_KEY, decoded.WEBHOOK_SECRET];
  const withBase64 = [...needles, ...needles.map(base64)];
  const properties = nonSecretProperties(mocks);
  expect(Object.keys(properties).length).toBeGreaterThan(20);
  expect(findLeaks(properties, withBase64)).toEqual([]);
  expect(findLeaks({ outputs }, withBase64)).toEqual([]);
  const logs = [...log.mock.calls, ...errors.mock.calls].map(String);
  expect(findLeaks({ logs }, withBase64)).toEqual([]);
  log.mockRestore();
  errors.mockRestore();
  // The scan sees them where they are kept: in the secret data of the app's Secret.
  const secretData = mocks.ofType("kubernetes:core/v1:Secret").map((s) => s.inputs.data);
  expect(findLeaks({ data: secretData }, withBase64)).toHaveLength(withBase64.length);
});

// What the offline review tools (render, env, diff) say about generated secrets: each is shown as
// generated, with its length and rotation and never a value, and a new rotation is a rollout.

import { effectiveEnvironment } from "../../review/env/effectiveEnvironment";
import { RANDOM_SEED, randomPasswordFor } from "../../review/engine/programFacts";
import { diffRenderings, formatRenderDiff } from "../../review/diff/renderDiff";
import { formatVerdict } from "../../review/diff/restartVerdict";
import { StackValue } from "../../lib/config/stackFile";
import { removeTempDirs, renderWith } from "../support/offline";

afterAll(removeTempDirs);

const KEY = "task-api:generatedSecrets";
const GENERATED = {
  WEBHOOK_SECRET: { length: 48 },
  SESSION_KEY: { length: 64, rotation: "2027-01" },
};
const SECRET_FILE = "secret.task-api-staging.task-api-secrets.yaml";

const withGenerated = (
  generated: Record<string, StackValue>,
  more: Record<string, StackValue> = {},
) => renderWith("staging", { [KEY]: generated, ...more });

test("render: the Secret lists the generated keys as [secret] and names them generated; summary.txt lists their RandomPasswords", async () => {
  const rendering = await withGenerated(GENERATED);
  const secret = rendering.files[SECRET_FILE];
  expect(secret).toContain('  SESSION_KEY: "[secret]"\n');
  expect(secret).toContain('  WEBHOOK_SECRET: "[secret]"\n');
  expect(secret).toContain(
    `task-api/generated-secrets: '{"SESSION_KEY":{"length":64,"rotation":"2027-01"},"WEBHOOK_SECRET":{"length":48,"rotation":""}}'`,
  );
  const passwords = rendering.summary.resources.filter((r) => r.name.includes("-generated-"));
  expect(passwords).toEqual([
    {
      type: "random:index/randomPassword:RandomPassword",
      name: "task-api-secrets-generated-SESSION_KEY@2027-01",
      inputs: { length: 64, special: false, keepers: { rotation: "2027-01" } },
    },
    {
      type: "random:index/randomPassword:RandomPassword",
      name: "task-api-secrets-generated-WEBHOOK_SECRET",
      inputs: { length: 48, special: false, keepers: { rotation: "" } },
    },
  ]);
  // The render's own (seeded) values appear in no file, nor their base64.
  const values = [
    randomPasswordFor(RANDOM_SEED, "task-api-secrets-generated-SESSION_KEY@2027-01", 64, {
      rotation: "2027-01",
    }),
    randomPasswordFor(RANDOM_SEED, "task-api-secrets-generated-WEBHOOK_SECRET", 48, {
      rotation: "",
    }),
  ];
  const everything = Object.values(rendering.files).join("\n");
  for (const value of [...values, ...values.map((v) => Buffer.from(v).toString("base64"))]) {
    expect(everything).not.toContain(value);
  }
});

test("env: a generated secret's value is [secret], its layer says generated, with length and rotation", async () => {
  const [environment] = effectiveEnvironment((await withGenerated(GENERATED)).objects);
  const rows = Object.fromEntries(environment.rows.map((row) => [row.name, row]));
  expect([rows.SESSION_KEY.value, rows.SESSION_KEY.layer]).toEqual([
    "[secret]",
    'Secret (generated, 64 letters and digits, rotation "2027-01")',
  ]);
  expect(rows.WEBHOOK_SECRET.layer).toBe(
    "Secret (generated, 48 letters and digits, never rotated)",
  );
  expect(rows.DATABASE_PASSWORD.layer).toBe("Secret");
});

test("diff: a new rotation says which secret is generated anew, and that pods restart", async () => {
  const diff = diffRenderings(
    await withGenerated(GENERATED),
    await withGenerated({ ...GENERATED, SESSION_KEY: { length: 64, rotation: "2027-07" } }),
  );
  expect(formatVerdict(diff.restart)).toBe(
    "pods will restart: yes (Deployment task-api-staging/task-api: checksum/secret changed " +
      '(generated anew: SESSION_KEY (rotation "2027-01" -> "2027-07")))',
  );
  expect(diff.manifests).toContain("-        rotation: 2027-01\n+        rotation: 2027-07\n");
  expect(diff.environment).toContain(
    '+  SESSION_KEY=[secret]  from Secret (generated, 64 letters and digits, rotation "2027-07")',
  );
});

test("diff: a generated secret added is a new secret key; one unchanged rolls nothing", async () => {
  const added = diffRenderings(
    await renderWith("staging"),
    await withGenerated({ WEBHOOK_SECRET: { length: 48 } }),
  );
  expect(added.restart.reasons).toEqual([
    "Deployment task-api-staging/task-api: checksum/secret changed (secret keys +WEBHOOK_SECRET)",
  ]);
  const same = diffRenderings(await withGenerated(GENERATED), await withGenerated(GENERATED));
  expect(formatRenderDiff(same)).toBe(
    "manifests: no change\nenvironment: no change\npods will restart: no (no pod template changed)",
  );
});

test("diff: with restartOnChange off, a new rotation is a note: running pods keep the old value", async () => {
  const off = { "task-api:restartOnChange": false };
  const diff = diffRenderings(
    await withGenerated(GENERATED, off),
    await withGenerated({ ...GENERATED, WEBHOOK_SECRET: { length: 64 } }, off),
  );
  expect(diff.restart.restart).toBe("no");
  expect(diff.restart.notes).toEqual([
    "WEBHOOK_SECRET (length 48 -> 64) is generated anew, but Deployment task-api-staging/task-api " +
      "has no checksum/secret annotation: running pods keep the old value until they restart",
  ]);
});

// Issue 25 through the whole program (index.ts under the mock runtime): a generated secret keeps
// its previous value through one rotation. The mock's RandomPassword value depends only on the
// resource's name and keepers, as the real one depends only on its state (it is made once, when
// created or replaced), so successive runs stand for successive `pulumi up`s of one stack; the
// real engine's runs are in e2e/secrets.e2e.test.ts. Values are compared, never printed.

import { StackValue } from "../../lib/config/stackFile";
import { plain } from "../../review/engine/mockRuntime";
import { problems } from "../support/configProblems";
import { runProgram, stackConfig, testSecretsFor } from "../support/program";

const KEY = "task-api:generatedSecrets";

/** A run of staging with SESSION_KEY as `session` and `changes`: the Secret's values, the checksum. */
async function up(session: Record<string, StackValue>, changes: Record<string, StackValue> = {}) {
  const { mocks } = await runProgram(
    "staging",
    stackConfig("staging", {
      ...testSecretsFor("staging"),
      [KEY]: { SESSION_KEY: { length: 64, ...session } },
      ...changes,
    }),
  );
  const secret = mocks
    .ofType("kubernetes:core/v1:Secret")
    .find((s) => s.inputs.metadata.name === "task-api-secrets");
  const data = plain<Record<string, string>>(secret?.inputs.data);
  const values = Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
  const template = mocks.single("kubernetes:apps/v1:Deployment").inputs.spec.template;
  return {
    values,
    checksum: template.metadata.annotations["checksum/secret"] as string,
    annotation: JSON.parse(secret?.inputs.metadata.annotations["task-api/generated-secrets"]),
  };
}

test("the steps: rotate keeps the old value as SESSION_KEY_PREVIOUS, an unrelated change keeps both, retire drops it; each step changes checksum/secret once", async () => {
  const first = await up({ rotation: "2027-01" });
  const rotated = await up({ rotation: "2027-07", previousRotation: "2027-01" });
  expect(rotated.values.SESSION_KEY).not.toBe(first.values.SESSION_KEY);
  expect(rotated.values.SESSION_KEY_PREVIOUS).toBe(first.values.SESSION_KEY);
  expect(rotated.checksum).not.toBe(first.checksum);
  expect(rotated.annotation.SESSION_KEY).toEqual({
    length: 64,
    rotation: "2027-07",
    previous: { rotation: "2027-01", name: "SESSION_KEY_PREVIOUS" },
  });

  const unrelated = await up(
    { rotation: "2027-07", previousRotation: "2027-01" },
    {
      "task-api:secrets": {
        DATABASE_PASSWORD: { secure: "another-password" },
        OPENAI_API_KEY: { secure: "sk-x" },
      },
    },
  );
  expect(unrelated.values.SESSION_KEY).toBe(rotated.values.SESSION_KEY);
  expect(unrelated.values.SESSION_KEY_PREVIOUS).toBe(rotated.values.SESSION_KEY_PREVIOUS);

  const retired = await up({ rotation: "2027-07" });
  expect(retired.values.SESSION_KEY).toBe(rotated.values.SESSION_KEY);
  expect("SESSION_KEY_PREVIOUS" in retired.values).toBe(false);
  expect(retired.checksum).not.toBe(rotated.checksum);
  // The same inputs, the same checksum: a step changes it exactly once.
  expect((await up({ rotation: "2027-07" })).checksum).toBe(retired.checksum);
});

test("a second rotation before retiring moves current to previous and drops the oldest", async () => {
  const a = await up({ rotation: "a" });
  const b = await up({ rotation: "b", previousRotation: "a" });
  const c = await up({ rotation: "c", previousRotation: "b" });
  expect(c.values.SESSION_KEY_PREVIOUS).toBe(b.values.SESSION_KEY);
  expect([c.values.SESSION_KEY, c.values.SESSION_KEY_PREVIOUS]).not.toContain(a.values.SESSION_KEY);
});

test("switching the previous value on keeps the current one; the previous name can be chosen", async () => {
  const before = await up({ rotation: "2027-07" });
  const on = await up({
    rotation: "2027-08",
    previousRotation: "2027-07",
    previousName: "OLD_SESSION_KEY",
  });
  expect(on.values.OLD_SESSION_KEY).toBe(before.values.SESSION_KEY);
  expect("SESSION_KEY_PREVIOUS" in on.values).toBe(false);
});

describe("refused, naming the keys", () => {
  const generated = (entry: Record<string, StackValue>) => ({
    [KEY]: { SESSION_KEY: { length: 64, rotation: "2027-07", ...entry } },
  });

  test("a previousRotation equal to the rotation", () => {
    const [problem] = problems(generated({ previousRotation: "2027-07" }));
    expect(problem.key).toBe("task-api:generatedSecrets.SESSION_KEY.previousRotation");
    expect(problem.message).toMatch(/^is the current rotation \("2027-07"\)/);
  });

  test("a previousName without previousRotation", () => {
    const [problem] = problems(generated({ previousName: "OLD" }));
    expect(problem.key).toBe("task-api:generatedSecrets.SESSION_KEY.previousName");
  });

  test("a previous name that is also a typed secret: both keys named", () => {
    const found = problems({
      ...generated({ previousRotation: "2027-01" }),
      "task-api:optionalSecrets": ["SESSION_KEY_PREVIOUS"],
      "task-api:secrets": {
        DATABASE_PASSWORD: { secure: "p" },
        OPENAI_API_KEY: { secure: "k" },
        SESSION_KEY_PREVIOUS: { secure: "typed" },
      },
    });
    expect(found.map((p) => p.key)).toContain(
      "task-api:secrets.SESSION_KEY_PREVIOUS and task-api:generatedSecrets.SESSION_KEY.previousName",
    );
  });

  test("a previous name that is another generated secret's name", () => {
    const found = problems({
      [KEY]: {
        SESSION_KEY: { rotation: "b", previousRotation: "a", previousName: "WEBHOOK_SECRET" },
        WEBHOOK_SECRET: {},
      },
      "task-api:optionalSecrets": ["WEBHOOK_SECRET"],
    });
    expect(found.map((p) => p.key)).toContain(
      "task-api:generatedSecrets.SESSION_KEY.previousName and task-api:generatedSecrets.WEBHOOK_SECRET",
    );
  });

  test("a previous name set in config too", () => {
    const found = problems({
      ...generated({ previousRotation: "2027-01" }),
      "task-api:config": { LOG_LEVEL: "debug", SESSION_KEY_PREVIOUS: "x" },
    });
    expect(found.map((p) => p.key)).toContain(
      "task-api:config.SESSION_KEY_PREVIOUS and task-api:generatedSecrets.SESSION_KEY.previousName",
    );
  });
});

// lib/config/generatedSecretsKey.ts: `task-api:generatedSecrets` read and checked; every problem
// names its key and the command that fixes it (each command was run with the real CLI).

import { problemAt, problems, settingsOf } from "../../support/configProblems";
import { TEST_SECRETS, stackConfig, withTestSecrets } from "../../support/program";

const KEY = "task-api:generatedSecrets";
const baseConfig = JSON.parse(stackConfig("staging").values["task-api:config"]) as Record<
  string,
  unknown
>;

test("entries are read with their length and rotation; length defaults to 48, rotation to none", () => {
  const settings = settingsOf({
    [KEY]: { WEBHOOK_SECRET: { length: 32 }, SESSION_KEY: { rotation: "2027-01" }, API: {} },
  });
  expect(settings.generatedSecrets).toEqual({
    WEBHOOK_SECRET: { length: 32, rotation: "" },
    SESSION_KEY: { length: 48, rotation: "2027-01" },
    API: { length: 48, rotation: "" },
  });
});

test("a rotation that --path stored as a number is the same label as a string", () => {
  expect(settingsOf({ [KEY]: { SESSION_KEY: { rotation: 2027 } } }).generatedSecrets).toEqual({
    SESSION_KEY: { length: 48, rotation: "2027" },
  });
});

test("an unknown field is an error at its path, with did-you-mean and the command that removes it", () => {
  const problem = problemAt(
    problems({ [KEY]: { SESSION_KEY: { lenght: 64 } } }),
    `${KEY}.SESSION_KEY.lenght`,
  );
  expect(problem.message).toBe(
    'unknown field "lenght"; an entry has only length, rotation, previousRotation, previousName (did you mean length?)',
  );
  expect(problem.fix).toBe(
    "pulumi config rm --path 'generatedSecrets.SESSION_KEY.lenght' -s staging",
  );
});

test.each([[8], [257], [48.5], ["48"]])("a length of %p is refused with the bounds", (length) => {
  const problem = problemAt(
    problems({ [KEY]: { SESSION_KEY: { length } } }),
    `${KEY}.SESSION_KEY.length`,
  );
  expect(problem.message).toMatch(/^must be a whole number of characters from 16 to 256 \(got /);
  expect(problem.fix).toBe(
    "pulumi config set --plaintext --path 'generatedSecrets.SESSION_KEY.length' 48 -s staging",
  );
});

test("a rotation that is no label is refused", () => {
  const problem = problemAt(
    problems({ [KEY]: { SESSION_KEY: { rotation: { when: "soon" } } } }),
    `${KEY}.SESSION_KEY.rotation`,
  );
  expect(problem.fix).toBe(
    "pulumi config set --plaintext --path 'generatedSecrets.SESSION_KEY.rotation' 2027-01 -s staging",
  );
});

test("an entry that is not an object, and a key that is not one, are refused", () => {
  expect(problemAt(problems({ [KEY]: { SESSION_KEY: 64 } }), `${KEY}.SESSION_KEY`).fix).toBe(
    "pulumi config rm --path 'generatedSecrets.SESSION_KEY' -s staging && " +
      "pulumi config set --plaintext --path 'generatedSecrets.SESSION_KEY.length' 48 -s staging",
  );
  expect(problemAt(problems({ [KEY]: ["SESSION_KEY"] }), KEY).message).toBe(
    "must be an object of NAME: {length, rotation}",
  );
});

test("a name that is no environment variable name is refused, quoted as a --path needs it", () => {
  const problem = problemAt(
    problems({ [KEY]: { "BAD.NAME": { length: 48 } } }),
    `${KEY}["BAD.NAME"]`,
  );
  expect(problem.message).toMatch(/not a valid environment variable name/);
  expect(problem.fix).toBe("pulumi config rm --path 'generatedSecrets[\"BAD.NAME\"]' -s staging");
});

test("a name set as a typed secret and as a generated one is an error naming both places", () => {
  const found = problems({
    ...withTestSecrets({ ...TEST_SECRETS, SESSION_KEY: "typed-session-key-5521" }),
    "task-api:optionalSecrets": ["SESSION_KEY"],
    [KEY]: { SESSION_KEY: { length: 64 } },
  });
  const problem = problemAt(
    found,
    "task-api:secrets.SESSION_KEY and task-api:generatedSecrets.SESSION_KEY",
  );
  expect(problem.message).toBe(
    '"SESSION_KEY" is set both as a typed secret (task-api:secrets.SESSION_KEY) and as a ' +
      "generated one (task-api:generatedSecrets.SESSION_KEY). Keep one",
  );
  expect(problem.fix).toBe(
    "pulumi config rm --path 'secrets.SESSION_KEY' -s staging   (or, to keep the typed value: " +
      "pulumi config rm --path 'generatedSecrets.SESSION_KEY' -s staging)",
  );
  expect(found).toHaveLength(1);
  expect(JSON.stringify(found)).not.toContain("typed-session-key-5521");
});

test("a name set in config and generated is a layer conflict that names generatedSecrets", () => {
  const found = problems({
    "task-api:config": { ...baseConfig, SESSION_TTL: "3600" },
    [KEY]: { SESSION_TTL: { length: 16 } },
  });
  expect(
    problemAt(found, "task-api:config.SESSION_TTL and task-api:generatedSecrets.SESSION_TTL")
      .message,
  ).toMatch(/set in both config and generatedSecrets/);
});

test("the key encrypted is refused: lengths and rotations are not secret, and land in plaintext", () => {
  const found = problems({ [KEY]: { SESSION_KEY: { length: { secure: "64" } } } });
  expect(problemAt(found, KEY).message).toMatch(/is encrypted, but its values are not kept secret/);
});

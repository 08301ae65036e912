// lib/generatedSecrets.ts: the variables generated secrets make, and the annotation that names
// them on the app's Secret (written by the program, read back by npm run render, env and diff).

import {
  GeneratedSecret,
  defaultPreviousName,
  describeGeneratedSecret,
  describePreviousValue,
  generatedSecretsAnnotation,
  generatedVariableNames,
  parseGeneratedSecretsAnnotation,
} from "../../lib/generatedSecrets";

const SESSION: GeneratedSecret = {
  length: 64,
  rotation: "2026-11",
  previous: { rotation: "2026-05", name: "SESSION_SECRET_PREVIOUS" },
};
const WEBHOOK: GeneratedSecret = { length: 32, rotation: "" };

test("each generated secret is its own variable, and a kept previous value one more", () => {
  expect(generatedVariableNames({ WEBHOOK_KEY: WEBHOOK, SESSION_SECRET: SESSION })).toEqual([
    "WEBHOOK_KEY",
    "SESSION_SECRET",
    "SESSION_SECRET_PREVIOUS",
  ]);
  expect(generatedVariableNames({})).toEqual([]);
  expect(defaultPreviousName("SESSION_SECRET")).toBe("SESSION_SECRET_PREVIOUS");
});

test("the annotation lists names sorted by code point, with lengths and rotations, and no value", () => {
  const text = generatedSecretsAnnotation({ b_key: WEBHOOK, SESSION_SECRET: SESSION, A: WEBHOOK });
  expect(text).toBe(
    JSON.stringify({
      A: { length: 32, rotation: "" },
      SESSION_SECRET: {
        length: 64,
        rotation: "2026-11",
        previous: { rotation: "2026-05", name: "SESSION_SECRET_PREVIOUS" },
      },
      b_key: { length: 32, rotation: "" },
    }),
  );
  // The same secrets in another order are the same bytes: the annotation counts in no diff.
  expect(generatedSecretsAnnotation({ A: WEBHOOK, SESSION_SECRET: SESSION, b_key: WEBHOOK })).toBe(
    text,
  );
});

test("an annotation the program wrote reads back as the secrets it was written from", () => {
  const generated = { SESSION_SECRET: SESSION, WEBHOOK_KEY: WEBHOOK };
  expect(parseGeneratedSecretsAnnotation(generatedSecretsAnnotation(generated))).toEqual(generated);
});

test.each([
  ["no annotation", undefined],
  ["text that is not JSON", "{not json"],
  ["JSON that is not an object", '["SESSION_SECRET"]'],
  ["null", "null"],
])("%s names no generated secret", (_what, text) => {
  expect(parseGeneratedSecretsAnnotation(text)).toEqual({});
});

test("an entry edited by hand reads with what it still says: no rotation is never rotated, a broken previous is none, no whole positive length is left out", () => {
  const text = JSON.stringify({
    A: { length: 20 },
    B: { length: "24", rotation: 7, previous: { rotation: "r1" } },
    C: "not an object",
    D: { length: 16, rotation: "r2", previous: { name: "D_OLD", rotation: 3 } },
    E: { rotation: "r3" },
    F: { length: 0 },
    G: { length: 20.5 },
  });
  expect(parseGeneratedSecretsAnnotation(text)).toEqual({
    A: { length: 20, rotation: "" },
    B: { length: 24, rotation: "" },
    D: { length: 16, rotation: "r2" },
  });
});

test("descriptions say what a value is, never the value", () => {
  expect(describeGeneratedSecret(WEBHOOK)).toBe("generated, 32 letters and digits, never rotated");
  expect(describeGeneratedSecret(SESSION)).toBe(
    'generated, 64 letters and digits, rotation "2026-11"',
  );
  expect(describePreviousValue("SESSION_SECRET", SESSION)).toBe(
    'previous value of SESSION_SECRET, rotation "2026-05", kept until retired',
  );
});

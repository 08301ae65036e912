// lib/componentArgs.ts: the components' checks of their own arguments, named after the arguments.

import { envConflictArgumentProblems, envDataProblems } from "../../lib/componentArgs";
import { planEnvironment } from "../../lib/envLayers";
import { MAX_DATA_BYTES } from "../../lib/objectData";

test("env data: a name that is no variable name, a NUL byte, a lone surrogate, each at its argument", () => {
  expect(
    envDataProblems({ OK: "fine", "BAD-NAME": "x", NUL: "a\0b", HALF: "\uD800" }, "args.settings"),
  ).toEqual([
    { key: "args.settings.BAD-NAME", message: expect.stringContaining("BAD-NAME") as string },
    { key: "args.settings.NUL", message: expect.stringContaining("NUL byte") as string },
    { key: "args.settings.HALF", message: expect.stringContaining("lone surrogate") as string },
  ]);
});

test("env data: more than one object holds is refused, at exactly the limit it is not", () => {
  const filler = (bytes: number) => ({ K: "x".repeat(bytes - 1) });
  expect(envDataProblems(filler(MAX_DATA_BYTES), "args.settings")).toEqual([]);
  expect(envDataProblems(filler(MAX_DATA_BYTES + 1), "args.settings")).toEqual([
    {
      key: "args.settings",
      message: `the data adds up to ${MAX_DATA_BYTES + 1} bytes; a ConfigMap or Secret holds at most ${MAX_DATA_BYTES}`,
    },
  ]);
});

test("conflicts: a setting and a secret, a typed and a generated secret, an env entry over either", () => {
  const generated = { SESSION_KEY: { length: 48, rotation: "2026-01" } };
  const plan = planEnvironment({
    defaults: {},
    config: { DATABASE_PASSWORD: "x", LOG_LEVEL: "info", SESSION_KEY: "y" },
    secretKeys: ["DATABASE_PASSWORD", "SESSION_KEY"],
    explicitEnv: ["LOG_LEVEL"],
  });
  expect(
    envConflictArgumentProblems(plan, ["DATABASE_PASSWORD", "SESSION_KEY"], generated).map(
      ({ key }) => key,
    ),
  ).toEqual([
    "args.secrets.SESSION_KEY and args.generatedSecrets.SESSION_KEY",
    "args.config.DATABASE_PASSWORD and args.secrets.DATABASE_PASSWORD",
    "args.fieldEnv.LOG_LEVEL",
    "args.config.SESSION_KEY and args.generatedSecrets.SESSION_KEY",
  ]);
});

test("no conflict, no problem", () => {
  const plan = planEnvironment({
    defaults: { NODE_ENV: "production" },
    config: { LOG_LEVEL: "info" },
    secretKeys: ["DATABASE_PASSWORD"],
    explicitEnv: ["POD_NAME"],
  });
  expect(envConflictArgumentProblems(plan, ["DATABASE_PASSWORD"], {})).toEqual([]);
});

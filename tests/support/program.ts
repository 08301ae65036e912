// Runs the real index.ts, the program `pulumi up` runs, under the mock runtime with a stack's
// config passed as the engine passes it.

import * as digitalocean from "@pulumi/digitalocean";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { join } from "node:path";
import {
  EngineConfig,
  StackValue,
  readProjectDefaults,
  readStackFile,
  toEngineConfig,
} from "../../lib/stackFiles";
import { CallAnswer } from "../../lib/mockRuntime";
import { ProgramRun, runUnderMocks } from "../../lib/programRun";

export const PROJECT_DIR = join(__dirname, "..", "..");

/**
 * The committed stack file, plus `changes` as if made with `pulumi config set`. A value written
 * `{secure: X}` is a secret whose plaintext is X (tests have no passphrase, so the "ciphertext"
 * is the test value itself); the engine marks its key secret.
 */
export function stackConfig(stack: string, changes: Record<string, StackValue> = {}): EngineConfig {
  return toEngineConfig(
    readProjectDefaults(PROJECT_DIR),
    changedStackValues(stack, changes),
    (ciphertext) => ciphertext,
  );
}

/** The `config:` of the committed stack file with `changes`; an undefined value removes a key. */
export function changedStackValues(
  stack: string,
  changes: Record<string, StackValue>,
): Record<string, StackValue> {
  const values = { ...readStackFile(PROJECT_DIR, stack), ...changes };
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) {
      delete values[key];
    }
  }
  return values;
}

/** Secrets every committed stack needs, as `secure:` leaves. */
export const TEST_SECRETS = {
  DATABASE_PASSWORD: "pg-Pa55word!unique-7f3a",
  OPENAI_API_KEY: "sk-test-openai-key-9c1e5b7d2a4f6e8c0b",
};
export const TEST_REGISTRY_TOKEN = "ghp_TestRegistryToken0123456789abcdefXYZ";

/** `changes` that give a committed stack its secrets, like an operator would. */
export function withTestSecrets(
  secrets: Record<string, string> = TEST_SECRETS,
  registryToken: string | undefined = TEST_REGISTRY_TOKEN,
): Record<string, StackValue> {
  return {
    "task-api:secrets": Object.fromEntries(
      Object.entries(secrets).map(([name, value]) => [name, { secure: value }]),
    ),
    ...(registryToken === undefined ? {} : { "task-api:registryToken": { secure: registryToken } }),
  };
}

/** Runs index.ts for `stack` with `config`. Throws what the program throws. */
export function runProgram(
  stack: string,
  config: EngineConfig,
  callAnswers: Readonly<Record<string, CallAnswer>> = {},
): Promise<ProgramRun> {
  return runUnderMocks(stack, config, jestProgramLoader, { callAnswers });
}

/**
 * A fresh copy of the program each run, sharing the SDK and providers with the test so that the
 * mock runtime is theirs too (and the slow provider packages load once).
 */
export function jestProgramLoader(): Record<string, unknown> {
  let exported: Record<string, unknown> = {};
  jest.isolateModules(() => {
    jest.doMock("@pulumi/pulumi", () => pulumi);
    jest.doMock("@pulumi/kubernetes", () => k8s);
    jest.doMock("@pulumi/random", () => random);
    jest.doMock("@pulumi/digitalocean", () => digitalocean);
    exported = require("../../index") as Record<string, unknown>;
  });
  return exported;
}

// Runs the real index.ts, the program `pulumi up` runs, under the mock runtime with a stack's
// config passed as the engine passes it, through the same runner as the offline review commands.

import { CallAnswer, RecordingMocks } from "../../review/engine/mockRuntime";
import { DOKS_LOOKUP, PROJECT_DIR } from "../../review/engine/programFacts";
import { ProgramRun, loadUnderMocks, runUnderMocks } from "../../review/engine/programRun";
import { StackValue, readStackFile } from "../../lib/config/stackFile";
import { EngineConfig, readProjectDefaults, toEngineConfig } from "../../review/engine/stackFiles";
import { entryModules, programPackages } from "./programImports";
import { join } from "node:path";

/**
 * The stack files the tests read: copies of staging and production as committed when the tests
 * were written. The committed files are the user's, who sets secrets and config in them; a test
 * that read them would fail on the first `pulumi config set` (issue 22). What must hold for the
 * committed stacks whatever their values is checked in tests/review/userStacks.test.ts.
 */
export const STACK_FIXTURES = join(__dirname, "..", "fixtures", "project");

/**
 * The stack's fixture file (STACK_FIXTURES), plus `changes` as if made with `pulumi config set`. A value written
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

/** The `config:` of the stack's fixture file with `changes`; an undefined value removes a key. */
export function changedStackValues(
  stack: string,
  changes: Record<string, StackValue>,
): Record<string, StackValue> {
  const values = { ...readStackFile(STACK_FIXTURES, stack), ...changes };
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) {
      delete values[key];
    }
  }
  return values;
}

/** Secrets every fixture stack needs, as `secure:` leaves. */
export const TEST_SECRETS = {
  DATABASE_PASSWORD: "pg-Pa55word!unique-7f3a",
  OPENAI_API_KEY: "sk-test-openai-key-9c1e5b7d2a4f6e8c0b",
};
export const TEST_REGISTRY_TOKEN = "ghp_TestRegistryToken0123456789abcdefXYZ";

/** The secrets a fixture stack needs: the app's, and the registry token if it uses one. */
export function testSecretsFor(stack: string): Record<string, StackValue> {
  const registry = readStackFile(STACK_FIXTURES, stack)["task-api:registry"] as
    { server?: string } | undefined;
  return registry?.server ? withTestSecrets() : withTestSecrets(TEST_SECRETS, null);
}

/** `changes` that give a stack these secrets, like `pulumi config set --secret` would. */
export function withTestSecrets(
  secrets: Record<string, string> = TEST_SECRETS,
  /** null: no token (a public image, or DigitalOcean's registry). */
  registryToken: string | null = TEST_REGISTRY_TOKEN,
): Record<string, StackValue> {
  return {
    "task-api:secrets": Object.fromEntries(
      Object.entries(secrets).map(([name, value]) => [name, { secure: value }]),
    ),
    ...(registryToken === null ? {} : { "task-api:registryToken": { secure: registryToken } }),
  };
}

export const TEST_DO_TOKEN = "dop_v1_" + "7e57".repeat(16);

/** The token DigitalOcean mints into each raw kubeconfig it returns: a secret to scan for. */
export function doksMintedToken(cluster: string): string {
  return `doks-token-${cluster}-0f1e2d`;
}

/** What the DOKS lookup returns for a cluster, as DigitalOcean would. */
export function doksLookupResult(cluster: string): Record<string, unknown> {
  const ca = Buffer.from(`-----BEGIN CERTIFICATE-----\nCA of ${cluster}\n`).toString("base64");
  return {
    id: `0b7c5a4e-${cluster}`,
    name: cluster,
    endpoint: `https://0b7c5a4e-${cluster}.k8s.ondigitalocean.com`,
    kubeConfigs: [
      {
        clusterCaCertificate: ca,
        token: doksMintedToken(cluster),
        rawConfig: [
          "apiVersion: v1",
          `clusters: [{name: do-nyc1-${cluster}, cluster: {certificate-authority-data: ${ca}}}]`,
          `users: [{name: do-nyc1-${cluster}-admin, user: {token: "${doksMintedToken(cluster)}"}}]`,
        ].join("\n"),
      },
    ],
  };
}

/** The invokes the program may make, answered as DigitalOcean would. */
export const DIGITALOCEAN_ANSWERS: Record<string, CallAnswer> = {
  [DOKS_LOOKUP]: (inputs) => doksLookupResult(String(inputs.name)),
};

/** How a test run differs from the default: other invoke answers, another environment. */
export interface TestRunOptions {
  /** @default DIGITALOCEAN_ANSWERS */
  readonly callAnswers?: Readonly<Record<string, CallAnswer>>;
  /** DIGITALOCEAN_TOKEN and DIGITALOCEAN_ACCESS_TOKEN while the program runs. @default a test token */
  readonly environment?: {
    readonly DIGITALOCEAN_TOKEN?: string;
    readonly DIGITALOCEAN_ACCESS_TOKEN?: string;
  };
}

function runOptions(options: TestRunOptions) {
  const environment = options.environment ?? { DIGITALOCEAN_TOKEN: TEST_DO_TOKEN };
  return {
    callAnswers: options.callAnswers ?? DIGITALOCEAN_ANSWERS,
    // Both names set (or unset) on every run, so that the machine's own never leak in.
    environment: {
      DIGITALOCEAN_TOKEN: environment.DIGITALOCEAN_TOKEN,
      DIGITALOCEAN_ACCESS_TOKEN: environment.DIGITALOCEAN_ACCESS_TOKEN,
    },
  };
}

/** Runs index.ts for `stack` with `config`. Throws what the program throws. */
export function runProgram(
  stack: string,
  config: EngineConfig,
  options: TestRunOptions = {},
): Promise<ProgramRun> {
  return runUnderMocks(stack, config, jestProgramLoader, runOptions(options));
}

/** Runs index.ts expecting it to fail; returns the error and what was registered before it. */
export async function runFailingProgram(
  stack: string,
  config: EngineConfig,
  options: TestRunOptions = {},
): Promise<{ error: Error; mocks: RecordingMocks }> {
  const { mocks, error } = await loadUnderMocks(
    stack,
    config,
    jestProgramLoader,
    runOptions(options),
  );
  if (!(error instanceof Error)) {
    throw new Error("the program ran without an error");
  }
  return { error, mocks };
}

// The test's instance of each module index.ts imports (programImports.ts).
const SHARED_MODULES = new Map<string, unknown>(
  [...programPackages(), ...entryModules()].map((name) => [name, require(name) as unknown]),
);

/**
 * index.ts afresh for each run, with the test's own instance of every module it imports: the
 * components, lib, the SDK and the providers, so that the mock runtime is theirs too.
 */
export function jestProgramLoader(): Record<string, unknown> {
  let exported: Record<string, unknown> = {};
  jest.isolateModules(() => {
    for (const [name, instance] of SHARED_MODULES) {
      jest.doMock(name, () => instance);
    }
    exported = require("../../index") as Record<string, unknown>;
  });
  return exported;
}

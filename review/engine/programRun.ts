// Runs a Pulumi program (normally index.ts, the one `pulumi up` runs) under the mock runtime with a
// stack's config passed the way the engine passes it. The tests and the offline review commands
// both go through here, so a render is exactly what the tests check.

import * as pulumi from "@pulumi/pulumi";
import { realpathSync } from "node:fs";
import { join, sep } from "node:path";
import { CallAnswer, RecordingMocks, installMocks, settle } from "./mockRuntime";
import { OFFLINE_RESOURCES, PROJECT } from "./programFacts";
import { EngineConfig } from "./stackFiles";

/** Loads (runs) the program and returns its module exports, which become the stack outputs. */
export type ProgramLoader = () => Record<string, unknown>;

export interface ProgramRun {
  readonly mocks: RecordingMocks;
  /** Stack outputs: the module's exports, resolved, with whether each is secret. */
  readonly outputs: Record<string, { value: unknown; secret: boolean }>;
}

export interface RunOptions {
  /** Answers for invokes (data sources); any other invoke fails the run. @default {} */
  readonly callAnswers?: Readonly<Record<string, CallAnswer>>;
  /** Seeds the mocked random bytes. @default the stack name */
  readonly randomSeed?: string;
  /**
   * Process environment variables while the program loads (an undefined value unsets one); the
   * previous values come back afterwards. The program reads where the DigitalOcean token is.
   * @default the environment as it is
   */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

/** What a run registered, and what loading the program returned or threw. */
export interface ProgramLoad {
  readonly mocks: RecordingMocks;
  readonly exported: Record<string, unknown>;
  /** What the program threw, e.g. its InvalidConfigError; undefined if it ran. */
  readonly error?: unknown;
}

/** Runs `load` for `stack` with `config` under fresh mocks. Throws what the program throws. */
export async function runUnderMocks(
  stack: string,
  config: EngineConfig,
  load: ProgramLoader,
  options: RunOptions = {},
): Promise<ProgramRun> {
  const { mocks, exported, error } = await loadUnderMocks(stack, config, load, options);
  if (error !== undefined) {
    throw error instanceof Error ? error : new Error(JSON.stringify(error));
  }
  const outputs: ProgramRun["outputs"] = {};
  for (const [name, value] of Object.entries(exported)) {
    if (pulumi.Output.isInstance(value)) {
      outputs[name] = {
        value: await new Promise((resolve) => value.apply(resolve)),
        secret: await pulumi.isSecret(value),
      };
    } else {
      outputs[name] = { value, secret: false };
    }
  }
  await settle();
  return { mocks, outputs };
}

/**
 * Loads the program under fresh mocks and waits for its registrations, failed or not. A run fails
 * with what loading threw, else with an invoke the mocks could not answer, else with the first
 * promise rejection the program left unhandled (an invoke or an `apply` that failed): the Pulumi
 * language host fails a run on those, the mock runtime only leaves them unhandled, and Node would
 * end the process on the first one.
 */
export async function loadUnderMocks(
  stack: string,
  config: EngineConfig,
  load: ProgramLoader,
  options: RunOptions = {},
): Promise<ProgramLoad> {
  const mocks = await installProgramMocks(stack, options.callAnswers, options.randomSeed);
  pulumi.runtime.setAllConfig(config.values, config.secretKeys);
  const { value: loaded, rejections } = await capturingRejections(async () => {
    const result = withEnvironment(options.environment ?? {}, (): Loaded => {
      try {
        return { exported: load() };
      } catch (error) {
        return { exported: {}, error };
      }
    });
    await settle();
    return result;
  });
  const unanswered =
    mocks.unanswered.length > 0
      ? new Error(`unexpected invoke ${mocks.unanswered.join(", ")}: this run has no answer for it`)
      : undefined;
  return { mocks, exported: loaded.exported, error: loaded.error ?? unanswered ?? rejections[0] };
}

/**
 * Fresh mocks for a run of this program's stack `stack`: its resources answered as programFacts.ts
 * says, its invokes by `callAnswers`.
 */
export function installProgramMocks(
  stack: string,
  callAnswers: Readonly<Record<string, CallAnswer>> = {},
  randomSeed = stack,
): Promise<RecordingMocks> {
  return installMocks(
    PROJECT,
    stack,
    { calls: callAnswers, resources: OFFLINE_RESOURCES },
    randomSeed,
  );
}

/** Runs `work` with these environment variables set (undefined: unset), then restores them. */
function withEnvironment<T>(
  environment: Readonly<Record<string, string | undefined>>,
  work: () => T,
): T {
  const saved = Object.fromEntries(
    Object.keys(environment).map((name) => [name, process.env[name]]),
  );
  Object.entries(environment).forEach(([name, value]) => setEnv(name, value));
  try {
    return work();
  } finally {
    Object.entries(saved).forEach(([name, value]) => setEnv(name, value));
  }
}

type Loaded = Pick<ProgramLoad, "exported" | "error">;

/** `work`'s result and the promise rejections nothing handled while it ran. */
async function capturingRejections<T>(
  work: () => Promise<T>,
): Promise<{ value: T; rejections: unknown[] }> {
  const rejections: unknown[] = [];
  const record = (reason: unknown) => rejections.push(reason);
  process.on("unhandledRejection", record);
  try {
    const value = await work();
    // Node reports a rejection as unhandled once the microtasks queued with it have run; the mocks
    // do no I/O, so by the next turn of the event loop every rejection of the run has been reported.
    await new Promise((resolve) => setImmediate(resolve));
    return { value, rejections };
  } finally {
    process.off("unhandledRejection", record);
  }
}

function setEnv(name: string, value: string | undefined): void {
  if (value === undefined) {
    delete process.env[name];
  } else {
    process.env[name] = value;
  }
}

/**
 * A loader for a plain Node process: requires `projectDir/index.ts` afresh, so that a second run in
 * the same process (another stack, another git ref) runs the program again rather than reusing the
 * first run's module. The SDK and providers under node_modules stay loaded and shared.
 */
export function freshProgramLoader(projectDir: string): ProgramLoader {
  // Node keys its module cache by real path; a checkout reached through a symlink must match too.
  const root = realpathSync(projectDir);
  return () => {
    const own = root.endsWith(sep) ? root : root + sep;
    const vendored = join(root, "node_modules") + sep;
    for (const file of Object.keys(require.cache)) {
      if (file.startsWith(own) && !file.startsWith(vendored)) {
        delete require.cache[file];
      }
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program runs on require
    return require(join(root, "index.ts")) as Record<string, unknown>;
  };
}

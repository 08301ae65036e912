// Pulumi's own mock runtime (pulumi.runtime.setMocks), recording every resource the program
// registers with its inputs exactly as the engine would receive them: a secret input arrives
// wrapped in the secret signature, so a test or the offline renderer can tell secret properties
// from plain ones. Shared by the tests and `npm run render`, so both see the program alike.
// Generic: what a particular program's resources and invokes answer is handed in (this program's:
// programFacts.ts, through programRun.ts, installProgramMocks).

import * as pulumi from "@pulumi/pulumi";
import * as runtimeSettings from "@pulumi/pulumi/runtime/settings";

export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** Inputs as serialized for the engine; top-level secret properties are wrapped. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of any Kubernetes kind
  readonly inputs: Record<string, any>;
  /** The `customTimeouts` option as the engine receives it; only the durations set. @default {} */
  readonly customTimeouts?: Readonly<Partial<Record<TimeoutOperation, string>>>;
  /** The `retainOnDelete` option: `pulumi destroy` or a removal leaves the object. @default false */
  readonly retainOnDelete?: boolean;
}

type TimeoutOperation = "create" | "update" | "delete" | "read";

/** The parts of the SDK's RegisterResourceRequest (a protobuf message) read here. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustomtimeouts(): Record<`get${Capitalize<TimeoutOperation>}`, () => string> | undefined;
  getRetainondelete(): boolean;
}

type RegisterResource = (request: RegisterRequest, callback: unknown) => Promise<void>;

export type CallAnswer = (inputs: Record<string, unknown>) => Record<string, unknown>;

/**
 * What the mocks answer for a resource of a type whose provider computes outputs (a random value,
 * a credential): its id and the outputs added to its inputs. `seed` is the run's random seed.
 */
export type ResourceAnswer = (resource: {
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly seed: string;
}) => { readonly id: string; readonly outputs: Record<string, unknown> };

/** What a run's mocks answer: invokes by token, resources by type. */
export interface MockAnswers {
  readonly calls?: Readonly<Record<string, CallAnswer>>;
  readonly resources?: Readonly<Record<string, ResourceAnswer>>;
}

/** Records registrations; answers invokes only from `callAnswers`, and throws on anything else. */
export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: RegisteredResource[] = [];
  /** Objects the program reads (`Resource.get`): they exist already and are never rendered. */
  readonly reads: { readonly type: string; readonly name: string; readonly id: string }[] = [];
  readonly calls: { token: string; inputs: Record<string, unknown> }[] = [];
  /**
   * Invokes nothing answered. The SDK turns the error thrown for one into a rejected promise that
   * nothing awaits, so a run learns of it from here (see programRun.ts).
   */
  readonly unanswered: string[] = [];
  /**
   * Resource options the mock interface does not pass to `newResource`, by type and name, seen on
   * the way to it (see `installMocks`).
   */
  private readonly pendingTimeouts = new Map<
    string,
    NonNullable<RegisteredResource["customTimeouts"]>
  >();
  private readonly pendingRetains = new Set<string>();

  constructor(
    /** Seeds the fake random values, so that two "stacks" get two different keys. */
    private readonly randomSeed: string,
    private readonly answers: MockAnswers = {},
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): {
    id: string;
    state: Record<string, unknown>;
  } {
    const inputs = args.inputs as Record<string, unknown>;
    // The runtime passes the id only for a read (`get`) or an import; the program imports nothing.
    if (args.id) {
      this.reads.push({ type: args.type, name: args.name, id: args.id });
      // A Kubernetes object read by name: the name is all the program uses of it.
      return { id: args.id, state: { metadata: { name: args.id } } };
    }
    const optionsKey = `${args.type}::${args.name}`;
    const customTimeouts = this.pendingTimeouts.get(optionsKey) ?? {};
    this.pendingTimeouts.delete(optionsKey);
    const retainOnDelete = this.pendingRetains.delete(optionsKey);
    this.resources.push({
      type: args.type,
      name: args.name,
      custom: args.custom ?? false,
      inputs,
      customTimeouts,
      ...(retainOnDelete ? { retainOnDelete } : {}),
    });
    const answer = this.answers.resources?.[args.type];
    if (answer) {
      const { id, outputs } = answer({ name: args.name, inputs, seed: this.randomSeed });
      return { id, state: { ...inputs, ...outputs } };
    }
    return { id: `${args.name}-id`, state: { ...inputs } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const inputs = args.inputs as Record<string, unknown>;
    this.calls.push({ token: args.token, inputs });
    const answer = this.answers.calls?.[args.token];
    if (!answer) {
      this.unanswered.push(args.token);
      throw new Error(`unexpected invoke ${args.token}`);
    }
    return answer(inputs);
  }

  /** Notes a registration's options before the mock monitor calls `newResource` for it. */
  noteRequest(request: RegisterRequest): void {
    if (request.getRetainondelete()) {
      this.pendingRetains.add(`${request.getType()}::${request.getName()}`);
    }
    const timeouts = request.getCustomtimeouts();
    const operations: TimeoutOperation[] = ["create", "update", "delete", "read"];
    const getter = (operation: TimeoutOperation) =>
      `get${operation[0].toUpperCase()}${operation.slice(1)}` as `get${Capitalize<TimeoutOperation>}`;
    this.pendingTimeouts.set(
      `${request.getType()}::${request.getName()}`,
      Object.fromEntries(
        operations.flatMap((operation) => {
          const value = timeouts?.[getter(operation)]() ?? "";
          return value === "" ? [] : [[operation, value]];
        }),
      ),
    );
  }

  ofType(type: string): RegisteredResource[] {
    return this.resources.filter((resource) => resource.type === type);
  }

  /** The one resource of a type; fails the test if there are none or several. */
  single(type: string): RegisteredResource {
    const found = this.ofType(type);
    if (found.length !== 1) {
      throw new Error(`expected one ${type}, found ${found.length}`);
    }
    return found[0];
  }
}

/** Installs fresh mocks for a run of `project`'s stack `stack`. */
export async function installMocks(
  project: string,
  stack: string,
  answers: MockAnswers = {},
  randomSeed = stack,
): Promise<RecordingMocks> {
  const mocks = new RecordingMocks(randomSeed, answers);
  await pulumi.runtime.setMocks(mocks, project, stack, false);
  // The mock monitor hands `newResource` the inputs but not the options; the request it gets holds
  // both, serialized as for the engine, so the options are read from there on the way through.
  const monitor = runtimeSettings.getMonitor() as unknown as { registerResource: RegisterResource };
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    mocks.noteRequest(request);
    return registerResource(request, callback);
  };
  return mocks;
}

/** Whether a registered input property is wrapped as secret. */
export function isSecretInput(value: unknown): boolean {
  return pulumi.runtime.isRpcSecret(value);
}

/** The plain value of a registered input property, secret or not. */
export function plain<T = unknown>(value: unknown): T {
  return pulumi.runtime.unwrapRpcSecret(value) as T;
}

/** Resolves an Output under the mocks. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Waits until every outstanding registration has reached the mocks. */
export async function settle(): Promise<void> {
  // Exported by the runtime but left out of its typings.
  const settings = runtimeSettings as unknown as { waitForRPCs(): Promise<void> };
  await settings.waitForRPCs();
}

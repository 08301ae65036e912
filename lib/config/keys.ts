// The config keys of project `task-api`: one table of what Pulumi.yaml declares of each
// (tests/lib/config/keys.test.ts checks that the two agree, field by field) and which hold
// secrets.

/** The project name, which prefixes every config key (`task-api:image`). */
export const PROJECT = "task-api";

/** The full config key, e.g. `task-api:secrets.DATABASE_PASSWORD`. */
export function configKey(path: string): string {
  return `${PROJECT}:${path}`;
}

/** What Pulumi.yaml declares of a key, and whether its values are secrets. */
interface KeySpec {
  /** Pulumi.yaml's `type` (and `items.type` for a list of strings). */
  readonly type: "string" | "integer" | "boolean" | "object" | "array";
  /** Its values are secrets: never in plaintext anywhere; every other key's end up in objects. */
  readonly secret: boolean;
  /** Pulumi.yaml's `default`; none for a key every stack must set. */
  readonly default?: unknown;
}

/**
 * Every config key of project `task-api`, in the order problems are listed: the one table of what
 * Pulumi.yaml declares of each (tests/lib/config/keys.test.ts checks it field by field) and which
 * hold secrets.
 */
export const KEYS = {
  image: { type: "string", secret: false },
  appName: { type: "string", secret: false, default: "task-api" },
  namespace: { type: "string", secret: false },
  createNamespace: { type: "boolean", secret: false, default: true },
  replicas: { type: "integer", secret: false, default: 1 },
  port: { type: "integer", secret: false, default: 8080 },
  config: { type: "object", secret: false, default: {} },
  nonSecretConfigKeys: { type: "array", secret: false, default: [] },
  secrets: { type: "object", secret: true, default: {} },
  generatedSecrets: { type: "object", secret: false, default: {} },
  secretFiles: { type: "object", secret: false, default: {} },
  secretFileContents: { type: "object", secret: true, default: {} },
  requiredSecrets: {
    type: "array",
    secret: false,
    default: ["DATABASE_PASSWORD", "OPENAI_API_KEY"],
  },
  optionalSecrets: { type: "array", secret: false, default: [] },
  registry: { type: "object", secret: false, default: {} },
  registryToken: { type: "string", secret: true, default: "" },
  restartOnChange: { type: "boolean", secret: false, default: true },
  awaitRollout: { type: "boolean", secret: false, default: true },
  rolloutTimeoutSeconds: { type: "integer", secret: false, default: 300 },
  adoptExisting: { type: "boolean", secret: false, default: false },
  selectorLabels: { type: "object", secret: false, default: {} },
  cluster: { type: "object", secret: false, default: {} },
  resources: { type: "object", secret: false, default: {} },
  probes: { type: "object", secret: false, default: {} },
  fieldEnv: { type: "object", secret: false, default: {} },
} as const satisfies Record<string, KeySpec>;

export type ConfigName = keyof typeof KEYS;

/** The config keys of project `task-api`, as declared in Pulumi.yaml, in KEYS' order. */
export const CONFIG_KEYS = Object.keys(KEYS) as readonly ConfigName[];

/** The keys whose values are secrets; every other key ends up in plaintext somewhere. */
export const SECRET_CONFIG: readonly ConfigName[] = CONFIG_KEYS.filter((name) => KEYS[name].secret);

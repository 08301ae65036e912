// The config keys of project `task-api`: one table of what Pulumi.yaml declares of each
// (tests/lib/config/keys.test.ts checks that the two agree, field by field), which hold secrets,
// and which module of lib/config owns each: its reader, its rules and their fix commands.

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
  /**
   * The module of lib/config that holds the key's reader, its rules and their fix commands (a rule
   * about this key that also reads other families' settings is here too); crossKey.ts holds the
   * rules of no one family.
   */
  readonly module: string;
}

/**
 * Every config key of project `task-api`, in the order problems are listed: the one table of what
 * Pulumi.yaml declares of each (tests/lib/config/keys.test.ts checks it field by field) and which
 * hold secrets.
 */
export const KEYS = {
  image: { type: "string", secret: false, module: "image" },
  appName: { type: "string", secret: false, default: "task-api", module: "namespace" },
  namespace: { type: "string", secret: false, module: "namespace" },
  createNamespace: { type: "boolean", secret: false, default: true, module: "namespace" },
  replicas: { type: "integer", secret: false, default: 1, module: "workload" },
  port: { type: "integer", secret: false, default: 8080, module: "workload" },
  config: { type: "object", secret: false, default: {}, module: "appConfig" },
  nonSecretConfigKeys: { type: "array", secret: false, default: [], module: "appConfig" },
  secrets: { type: "object", secret: true, default: {}, module: "secrets" },
  generatedSecrets: { type: "object", secret: false, default: {}, module: "generatedSecretsKey" },
  secretFiles: { type: "object", secret: false, default: {}, module: "secretFilesKey" },
  secretFileContents: { type: "object", secret: true, default: {}, module: "secretFileContents" },
  requiredSecrets: {
    type: "array",
    secret: false,
    default: ["DATABASE_PASSWORD", "OPENAI_API_KEY"],
    module: "secrets",
  },
  optionalSecrets: { type: "array", secret: false, default: [], module: "secrets" },
  registry: { type: "object", secret: false, default: {}, module: "registry" },
  registryToken: { type: "string", secret: true, default: "", module: "registry" },
  restartOnChange: { type: "boolean", secret: false, default: true, module: "workload" },
  awaitRollout: { type: "boolean", secret: false, default: true, module: "workload" },
  rolloutTimeoutSeconds: { type: "integer", secret: false, default: 300, module: "workload" },
  adoptExisting: { type: "boolean", secret: false, default: false, module: "workload" },
  selectorLabels: { type: "object", secret: false, default: {}, module: "labels" },
  cluster: { type: "object", secret: false, default: {}, module: "cluster" },
  resources: { type: "object", secret: false, default: {}, module: "workload" },
  probes: { type: "object", secret: false, default: {}, module: "workload" },
  fieldEnv: { type: "object", secret: false, default: {}, module: "workload" },
} as const satisfies Record<string, KeySpec>;

export type ConfigName = keyof typeof KEYS;

/** The config keys of project `task-api`, as declared in Pulumi.yaml, in KEYS' order. */
export const CONFIG_KEYS = Object.keys(KEYS) as readonly ConfigName[];

/** The keys whose values are secrets; every other key ends up in plaintext somewhere. */
export const SECRET_CONFIG: readonly ConfigName[] = CONFIG_KEYS.filter((name) => KEYS[name].secret);

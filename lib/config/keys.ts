// The config keys of project `task-api`, as declared in Pulumi.yaml (tests/lib/config/keys.test.ts
// checks that the two lists agree), and which of them hold secrets.

/** The project name, which prefixes every config key (`task-api:image`). */
export const PROJECT = "task-api";

/** The full config key, e.g. `task-api:secrets.DATABASE_PASSWORD`. */
export function configKey(path: string): string {
  return `${PROJECT}:${path}`;
}

/** The config keys of project `task-api`, as declared in Pulumi.yaml. */
export const CONFIG_KEYS = [
  "image",
  "appName",
  "namespace",
  "createNamespace",
  "replicas",
  "port",
  "config",
  "nonSecretConfigKeys",
  "secrets",
  "generatedSecrets",
  "secretFiles",
  "secretFileContents",
  "requiredSecrets",
  "optionalSecrets",
  "registry",
  "registryToken",
  "restartOnChange",
  "awaitRollout",
  "rolloutTimeoutSeconds",
  "adoptExisting",
  "selectorLabels",
  "cluster",
  "resources",
  "probes",
  "fieldEnv",
] as const;
export type ConfigName = (typeof CONFIG_KEYS)[number];

/** The keys whose values are secrets; every other key ends up in plaintext somewhere. */
export const SECRET_CONFIG: readonly ConfigName[] = [
  "secrets",
  "registryToken",
  "secretFileContents",
];

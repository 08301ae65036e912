// Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the engine does before it starts the program:
// project defaults first, the stack's values over them, every value flattened to the string the
// program receives (objects and lists as JSON). Used by the tests and the offline review commands
// to run the very same index.ts with a given stack's config.

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { YAMLParseError, parse } from "yaml";

/** A config value as written in a stack file; secret leaves are `{secure: CIPHERTEXT}`. */
export type StackValue = unknown;

/** Config exactly as the engine hands it to the program. */
export interface EngineConfig {
  /** Full key (`task-api:image`) → string value. */
  readonly values: Record<string, string>;
  /** Full keys that hold a secret anywhere inside. */
  readonly secretKeys: string[];
}

/** Turns a `secure:` leaf's ciphertext into the plaintext the program sees. */
export type Decrypt = (ciphertext: string, fullKey: string) => string;

/**
 * A YAML file's document. A syntax error names the file, line and column only: the parser's own
 * message quotes the offending line, which in a stack file may be a plaintext secret.
 */
export function readYamlFile(path: string): unknown {
  try {
    return parse(readFileSync(path, "utf8"));
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const at = error.linePos?.[0];
      const where = at ? `line ${at.line}, column ${at.col}` : "an unknown position";
      // No `cause`: Node prints a cause, and this one quotes the line.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`${path}: not valid YAML at ${where} (${error.code})`);
    }
    throw error;
  }
}

/** The `default:` of every key declared in Pulumi.yaml. */
export function readProjectDefaults(projectDir: string): Record<string, StackValue> {
  const project = readYamlFile(join(projectDir, "Pulumi.yaml")) as {
    config?: Record<string, { default?: StackValue }>;
  };
  const defaults: Record<string, StackValue> = {};
  for (const [key, declaration] of Object.entries(project.config ?? {})) {
    if (declaration.default !== undefined) {
      defaults[key] = declaration.default;
    }
  }
  return defaults;
}

/** The stacks that have a stack file in `projectDir`, sorted. */
export function listStacks(projectDir: string): string[] {
  return readdirSync(projectDir)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/** The `config:` block of `Pulumi.<stack>.yaml`. */
export function readStackFile(projectDir: string, stack: string): Record<string, StackValue> {
  const file = readYamlFile(join(projectDir, `Pulumi.${stack}.yaml`)) as {
    config?: Record<string, StackValue>;
  } | null;
  return { ...(file?.config ?? {}) };
}

/**
 * The names under `key` (an object of secrets) that `Pulumi.<stack>.yaml` holds in plaintext.
 * None when the stack has no file here: its config then comes from elsewhere (`--config-file`).
 */
export function plaintextLeafNames(projectDir: string, stack: string, key: string): string[] {
  if (!existsSync(join(projectDir, `Pulumi.${stack}.yaml`))) {
    return [];
  }
  const value = readStackFile(projectDir, stack)[key];
  if (typeof value !== "object" || value === null || Array.isArray(value) || isSecureLeaf(value)) {
    return [];
  }
  return Object.entries(value)
    .filter(([, leaf]) => !isSecureLeaf(leaf))
    .map(([name]) => name);
}

/** Project defaults overlaid with stack values, decrypted and flattened as the engine does. */
export function toEngineConfig(
  defaults: Record<string, StackValue>,
  stackValues: Record<string, StackValue>,
  decrypt: Decrypt,
): EngineConfig {
  const merged = { ...defaults, ...stackValues };
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(merged)) {
    let secret = false;
    const plain = reveal(value, (ciphertext) => {
      secret = true;
      return decrypt(ciphertext, key);
    });
    values[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
    if (secret) {
      secretKeys.push(key);
    }
  }
  return { values, secretKeys };
}

/** Whether a stack-file value is an encrypted leaf. */
export function isSecureLeaf(value: StackValue): value is { secure: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as { secure?: unknown }).secure === "string"
  );
}

function reveal(value: StackValue, decrypt: (ciphertext: string) => string): StackValue {
  if (isSecureLeaf(value)) {
    return decrypt(value.secure);
  }
  if (Array.isArray(value)) {
    return value.map((item) => reveal(item, decrypt));
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, reveal(item, decrypt)]),
    );
  }
  return value;
}

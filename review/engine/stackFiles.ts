// Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the engine does before it starts the program:
// project defaults first, the stack's values over them, every value flattened to the string the
// program receives (objects and lists as JSON). Used by the tests and the offline review commands
// to run the very same index.ts with a given stack's config.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { StackValue, isSecureLeaf, readYamlFile } from "../../lib/config/stackFile";
import { isPlainObject } from "../../lib/values";

/** Config exactly as the engine hands it to the program. */
export interface EngineConfig {
  /** Full key (`task-api:image`) → string value. */
  readonly values: Record<string, string>;
  /** Full keys that hold a secret anywhere inside. */
  readonly secretKeys: string[];
}

/** Turns a `secure:` leaf's ciphertext into the plaintext the program sees. */
export type Decrypt = (ciphertext: string, fullKey: string) => string;

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

function reveal(value: StackValue, decrypt: (ciphertext: string) => string): StackValue {
  if (isSecureLeaf(value)) {
    return decrypt(value.secure);
  }
  if (Array.isArray(value)) {
    return value.map((item) => reveal(item, decrypt));
  }
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, reveal(item, decrypt)]),
    );
  }
  return value;
}

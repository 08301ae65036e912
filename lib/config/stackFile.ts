// The one stack file the program itself reads: Pulumi.<stack>.yaml, for the names under
// `task-api:secrets` that it holds in plaintext. The engine marks the whole object secret when any
// one leaf is encrypted, so only the file tells (docs/configuration.md, Configuration).

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { YAMLParseError, parse } from "yaml";
import { isPlainObject } from "../values";

/** A config value as written in a stack file; secret leaves are `{secure: CIPHERTEXT}`. */
export type StackValue = unknown;

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
  if (!isPlainObject(value) || isSecureLeaf(value)) {
    return [];
  }
  return Object.entries(value)
    .filter(([, leaf]) => !isSecureLeaf(leaf))
    .map(([name]) => name);
}

/** Whether a stack-file value is an encrypted leaf. */
export function isSecureLeaf(value: StackValue): value is { secure: string } {
  return (
    isPlainObject(value) && Object.keys(value).length === 1 && typeof value.secure === "string"
  );
}

/**
 * The dotted paths below `key` that `Pulumi.<stack>.yaml` holds in plaintext, at any depth (for
 * `secretFileContents`, SET.FILE). None when the stack has no file here, or the key is one leaf.
 */
export function plaintextLeafPaths(projectDir: string, stack: string, key: string): string[] {
  if (!existsSync(join(projectDir, `Pulumi.${stack}.yaml`))) {
    return [];
  }
  const walk = (value: StackValue, path: string): string[] =>
    isSecureLeaf(value)
      ? []
      : isPlainObject(value)
        ? Object.entries(value).flatMap(([name, item]) =>
            walk(item, path ? `${path}.${name}` : name),
          )
        : [path];
  const value = readStackFile(projectDir, stack)[key];
  return isPlainObject(value) && !isSecureLeaf(value) ? walk(value, "") : [];
}

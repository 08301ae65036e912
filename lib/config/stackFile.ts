// The one stack file the program itself reads: Pulumi.<stack>.yaml, for the names under
// `task-api:secrets` that it holds in plaintext. The engine marks the whole object secret when any
// one leaf is encrypted, so only the file tells (docs/configuration.md, Configuration).

import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { isScalar, LineCounter, parseDocument, visit } from "yaml";
import { isPlainObject } from "../values";
import { userFacingError } from "../userFacingError";

/** A config value as written in a stack file; secret leaves are `{secure: CIPHERTEXT}`. */
export type StackValue = unknown;

/** A stack or project file that cannot be read: the message names file and position, nothing else. */
export class StackFileError extends userFacingError(Error, "StackFileError") {}

/** Stack files are a few kilobytes; the YAML parser takes minutes over tens of megabytes. */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;

/**
 * A YAML file's document. A problem names the file, line and column only: the parser's own
 * message quotes the offending line, which in a stack file may be a plaintext secret, and so do
 * its warnings (an unknown tag such as `!vault`), which it would print itself with
 * `process.emitWarning` (logLevel "silent" stops that). A warning is refused like an error: the
 * parser would otherwise turn the tagged value into a plain string without a word.
 */
export function readYamlFile(path: string): unknown {
  const size = statSync(path).size;
  if (size > MAX_YAML_BYTES) {
    throw new StackFileError(
      `${path}: ${size} bytes; a stack file this large is not one (at most ${MAX_YAML_BYTES} bytes are read)`,
    );
  }
  const text = readFileSync(path, "utf8");
  const key = `${path}\0${text}`;
  let parsed = parsedFiles.get(key);
  if (parsed === undefined) {
    // A text that does not parse throws here each time, with a trace of its own caller.
    parsed = { value: parseYaml(path, text) };
    parsedFiles.set(key, parsed);
  }
  // A copy: the callers' changes stay theirs.
  return structuredClone(parsed.value);
}

// A run reads the same file several times (the program, the checks, the renderer, each side of a
// diff): each text that parses is parsed once, by path and text, so an edited file is parsed anew.
const parsedFiles = new Map<string, { value: unknown }>();

function parseYaml(path: string, text: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { logLevel: "silent", lineCounter });
  const at = (offset: number | undefined) => {
    const position = offset === undefined ? undefined : lineCounter.linePos(offset);
    return position ? `line ${position.line}, column ${position.col}` : "an unknown position";
  };
  const [problem] = [...document.errors, ...document.warnings];
  if (problem) {
    throw new StackFileError(`${path}: not valid YAML at ${at(problem.pos[0])} (${problem.code})`);
  }
  // A key that is a list or a map (`? [a, b]`) would become its text, quoted in later messages.
  let complexKey: number | undefined;
  visit(document, {
    Pair(_, pair) {
      if (!isScalar(pair.key)) {
        complexKey ??= (pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? -1;
      }
    },
  });
  if (complexKey !== undefined) {
    throw new StackFileError(
      `${path}: a key at ${at(complexKey < 0 ? undefined : complexKey)} is a list or a map; config keys are names`,
    );
  }
  try {
    return document.toJS();
  } catch {
    throw new StackFileError(`${path}: YAML that cannot be read as data (too many aliases?)`);
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

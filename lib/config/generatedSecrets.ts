// `task-api:generatedSecrets`: NAME: {length, rotation}, read and checked. The values themselves
// are made by the program (components/AppSecret.ts) and never pass through config; this is only
// what to make. Every problem names the key and the command that fixes it.

import { GENERATED_LENGTH, GeneratedSecret } from "../generatedSecrets";
import { envKeyProblem } from "../names";
import { isPlainObject } from "../values";
import { fieldPath, removeCommand, setPlaintextCommand } from "./commands";
import { configKey } from "./keys";
import { Problem } from "./problems";
import { ConfigReader, Json } from "./reader";
import { didYouMean } from "./suggest";

const KEY = "generatedSecrets";
const FIELDS = ["length", "rotation"];
const EXAMPLE_ROTATION = "2027-01";

/** The generated secrets of the stack by name; an entry with a problem is left out. */
export function readGeneratedSecrets(reader: ConfigReader): Record<string, GeneratedSecret> {
  const value = reader.json(KEY);
  if (value === undefined) {
    return {};
  }
  if (!isPlainObject(value)) {
    reader.fail(
      KEY,
      "must be an object of NAME: {length, rotation}",
      setPlaintextCommand(
        `${KEY}.WEBHOOK_SECRET.length`,
        `${GENERATED_LENGTH.default}`,
        reader.stack,
      ),
    );
    return {};
  }
  const result: Record<string, GeneratedSecret> = {};
  for (const [name, entry] of Object.entries(value)) {
    const secret = readEntry(reader, name, entry);
    if (secret !== undefined) {
      result[name] = secret;
    }
  }
  return result;
}

function readEntry(reader: ConfigReader, name: string, entry: Json): GeneratedSecret | undefined {
  const path = fieldPath(KEY, name);
  const lengthFix = setPlaintextCommand(
    `${path}.length`,
    `${GENERATED_LENGTH.default}`,
    reader.stack,
  );
  const nameProblem = envKeyProblem(name);
  if (nameProblem) {
    return reader.fail(path, nameProblem, removeCommand(path, reader.stack));
  }
  if (!isPlainObject(entry)) {
    return reader.fail(
      path,
      "must be {length, rotation} (both optional)",
      `${removeCommand(path, reader.stack)} && ${lengthFix}`,
    );
  }
  let ok = true;
  for (const field of Object.keys(entry).filter((f) => !FIELDS.includes(f))) {
    const suggestion = didYouMean(field, FIELDS);
    reader.fail(
      `${path}.${field}`,
      `unknown field "${field}"; an entry has only length and rotation` +
        (suggestion ? ` (did you mean ${suggestion}?)` : ""),
      removeCommand(`${path}.${field}`, reader.stack),
    );
    ok = false;
  }
  const length = entry.length ?? GENERATED_LENGTH.default;
  if (
    typeof length !== "number" ||
    !Number.isInteger(length) ||
    length < GENERATED_LENGTH.min ||
    length > GENERATED_LENGTH.max
  ) {
    reader.fail(
      `${path}.length`,
      `must be a whole number of characters from ${GENERATED_LENGTH.min} to ${GENERATED_LENGTH.max}${reader.shown(KEY, length)}`,
      lengthFix,
    );
    ok = false;
  }
  const rotation = entry.rotation ?? "";
  // `--path` stores 2027 as a number; a label is a label either way.
  if (typeof rotation !== "string" && typeof rotation !== "number") {
    reader.fail(
      `${path}.rotation`,
      `must be a label such as "${EXAMPLE_ROTATION}"${reader.shown(KEY, rotation)}`,
      setPlaintextCommand(`${path}.rotation`, EXAMPLE_ROTATION, reader.stack),
    );
    ok = false;
  }
  return ok && typeof length === "number" && typeof rotation !== "object"
    ? { length, rotation: `${rotation}` }
    : undefined;
}

/** A name that is both a typed secret and a generated one: which value is meant is unclear. */
export function typedAndGeneratedProblems(
  typedNames: readonly string[],
  generatedNames: readonly string[],
  stack: string,
): Problem[] {
  return generatedNames
    .filter((name) => typedNames.includes(name))
    .map((name) => {
      const typed = fieldPath("secrets", name);
      const generated = fieldPath(KEY, name);
      return {
        key: `${configKey(typed)} and ${configKey(generated)}`,
        message:
          `"${name}" is set both as a typed secret (${configKey(typed)}) and as a generated one ` +
          `(${configKey(generated)}). Keep one`,
        fix:
          `${removeCommand(typed, stack)}   (or, to keep the typed value: ` +
          `${removeCommand(generated, stack)})`,
      };
    });
}

// `task-api:generatedSecrets`: NAME: {length, rotation, previousRotation, previousName}, read and
// checked. The values themselves
// are made by the program (components/AppSecret.ts) and never pass through config; this is only
// what to make. Every problem names the key and the command that fixes it.

import {
  defaultPreviousName,
  GENERATED_LENGTH,
  GeneratedSecret,
  PreviousValue,
} from "../generatedSecrets";
import { envKeyProblem } from "../names";
import { isPlainObject } from "../values";
import { fieldPath, removeCommand, setPlaintextCommand } from "./commands";
import { configKey } from "./keys";
import { Problem } from "../problems";
import { ConfigReader, Json } from "./reader";
import { didYouMean } from "./suggest";

const KEY = "generatedSecrets";
const FIELDS = ["length", "rotation", "previousRotation", "previousName"];
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
      `unknown field "${field}"; an entry has only ${FIELDS.join(", ")}` +
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
  const label = typeof rotation === "string" || typeof rotation === "number" ? `${rotation}` : "";
  const previous = readPrevious(reader, name, entry, label);
  return ok && previous !== null && typeof length === "number"
    ? { length, rotation: label, ...(previous === undefined ? {} : { previous }) }
    : undefined;
}

/**
 * The value kept from an earlier rotation: `previousRotation` names that rotation (the label the
 * secret had before, so the program keeps the value made for it), `previousName` the variable it
 * is delivered as. undefined when none is kept; null when the fields are wrong (reported).
 */
function readPrevious(
  reader: ConfigReader,
  name: string,
  entry: Record<string, Json>,
  rotation: string,
): PreviousValue | undefined | null {
  const path = fieldPath(KEY, name);
  const label = entry.previousRotation;
  const variable = entry.previousName;
  if (label === undefined) {
    if (variable !== undefined) {
      reader.fail(
        `${path}.previousName`,
        "names the variable of a previous value, but no previousRotation keeps one",
        removeCommand(`${path}.previousName`, reader.stack),
      );
      return null;
    }
    return undefined;
  }
  if (typeof label !== "string" && typeof label !== "number") {
    reader.fail(
      `${path}.previousRotation`,
      `must be the label of the rotation before this one, such as "${EXAMPLE_ROTATION}"${reader.shown(KEY, label)}`,
      removeCommand(`${path}.previousRotation`, reader.stack),
    );
    return null;
  }
  if (`${label}` === rotation) {
    reader.fail(
      `${path}.previousRotation`,
      `is the current rotation ("${rotation}"): the previous value is the one made for the rotation before it. To rotate, set rotation to a new label and previousRotation to the old one`,
      removeCommand(`${path}.previousRotation`, reader.stack),
    );
    return null;
  }
  const previousName = variable ?? defaultPreviousName(name);
  const nameProblem =
    typeof previousName === "string" ? envKeyProblem(previousName) : "must be a variable name";
  if (typeof previousName !== "string" || nameProblem) {
    reader.fail(
      `${path}.previousName`,
      `${nameProblem}${reader.shown(KEY, previousName)}`,
      removeCommand(`${path}.previousName`, reader.stack),
    );
    return null;
  }
  return { rotation: `${label}`, name: previousName };
}

/**
 * Each variable the generated secrets deliver, with the config path that names it: a secret's own
 * name (`generatedSecrets.NAME`), and its previous value's (`generatedSecrets.NAME.previousName`).
 */
export function generatedVariablePaths(
  generated: Readonly<Record<string, GeneratedSecret>>,
): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const [name, secret] of Object.entries(generated)) {
    paths[name] = fieldPath(KEY, name);
    if (secret.previous !== undefined && !(secret.previous.name in paths)) {
      paths[secret.previous.name] = `${fieldPath(KEY, name)}.previousName`;
    }
  }
  return paths;
}

/**
 * A variable that is both a typed secret and a generated one (a secret, or a previous value), or
 * two generated ones: which value is meant is unclear. Each problem names both keys.
 */
export function typedAndGeneratedProblems(
  typedNames: readonly string[],
  generated: Readonly<Record<string, GeneratedSecret>>,
  stack: string,
): Problem[] {
  const paths = generatedVariablePaths(generated);
  const typedClashes = Object.entries(paths)
    .filter(([variable]) => typedNames.includes(variable))
    .map(([variable, path]) => {
      const typed = fieldPath("secrets", variable);
      return {
        key: `${configKey(typed)} and ${configKey(path)}`,
        message:
          `"${variable}" is set both as a typed secret (${configKey(typed)}) and as a generated ` +
          `one (${configKey(path)}). Keep one`,
        fix:
          `${removeCommand(typed, stack)}   (or, to keep the typed value: ` +
          `${removeCommand(path, stack)})`,
      };
    });
  // A previous name that is another generated secret's name or previous name.
  const generatedClashes = Object.entries(generated).flatMap(([name, secret]) => {
    const previous = secret.previous?.name;
    const own = `${fieldPath(KEY, name)}.previousName`;
    if (previous === undefined || paths[previous] === own) {
      return [];
    }
    return [
      {
        key: `${configKey(own)} and ${configKey(paths[previous])}`,
        message: `"${previous}" would be delivered twice: as the previous value of ${name} and by ${configKey(paths[previous])}. Name the previous value otherwise`,
        fix: setPlaintextCommand(own, `${name}_OLD`, stack),
      },
    ];
  });
  return [...typedClashes, ...generatedClashes];
}

// Generic typed reading of the raw config strings, and the one collector of a stack's problems, so
// that every problem of the stack is found in one run. Two kinds of check report to it:
//   - a reader (a family's read* function, over these getters) records what is wrong with the keys
//     it reads as it reads them, with fail(): the typed value, or a problem (with the command that
//     fixes it) and undefined;
//   - a rule is a function over what the readers returned that returns its Problems, which
//     stackConfig.ts's reportRules hands to report().
// A new check that needs only the keys being read belongs in their reader; one that needs the
// typed values of other keys is a rule. What each key means lives in its family's module (keys.ts).

import { isPlainObject, setOwn } from "../values";
import {
  fieldPath,
  removeCommand,
  removeKeyCommand,
  setCommand,
  setTypedKeyCommand,
} from "./commands";
import { configKey, ConfigName, SECRET_CONFIG } from "./keys";
import { Problem } from "../problems";
import { describeValue, isShowableName, unshownNameProblem } from "./quoting";
import { secretLookingKeyWord } from "../credentials/secretLookingNames";
import { didYouMean } from "./suggest";
import { RawStackConfig } from "./settings";

/** A parsed object or list value, as `pulumi config set --path` writes it. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Typed getters over the raw strings, each recording a problem instead of throwing. */
export class ConfigReader {
  private readonly objectCache = new Map<ConfigName, Record<string, Json> | undefined>();
  private readonly recorded: Problem[] = [];

  constructor(readonly raw: RawStackConfig) {}

  /** Every problem recorded so far, in the order found. */
  get problems(): readonly Problem[] {
    return this.recorded;
  }

  get stack(): string {
    return this.raw.stack;
  }

  /**
   * ` (got VALUE)` for a message, or nothing for a key that holds secrets or reached the program
   * encrypted: a plaintext `secrets` object is still a secret that must not be echoed. Otherwise
   * the value only as quoting.ts allows.
   */
  shown(name: ConfigName, value: unknown): string {
    return SECRET_CONFIG.includes(name) || this.raw.isSecret(name)
      ? ""
      : ` (got ${describeValue(value)})`;
  }

  /** Records problems a rule returned. */
  report(...problems: readonly Problem[]): void {
    this.recorded.push(...problems);
  }

  /** Records a problem of `name` (a key or a path below one); returns undefined for the caller. */
  fail(name: string, message: string, fix?: string): undefined {
    this.report({ key: configKey(name), message, fix });
    return undefined;
  }

  /** The parsed JSON of an object or list key; non-JSON is reported (the value only if not secret). */
  json(name: ConfigName): Json | undefined {
    const text = this.raw.values[name];
    if (text === undefined) {
      return undefined;
    }
    try {
      return JSON.parse(text) as Json;
    } catch {
      return this.fail(
        name,
        `must be an object or a list set with --path${this.shown(name, text)}`,
      );
    }
  }

  string(name: ConfigName): string | undefined {
    const text = this.raw.values[name];
    if (text !== undefined && text.trim() === "") {
      return this.fail(name, "is empty", removeKeyCommand(name, this.stack));
    }
    return text;
  }

  boolean(name: ConfigName): boolean | undefined {
    const text = this.raw.values[name];
    if (text === undefined || text === "true" || text === "false") {
      return text === undefined ? undefined : text === "true";
    }
    return this.fail(
      name,
      `must be true or false${this.shown(name, text)}`,
      setTypedKeyCommand("bool", name, "true", this.stack),
    );
  }

  integer(name: ConfigName, min: number, max: number, example: number): number | undefined {
    const text = this.raw.values[name];
    if (text === undefined) {
      return undefined;
    }
    const value = Number(text);
    if (/^-?\d+$/.test(text.trim()) && value >= min && value <= max) {
      return value;
    }
    return this.fail(
      name,
      `must be a whole number from ${min} to ${max}${this.shown(name, text)}`,
      setTypedKeyCommand("int", name, example, this.stack),
    );
  }

  stringList(name: ConfigName): string[] | undefined {
    const value = this.json(name);
    if (value === undefined) {
      return undefined;
    }
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
      return value;
    }
    return this.fail(
      name,
      "must be a list of names",
      `${removeCommand(name, this.stack)} && ${setCommand(`${name}[0]`, "NAME", this.stack)}`,
    );
  }

  /**
   * Reports every field of the object at `path` (a key, or a path below one) that is not one of
   * `known`, so that a misspelt field is never silently dropped: with "did you mean", except for a
   * field whose name says it holds a secret (moving a plaintext password into a neighbouring field
   * would be worse), and never with the field's value. Returns whether all fields are known.
   */
  knownFieldsOnly(path: string, value: Record<string, Json>, known: readonly string[]): boolean {
    const unknown = Object.keys(value).filter((field) => !known.includes(field));
    for (const field of unknown) {
      if (!isShowableName(field)) {
        this.report(unshownNameProblem(path, this.stack));
        continue;
      }
      const fieldKey = fieldPath(path, field);
      const remove = removeCommand(fieldKey, this.stack);
      // `secretname` is a typo of `secretName`, not a secret.
      const caseTypo = known.find((name) => name.toLowerCase() === field.toLowerCase());
      if (caseTypo === undefined && secretLookingKeyWord(field) !== undefined) {
        this.fail(
          fieldKey,
          `is not a field of ${configKey(path)}, and its name says it holds a secret, stored here in plaintext: treat it as leaked and rotate it. Secrets belong in ${configKey("secrets")} or ${configKey("registryToken")}, set with --secret`,
          remove,
        );
        continue;
      }
      const suggestion = caseTypo ?? didYouMean(field, known);
      this.fail(
        fieldKey,
        `is not a field of ${configKey(path)}, so it would be ignored: ${suggestion ? `did you mean ${configKey(fieldPath(path, suggestion))}? Remove this one and set that` : `its fields are ${known.join(", ")}`}`,
        remove,
      );
    }
    return unknown.length === 0;
  }

  /** A field of an object-valued key; the object itself is checked once. */
  objectField(name: ConfigName, field: string): Json | undefined {
    if (!this.objectCache.has(name)) {
      const value = this.json(name);
      if (value !== undefined && !isPlainObject(value)) {
        this.fail(name, "must be an object set with --path", undefined);
      }
      this.objectCache.set(name, value !== undefined && isPlainObject(value) ? value : undefined);
    }
    return this.objectCache.get(name)?.[field] ?? undefined;
  }
}

/** The entries of an object key as strings; an entry `convert` refuses is recorded at its path. */
export function readEntries(
  reader: ConfigReader,
  name: ConfigName,
  value: Record<string, Json>,
  convert: (item: Json) => string | undefined,
  message: string,
  fix: (path: string) => string,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    const converted = convert(item);
    if (converted === undefined) {
      reader.fail(`${name}.${key}`, message, fix(`${name}.${key}`));
    } else {
      setOwn(result, key, converted);
    }
  }
  return result;
}

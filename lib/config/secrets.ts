// `task-api:secrets`, `requiredSecrets` and `optionalSecrets`: the secret settings, which must
// reach the program encrypted, and the lists that say which are expected. Only names appear in
// messages.

import { ConfigReader, readEntries } from "./reader";
import { envKeyProblem, isEnvVarName } from "../names";
import { isPlainObject } from "../values";
import { removeCommand, removeKeyCommand, setCommand, setSecretCommand } from "./commands";
import { configKey, ConfigName } from "./keys";
import { isShowableName, unshownNameProblem } from "./quoting";
import { dataSize, isWellFormedText, MAX_DATA_BYTES } from "../objectData";
import { Problem } from "../problems";
import { didYouMean } from "./suggest";

/** The values of `task-api:secrets`, for the rules; {} when unset or not readable. */
export function readSecretValues(reader: ConfigReader): Record<string, string> {
  return readSecretStringMap(reader, "secrets") ?? {};
}

export function readRequiredSecrets(reader: ConfigReader): string[] {
  return reader.stringList("requiredSecrets") ?? [];
}

export function readOptionalSecrets(reader: ConfigReader): string[] {
  return reader.stringList("optionalSecrets") ?? [];
}

/** Must reach the program as secret, every leaf a string. */
function readSecretStringMap(
  reader: ConfigReader,
  name: ConfigName,
): Record<string, string> | undefined {
  const text = reader.raw.values[name];
  if (text === undefined) {
    return undefined;
  }
  plaintextSecretProblems(reader, name, text);
  const value = reader.json(name);
  if (value === undefined) {
    return undefined;
  }
  if (!isPlainObject(value)) {
    return reader.fail(
      name,
      "must be an object of named secrets",
      setSecretCommand(`${name}.NAME`, reader.stack),
    );
  }
  return readEntries(
    reader,
    name,
    value,
    (item) => (typeof item === "string" ? item : undefined),
    "must be a string secret",
    (path) => setSecretCommand(path, reader.stack),
  );
}

// Checked before parsing, so that a plaintext value that is not even JSON is reported too.
// An empty object is the Pulumi.yaml default: nothing there to have leaked.
function plaintextSecretProblems(reader: ConfigReader, name: ConfigName, text: string): void {
  if (!reader.raw.isSecret(name) && text.replace(/\s/g, "") !== "{}") {
    reader.fail(
      name,
      "is stored in plaintext in the stack file (not encrypted). Treat these values as leaked: " +
        "rotate them, remove the key, and set each one again as a secret",
      `${removeKeyCommand(name, reader.stack)} && ${setSecretCommand(`${name}.NAME`, reader.stack)}   (once per secret)`,
    );
    return;
  }
  for (const secretName of reader.raw.plaintextSecretNames ?? []) {
    reader.fail(
      `${name}.${secretName}`,
      "is stored in plaintext in the stack file, beside encrypted secrets. Treat it as " +
        "leaked: rotate it, then set the new value encrypted",
      setSecretCommand(`${name}.${secretName}`, reader.stack),
    );
  }
}

/** Problems of the secret settings (`task-api:secrets`). Only names appear in messages. */
export function secretProblems(
  secrets: Readonly<Record<string, string>>,
  requiredSecrets: readonly string[],
  optionalSecrets: readonly string[],
  stack: string,
): Problem[] {
  const problems: Problem[] = [];
  for (const [list, names] of [
    ["requiredSecrets", requiredSecrets],
    ["optionalSecrets", optionalSecrets],
  ] as const) {
    names.forEach((name, index) => {
      if (!isEnvVarName(name)) {
        problems.push({
          key: configKey(`${list}[${index}]`),
          message: `${isShowableName(name) ? `"${name}"` : "this name (not shown: it may hold a credential)"} is not a valid environment variable name (letters, digits and '_', not starting with a digit)`,
          fix: removeCommand(`${list}[${index}]`, stack),
        });
      }
    });
  }
  for (const name of requiredSecrets.filter(isEnvVarName)) {
    if (!Object.hasOwn(secrets, name)) {
      problems.push({
        key: configKey(`secrets.${name}`),
        message: `required secret is not set (listed in ${configKey("requiredSecrets")})`,
        fix: setSecretCommand(`secrets.${name}`, stack),
      });
    }
  }
  const declared = [...requiredSecrets, ...optionalSecrets];
  for (const [name, value] of Object.entries(secrets)) {
    if (!isShowableName(name)) {
      problems.push(unshownNameProblem("secrets", stack));
      continue;
    }
    const key = configKey(`secrets.${name}`);
    if (!declared.includes(name)) {
      const suggestion = didYouMean(name, declared);
      problems.push({
        key,
        message:
          `"${name}" is neither in ${configKey("requiredSecrets")} nor in ` +
          `${configKey("optionalSecrets")}; ` +
          (suggestion ? `a typo of "${suggestion}"?` : "a typo?") +
          ` If it is meant, declare it optional`,
        fix: suggestion
          ? `${removeCommand(`secrets.${name}`, stack)} && ${setSecretCommand(`secrets.${suggestion}`, stack)}`
          : setCommand(`optionalSecrets[${optionalSecrets.length}]`, name, stack),
      });
    }
    const nameProblem = envKeyProblem(name);
    if (nameProblem) {
      problems.push({ key, message: nameProblem, fix: removeCommand(`secrets.${name}`, stack) });
    }
    const valueProblem =
      value.trim() === ""
        ? "is empty (a blank answer to the prompt?); set its value"
        : value.includes("\0")
          ? "the value contains a NUL byte, which makes the container fail to start"
          : !isWellFormedText(value)
            ? "the value is not valid Unicode (a lone surrogate), and would reach the app altered"
            : undefined;
    if (valueProblem) {
      problems.push({
        key,
        message: valueProblem,
        fix: setSecretCommand(`secrets.${name}`, stack),
      });
    }
  }
  if (dataSize(secrets) > MAX_DATA_BYTES) {
    problems.push({
      key: configKey("secrets"),
      message: `the secrets add up to ${dataSize(secrets)} bytes; a Secret holds at most ${MAX_DATA_BYTES}`,
    });
  }
  return problems;
}

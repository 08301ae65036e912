// `task-api:config` and `nonSecretConfigKeys`: the settings that become the ConfigMap, read and
// checked (names, secret-looking names, credentials in values, with the exceptions declared).
// Every message names the key and never a secret value.

import { ConfigReader, readEntries } from "./reader";
import { envKeyProblem } from "../names";
import { isPlainObject } from "../values";
import { removeCommand, setCommand, setSecretCommand } from "./commands";
import { configKey, ConfigName } from "./keys";
import { isShowableName, unshownNameProblem } from "./quoting";
import { secretLookingKeyWord } from "../credentials/secretLookingNames";
import { isWellFormedText } from "../objectData";
import { Problem } from "../problems";
import { credentialFindings } from "../credentials/detector";

/** `task-api:config`: the settings the ConfigMap holds; {} when unset or not readable. */
export function readAppConfig(reader: ConfigReader): Record<string, string> {
  return readScalarMap(reader, "config") ?? {};
}

export function readNonSecretConfigKeys(reader: ConfigReader): string[] {
  return reader.stringList("nonSecretConfigKeys") ?? [];
}

/** An object of scalars, converted to the strings the ConfigMap holds. */
function readScalarMap(reader: ConfigReader, name: ConfigName): Record<string, string> | undefined {
  const value = reader.json(name);
  if (value === undefined) {
    return undefined;
  }
  if (!isPlainObject(value)) {
    return reader.fail(
      name,
      "must be an object of settings, e.g. LOG_LEVEL: debug",
      setCommand(`${name}.LOG_LEVEL`, "debug", reader.stack),
    );
  }
  return readEntries(
    reader,
    name,
    value,
    (item) =>
      typeof item === "string" || typeof item === "number" || typeof item === "boolean"
        ? String(item)
        : undefined,
    "must be a string, number or boolean (environment variables are flat)",
    (path) => removeCommand(path, reader.stack),
  );
}

/** Problems of the non-secret settings that become the ConfigMap (`task-api:config`). */
export function configProblems(
  config: Readonly<Record<string, string>>,
  nonSecretConfigKeys: readonly string[],
  stack: string,
  optionalSecrets: readonly string[] = [],
): Problem[] {
  // Moving a setting to secrets also declares it, or the next run reports it as undeclared.
  const moveToSecrets = (name: string) =>
    `${removeCommand(`config.${name}`, stack)} && ${setSecretCommand(`secrets.${name}`, stack)}` +
    ` && ${setCommand(`optionalSecrets[${optionalSecrets.length}]`, name, stack)}`;
  const problems: Problem[] = [];
  for (const [name, value] of Object.entries(config)) {
    if (!isShowableName(name)) {
      problems.push(unshownNameProblem("config", stack));
      continue;
    }
    const key = configKey(`config.${name}`);
    const nameProblem = envKeyProblem(name);
    if (nameProblem) {
      problems.push({ key, message: nameProblem, fix: removeCommand(`config.${name}`, stack) });
    }
    const exceptions = declaredExceptions(nonSecretConfigKeys, name);
    const declare = (entry: string) =>
      setCommand(`nonSecretConfigKeys[${nonSecretConfigKeys.length}]`, entry, stack);
    const word = secretLookingKeyWord(name);
    if (word && exceptions === undefined) {
      problems.push({
        key,
        message:
          `"${name}" looks like a secret (it contains "${word}"), and the ConfigMap is plaintext to ` +
          `anyone who can read the namespace. If it is one, its value has been in plaintext in the ` +
          `stack file: treat it as leaked, rotate it, and keep the new one in secrets; if it is ` +
          `not a secret, declare it in ${configKey("nonSecretConfigKeys")}`,
        fix: `${moveToSecrets(name)}   (or, if not secret: ${declare(name)})`,
      });
    }
    // The name goes with the value: context rules such as AWS_SECRET_ACCESS_KEY=... need it.
    const findings = credentialFindings(`${name}=${value}`).filter(
      (finding) => !exceptions?.includes(finding),
    );
    if (findings.length > 0) {
      problems.push({
        key,
        message:
          `secretlint finds a credential in the value (${findings.join(", ")}). It is stored in ` +
          `plaintext in the stack file: treat it as leaked, rotate it, then keep the new one in ` +
          `secrets. If it is not a secret (a Sentry DSN is public by design), accept exactly ` +
          `this finding in ${configKey("nonSecretConfigKeys")}`,
        fix:
          `${moveToSecrets(name)}   (or, if not secret: ` +
          `${findings.map((finding) => declare(`${name}:${finding}`)).join(" && ")})`,
      });
    }
    if (value.includes("\0")) {
      problems.push({
        key,
        message: "the value contains a NUL byte, which makes the container fail to start",
        fix: setCommand(`config.${name}`, "VALUE", stack),
      });
    }
    if (!isWellFormedText(value)) {
      problems.push({
        key,
        message:
          "the value is not valid Unicode (a lone surrogate), and would reach the app altered",
        fix: setCommand(`config.${name}`, "VALUE", stack),
      });
    }
  }
  return problems;
}

/**
 * What nonSecretConfigKeys declares of a config key: undefined when nothing, else the detector's
 * findings accepted for its value. `NAME` says the name is not secret (MAX_TOKENS) and accepts no
 * finding; `NAME:FINDING` (e.g. `SENTRY_DSN:task-api/SENTRY_DSN`) accepts that one finding, so a
 * different credential pasted there later is still refused.
 */
export function declaredExceptions(
  nonSecretConfigKeys: readonly string[],
  name: string,
): string[] | undefined {
  const entries = nonSecretConfigKeys.filter(
    (entry) => entry === name || entry.startsWith(`${name}:`),
  );
  return entries.length === 0
    ? undefined
    : entries.filter((entry) => entry !== name).map((entry) => entry.slice(name.length + 1));
}

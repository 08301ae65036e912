// Checks of the app's settings that need no Kubernetes: exported so that `index.ts` can run them all
// before any resource exists, and so that components and tests call the very same rules.
// Every message names the config key and never a secret value or anything derived from one.

import { removeCommand, setCommand, setSecretCommand } from "./commands";
import { configKey } from "./keys";
import { EnvPlan } from "../envLayers";
import { envKeyProblem, isEnvVarName } from "../names";
import { MAX_DATA_BYTES, dataSize, isWellFormedText } from "../objectData";
import { Problem } from "../problems";
import { isShowableName, unshownNameProblem } from "./quoting";
import { credentialFindings } from "../credentials/detector";
import { secretLookingKeyWord } from "../credentials/secretLookingNames";
import { didYouMean } from "./suggest";

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

/** Problems of the ConfigMap as a whole (after defaults are laid under the stack's config). */
export function configMapSizeProblems(configMapData: Readonly<Record<string, string>>): Problem[] {
  const size = dataSize(configMapData);
  return size > MAX_DATA_BYTES
    ? [
        {
          key: configKey("config"),
          message: `the ConfigMap data adds up to ${size} bytes; a ConfigMap holds at most ${MAX_DATA_BYTES}`,
        },
      ]
    : [];
}

/**
 * Names that two layers both set where neither is meant to win (see envLayers.ts). A secret in
 * one in `generatedPaths` is one the program makes (`generatedSecrets`), and is named so.
 */
export function envConflictProblems(
  plan: EnvPlan,
  stack: string,
  /** The config path of each variable the program generates (generatedVariablePaths). */
  generatedPaths: Readonly<Record<string, string>> = {},
): Problem[] {
  return plan.conflicts.map(({ name, sources }) => {
    if (sources.includes("config") && sources.includes("secret")) {
      const secretPath = generatedPaths[name] ?? `secrets.${name}`;
      return {
        key: `${configKey(`config.${name}`)} and ${configKey(secretPath)}`,
        message:
          `"${name}" is set in both config and ${secretPath.split(".")[0]}, so it is unclear which is meant ` +
          `(the Secret would win). Keep one`,
        fix: removeCommand(`config.${name}`, stack),
      };
    }
    const shadowed = sources.filter((s) => s !== "env").join(" and ");
    return {
      key: configKey(`fieldEnv.${name}`),
      message:
        `the explicit env entry "${name}" would silently shadow the value from ${shadowed} ` +
        `(in Kubernetes, env beats envFrom). Rename one of them`,
      fix: removeCommand(`fieldEnv.${name}`, stack),
    };
  });
}

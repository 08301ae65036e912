// Checks of the committed stack files themselves, run before anyone types `pulumi up` (and by
// `npm test`): plaintext secrets in git, undeclared keys, values of the wrong type, and required
// secrets missing from a stack that has started to set its secrets.

import { join } from "node:path";
import { setSecretCommand } from "../lib/config/commands";
import { setFileContentCommand } from "../lib/config/secretFileContents";
import { PROJECT, SECRET_CONFIG, configKey } from "../lib/config/keys";
import { InvalidConfigError, Problem, formatProblems } from "../lib/problems";
import { rawStackConfig } from "../lib/config/rawStackConfig";
import { readStackSettings } from "../lib/config/stackConfig";
import { offlineEngineConfig, placeholderDecrypt } from "./engine/offlineConfig";
import { secretLookingKeyWord } from "../lib/credentials/secretLookingNames";
import { isSecureLeaf, readStackFile, readYamlFile, StackValue } from "../lib/config/stackFile";
import { listStacks } from "./engine/stackFiles";
import { didYouMean } from "../lib/config/suggest";
import { isPlainObject } from "../lib/values";

type ConfigType = "string" | "integer" | "boolean" | "array" | "object";

/** A key's declaration in Pulumi.yaml. */
export interface Declaration {
  readonly type?: ConfigType;
  readonly items?: { readonly type: ConfigType };
  readonly default?: StackValue;
}

/** Project keys whose values are secrets: every leaf must be `secure:`. */
const SECRET_KEYS = SECRET_CONFIG.map(configKey);

/** The `config:` declarations of Pulumi.yaml. */
export function readDeclarations(projectDir: string): Record<string, Declaration> {
  const project = readYamlFile(join(projectDir, "Pulumi.yaml")) as {
    config?: Record<string, Declaration>;
  };
  return project.config ?? {};
}

/**
 * The program's own problems with the stack: readStackSettings on the config the offline engine
 * passes (secrets it does not hold are placeholders, as in a render), so that check:stacks refuses
 * what `pulumi up`, render, env and diff refuse, in the same words (credentials included). Not
 * judged here, as offline it cannot be: whether a DigitalOcean token is exported (taken as yes,
 * as CI exports one), and anything of the cluster.
 */
export function programProblems(projectDir: string, stacksDir: string, stack: string): Problem[] {
  const engine = offlineEngineConfig(projectDir, stack, placeholderDecrypt, stacksDir);
  try {
    readStackSettings(
      rawStackConfig({
        stack,
        get: (key) => engine.values[key],
        isSecret: (key) => engine.secretKeys.includes(key),
        stackFileDir: stacksDir,
        digitalOceanTokenExported: true,
      }),
    );
    return [];
  } catch (error) {
    if (InvalidConfigError.isInstance(error)) {
      return [...error.problems];
    }
    throw error;
  }
}

/**
 * The program's problems, then the file's own ones at keys the program said nothing of: where
 * both judge a key (a plaintext secret, a wrong type, a missing secret) the program's words are
 * the more exact, and one mistake is reported once.
 */
export function withProgramProblems(
  program: readonly Problem[],
  file: readonly Problem[],
): Problem[] {
  const keys = new Set(program.map((p) => p.key));
  return [...program, ...file.filter((p) => !keys.has(p.key))];
}

/** Every problem of one stack file's `config:` block. */
export function checkStackConfig(
  stack: string,
  config: Record<string, StackValue>,
  declarations: Record<string, Declaration>,
): Problem[] {
  const problems: Problem[] = [];
  const declared = Object.keys(declarations);
  for (const [key, value] of Object.entries(config)) {
    const isProjectKey = key.startsWith(`${PROJECT}:`);
    const suggestion = key in declarations ? undefined : didYouMean(key, declared);
    // Checked before anything else, misspelt keys included: a typo must not hide a leak.
    if (holdsSecret(key, suggestion)) {
      problems.push(...plaintextProblems(stack, key, value));
    }
    if (key === configKey("requiredSecrets")) {
      problems.push({
        key,
        message:
          "is set per stack, which would let one stack drop a secret every stack needs; " +
          "required names are declared once, in Pulumi.yaml. Extra names for one stack go in " +
          configKey("optionalSecrets"),
        fix: `pulumi config rm ${key} -s ${stack}`,
      });
    }
    // Undeclared project keys, and keys of another namespace that look like a misspelt one.
    if (!(key in declarations) && (isProjectKey || suggestion !== undefined)) {
      problems.push({
        key,
        message:
          `is not declared in Pulumi.yaml, so the program never reads it` +
          (suggestion ? `; did you mean ${suggestion}?` : ""),
        fix: suggestion
          ? `rename it to ${suggestion} in Pulumi.${stack}.yaml`
          : `remove it: pulumi config rm ${key} -s ${stack}`,
      });
      continue;
    }
    const declaration = declarations[key];
    if (declaration?.type !== undefined && !hasType(value, declaration)) {
      problems.push({
        key,
        // The kind only, never the value: it may be a plaintext secret in the wrong shape.
        message: `must be ${describe(declaration)} (Pulumi.yaml), but is ${kindOf(value)}`,
        fix: `correct it in Pulumi.${stack}.yaml`,
      });
    }
  }
  problems.push(...missingSecretProblems(stack, config, declarations));
  return problems;
}

/**
 * Whether a key holds a secret: `secrets` or `registryToken`, a path below `secrets` (what
 * `pulumi config set` without `--path` writes), a misspelling of either, or a key of another
 * namespace with a secret-looking name (`digitalocean:token`).
 */
function holdsSecret(key: string, suggestion: string | undefined): boolean {
  const isProjectKey = key.startsWith(`${PROJECT}:`);
  return (
    SECRET_KEYS.includes(key) ||
    key.startsWith(`${configKey("secrets")}.`) ||
    (suggestion !== undefined && SECRET_KEYS.includes(suggestion)) ||
    (!isProjectKey && secretLookingKeyWord(key.split(":").pop() ?? "") !== undefined)
  );
}

/** Plaintext where a secret belongs: the worst case, because git keeps it forever. */
function plaintextProblems(stack: string, key: string, value: StackValue): Problem[] {
  const leak = (path: string, fix: string): Problem => ({
    key: path,
    message:
      "is a plaintext secret in the stack file. If it was committed or pushed, rotate it: the value stays in the " +
      "repository's history even after the file is fixed. Then store the new one encrypted " +
      `(the fix needs the stack in your backend: on a new machine, pulumi stack init ${stack} first)`,
    fix,
  });
  if (isSecureLeaf(value) || value === "" || value === undefined || value === null) {
    return [];
  }
  if (key === configKey("secrets") && isPlainObject(value)) {
    return Object.entries(value)
      .filter(([, leaf]) => !isSecureLeaf(leaf))
      .map(([name]) => leak(`${key}.${name}`, setSecretCommand(`secrets.${name}`, stack)));
  }
  // SET: {FILE: content}: every content a leaf of its own.
  if (key === configKey("secretFileContents") && isPlainObject(value)) {
    return Object.entries(value).flatMap(([set, files]) =>
      isPlainObject(files)
        ? Object.entries(files)
            .filter(([, leaf]) => !isSecureLeaf(leaf))
            .map(([file]) => leak(`${key}.${set}.${file}`, setFileContentCommand(set, file, stack)))
        : [leak(`${key}.${set}`, setFileContentCommand(set, "FILE", stack))],
    );
  }
  const isUnderSecrets = key === configKey("secrets") || key.startsWith(`${configKey("secrets")}.`);
  return [
    leak(
      key,
      isUnderSecrets
        ? `pulumi config rm ${key} -s ${stack} && ${setSecretCommand("secrets.NAME", stack)}   (once per secret)`
        : `pulumi config set --secret ${key} -s ${stack}`,
    ),
  ];
}

/** Once a stack sets any secret, every required one must be there too. */
function missingSecretProblems(
  stack: string,
  config: Record<string, StackValue>,
  declarations: Record<string, Declaration>,
): Problem[] {
  const secrets = config[configKey("secrets")];
  if (typeof secrets !== "object" || secrets === null || Object.keys(secrets).length === 0) {
    return [];
  }
  const required =
    config[configKey("requiredSecrets")] ?? declarations[configKey("requiredSecrets")]?.default;
  if (!Array.isArray(required)) {
    return [];
  }
  return required
    .filter((name): name is string => typeof name === "string" && !(name in secrets))
    .map((name) => ({
      key: configKey(`secrets.${name}`),
      message: `required secret is missing while others are set (listed in ${configKey("requiredSecrets")})`,
      fix: setSecretCommand(`secrets.${name}`, stack),
    }));
}

/** The Pulumi CLI's own type rules (pkg/workspace ValidateConfigValue), secure leaves aside. */
function hasType(value: StackValue, declaration: Declaration): boolean {
  if (isSecureLeaf(value)) {
    return declaration.type === "string" || declaration.type === undefined;
  }
  switch (declaration.type) {
    case "string":
      return ["string", "number", "boolean"].includes(typeof value);
    case "integer":
      return (
        (typeof value === "number" && Number.isInteger(value)) ||
        (typeof value === "string" && /^-?\d+$/.test(value))
      );
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    case "array":
      return (
        Array.isArray(value) &&
        (declaration.items === undefined ||
          value.every((item) => hasType(item, { type: declaration.items?.type })))
      );
    case "object":
      return isPlainObject(value);
    default:
      return true;
  }
}

/** What kind of YAML value this is, for messages that must not show the value. */
function kindOf(value: StackValue): string {
  if (Array.isArray(value)) {
    return "a list";
  }
  if (value === null) {
    return "empty";
  }
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function describe(declaration: Declaration): string {
  const article =
    declaration.type === "integer" || declaration.type === "array" || declaration.type === "object"
      ? "an"
      : "a";
  return declaration.type === "array" && declaration.items
    ? `a list of ${declaration.items.type}s`
    : `${article} ${declaration.type}`;
}

/**
 * `npm run check:stacks [-- DIR]`: checks every Pulumi.<stack>.yaml in `stacksDir` against the
 * project's Pulumi.yaml and prints every problem of every file. Returns the exit code: 1 if any.
 */
export function checkStackFiles(
  projectDir: string,
  stacksDir: string,
  only: readonly string[] = [],
): number {
  const declarations = readDeclarations(projectDir);
  // The same stack files the review commands offer (dotted stack names included), or those named.
  const stacks = only.length > 0 ? only : listStacks(stacksDir);
  let failed = false;
  for (const stack of stacks) {
    const file = `Pulumi.${stack}.yaml`;
    let config: Record<string, unknown>;
    try {
      config = readStackFile(stacksDir, stack);
    } catch (error) {
      // readStackFile's message gives the position only, never the line's text.
      failed = true;
      console.error((error as Error).message);
      continue;
    }
    const problems = withProgramProblems(
      programProblems(projectDir, stacksDir, stack),
      checkStackConfig(stack, config, declarations),
    );
    if (problems.length === 0) {
      console.log(`${file}: ok`);
    } else {
      failed = true;
      console.error(formatProblems(problems, file, "fix them before pulumi up"));
    }
  }
  if (stacks.length === 0) {
    console.error(`no Pulumi.<stack>.yaml in ${stacksDir}`);
    failed = true;
  }
  return failed ? 1 : 0;
}

// A stack's config for the offline review commands (render, env, diff), which have no passphrase.
// A stack file may hold secrets, encrypted: `pulumi config set --secret` writes each as a `secure:`
// ciphertext into it, and it is committed like that. Offline none can be decrypted, so every
// `secure:` value becomes a placeholder that the engine-like loader still marks secret, and the
// secrets a stack must have but whose file does not hold them are supplied as secret placeholders
// too. The program's own validation then runs unchanged, and every secret stays a secret Output all
// the way through. The ciphertexts are never shown; `npm run diff` only compares them
// (ciphertexts.ts).

import { configKey } from "../../lib/config/keys";
import { isPlainObject } from "../../lib/values";
import { SECRET_PLACEHOLDER } from "./programFacts";
import { StackValue, isSecureLeaf, readStackFile } from "../../lib/config/stackFile";
import { Decrypt, EngineConfig, readProjectDefaults, toEngineConfig } from "./stackFiles";
import { withPlaceholderContent, withPlaceholderFiles } from "./offlineFiles";

/** Decrypts nothing: every secret is the placeholder. */
export const placeholderDecrypt: Decrypt = () => SECRET_PLACEHOLDER;

const SECRETS = configKey("secrets");
const REQUIRED_SECRETS = configKey("requiredSecrets");
const REGISTRY = configKey("registry");
const REGISTRY_TOKEN = configKey("registryToken");

/**
 * The engine config of `stack` for an offline run: Pulumi.yaml defaults, Pulumi.STACK.yaml, the
 * placeholders of `withPlaceholderSecrets`, decrypted by `decrypt` (tests pass known values).
 */
export function offlineEngineConfig(
  projectDir: string,
  stack: string,
  decrypt: Decrypt = placeholderDecrypt,
  /** Where Pulumi.STACK.yaml is, when not beside Pulumi.yaml (`check:stacks --dir`). */
  stacksDir = projectDir,
): EngineConfig {
  const defaults = readProjectDefaults(projectDir);
  const stackValues = withPlaceholderSecrets(defaults, readStackFile(stacksDir, stack));
  const withFiles = withPlaceholderFiles(
    { ...defaults, ...stackValues },
    stackValues,
    decrypt === placeholderDecrypt,
  );
  return toEngineConfig(defaults, withFiles, withPlaceholderContent(decrypt));
}

/**
 * The secrets a stack must have but whose file does not hold: each required secret it does not set,
 * and the registry token when a registry server is configured without one. Full config keys.
 *
 * None is listed where the stack stores a secret in plaintext: a secure placeholder beside it
 * would make the engine mark the whole key secret and hide the very mistake the program refuses.
 */
export function placeholderKeys(
  defaults: Readonly<Record<string, StackValue>>,
  stackValues: Readonly<Record<string, StackValue>>,
): string[] {
  const merged = { ...defaults, ...stackValues };
  const keys: string[] = [];
  const secrets = stackValues[SECRETS] ?? {};
  const required = merged[REQUIRED_SECRETS];
  if (
    isPlainObject(secrets) &&
    Object.values(secrets).every(isSecureLeaf) &&
    isStringList(required)
  ) {
    keys.push(
      ...required
        .filter((name) => !Object.hasOwn(secrets, name))
        .map((name) => `${SECRETS}.${name}`),
    );
  }
  const registry = merged[REGISTRY];
  if (
    isPlainObject(registry) &&
    typeof registry.server === "string" &&
    stackValues[REGISTRY_TOKEN] === undefined
  ) {
    keys.push(REGISTRY_TOKEN);
  }
  return keys;
}

/** `stackValues` plus a `secure:` placeholder for each of `placeholderKeys`. */
export function withPlaceholderSecrets(
  defaults: Readonly<Record<string, StackValue>>,
  stackValues: Readonly<Record<string, StackValue>>,
): Record<string, StackValue> {
  const result: Record<string, StackValue> = { ...stackValues };
  // The placeholder is also the "ciphertext", so that any decrypt yields it.
  const placeholder = { secure: SECRET_PLACEHOLDER };
  for (const key of placeholderKeys(defaults, stackValues)) {
    if (key.startsWith(`${SECRETS}.`)) {
      const secrets = (result[SECRETS] ?? {}) as Record<string, StackValue>;
      result[SECRETS] = { ...secrets, [key.slice(SECRETS.length + 1)]: placeholder };
    } else {
      result[key] = placeholder;
    }
  }
  return result;
}

function isStringList(value: StackValue): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

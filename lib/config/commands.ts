// The exact commands printed in error messages, in one place so every message spells them alike.
// Values of secrets are never part of a command: `pulumi config set` prompts for them when the
// value is left out, which also keeps them out of shell history.

import { configKey } from "./keys";

/**
 * The `--path` of a field of an object key: `labels.app`, or `labels["app.kubernetes.io/name"]`
 * when the field holds characters a dotted path would split on (Pulumi property path syntax,
 * sdk/go/common/resource/properties_path.go).
 */
export function fieldPath(name: string, field: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(field) ? `${name}.${field}` : `${name}["${field}"]`;
}

/** Sets a plain config value at a path (quoted for a POSIX shell). */
export function setCommand(path: string, value: string, stack: string): string {
  return `pulumi config set --path '${path}' ${shellQuote(value)} -s ${stack}`;
}

/** Sets a secret at a path; pulumi prompts for the value, so it never appears on a command line. */
export function setSecretCommand(path: string, stack: string): string {
  return `pulumi config set --secret --path '${path}' -s ${stack}`;
}

/** Removes a config value at a path. */
export function removeCommand(path: string, stack: string): string {
  return `pulumi config rm --path '${path}' -s ${stack}`;
}

/** Sets a whole key, e.g. `pulumi config set task-api:image VALUE -s staging` (quoted for a shell). */
export function setKeyCommand(name: string, value: string, stack: string): string {
  return `pulumi config set ${configKey(name)} ${shellQuote(value)} -s ${stack}`;
}

/** Sets a whole key of a type (`int`, `bool`), value as given. */
export function setTypedKeyCommand(
  type: "int" | "bool",
  name: string,
  value: string | number,
  stack: string,
): string {
  return `pulumi config set --type ${type} ${configKey(name)} ${value} -s ${stack}`;
}

/** Sets a whole key as a secret; pulumi prompts for the value. */
export function setSecretKeyCommand(name: string, stack: string): string {
  return `pulumi config set --secret ${configKey(name)} -s ${stack}`;
}

/** Removes a whole key. */
export function removeKeyCommand(name: string, stack: string): string {
  return `pulumi config rm ${configKey(name)} -s ${stack}`;
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Sets a plain value at a path under a key whose name says "secret" (`generatedSecrets`,
 * `secretFiles`): there `pulumi config set` refuses a string it finds secret-looking ("looks like
 * a secret; rerun with --secret to encrypt it, or --plaintext", Pulumi CLI 3.260), and these
 * values are not secret. Numbers and true/false are still typed by `--path`.
 */
export function setPlaintextCommand(path: string, value: string, stack: string): string {
  return `pulumi config set --plaintext --path '${path}' ${shellQuote(value)} -s ${stack}`;
}

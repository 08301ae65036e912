// The exact commands printed in error messages, in one place so every message spells them alike.
// Values of secrets are never part of a command: `pulumi config set` prompts for them when the
// value is left out, which also keeps them out of shell history.

/** The project name, which prefixes every config key (`task-api:image`). */
export const PROJECT = "task-api";

/** The full config key, e.g. `task-api:secrets.DATABASE_PASSWORD`. */
export function configKey(path: string): string {
  return `${PROJECT}:${path}`;
}

/**
 * The `--path` of a field of an object key: `labels.app`, or `labels["app.kubernetes.io/name"]`
 * when the field holds characters a dotted path would split on (Pulumi property path syntax,
 * sdk/go/common/resource/properties_path.go).
 */
export function fieldPath(name: string, field: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(field) ? `${name}.${field}` : `${name}["${field}"]`;
}

/** Sets a plain config value (quoted for a POSIX shell). */
export function setCommand(path: string, value: string, stack: string): string {
  return `pulumi config set --path '${path}' ${shellQuote(value)} -s ${stack}`;
}

/** Sets a secret; pulumi prompts for the value, so it never appears on a command line. */
export function setSecretCommand(path: string, stack: string): string {
  return `pulumi config set --secret --path '${path}' -s ${stack}`;
}

/** Removes a config value. */
export function removeCommand(path: string, stack: string): string {
  return `pulumi config rm --path '${path}' -s ${stack}`;
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

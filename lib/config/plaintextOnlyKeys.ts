// Keys whose values end up in plaintext in Kubernetes objects, arriving encrypted: refused, rather
// than silently unwrapped. Secret settings belong under `secrets`.

import { isPlainObject } from "../values";
import {
  fieldPath,
  removeCommand,
  removeKeyCommand,
  setCommand,
  setKeyCommand,
  setSecretCommand,
} from "./commands";
import { CONFIG_KEYS, configKey, ConfigName, SECRET_CONFIG } from "./keys";
import { Problem } from "../problems";
import { isShowableName } from "./quoting";
import { RawStackConfig } from "./settings";

/**
 * A key other than `secrets` and `registryToken` that arrived encrypted: its value would land in
 * plaintext in the ConfigMap, a pod annotation's plain checksum, or the Deployment, so the program
 * refuses rather than silently unwrapping it. Secret settings belong under `secrets`.
 */
export function plaintextOnlyProblems(raw: RawStackConfig): Problem[] {
  return CONFIG_KEYS.filter(
    (name) => !SECRET_CONFIG.includes(name) && raw.values[name] !== undefined && raw.isSecret(name),
  ).map((name) => ({
    key: configKey(name),
    message:
      `is encrypted, but its values are not kept secret: they end up in plaintext in ` +
      `Kubernetes objects. Secret settings go under ${configKey("secrets")}; ` +
      (name === "config" ? "move each secret one there" : "set it without --secret"),
    fix:
      name === "config"
        ? `${removeCommand("config.NAME", raw.stack)} && ${setSecretCommand("secrets.NAME", raw.stack)}`
        : setInPlaintextCommand(name, raw.values[name] ?? "", raw.stack),
  }));
}

/**
 * The commands that set an encrypted key again in plaintext, as its kind of value needs: the key
 * for a string, number or boolean; for an object or a list, the key removed and each leaf set by
 * its path (`cluster.doks`, `resources.limits.cpu`, `nonSecretConfigKeys[0]`), each to VALUE:
 * `pulumi config set task-api:cluster VALUE` would make it a string. Field names are shown only
 * when they could not be a credential (quoting.ts); otherwise the path is NAME.
 */
function setInPlaintextCommand(name: ConfigName, text: string, stack: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return setKeyCommand(name, "VALUE", stack);
  }
  const paths: string[] = [];
  const visit = (path: string, item: unknown): void => {
    if (Array.isArray(item)) {
      item.forEach((element, index) => visit(`${path}[${index}]`, element));
    } else if (isPlainObject(item)) {
      Object.entries(item).forEach(([field, child]) =>
        visit(fieldPath(path, isShowableName(field) ? field : "NAME"), child),
      );
    } else if (path !== name) {
      paths.push(path);
    }
  };
  visit(name, value);
  if (!Array.isArray(value) && !isPlainObject(value)) {
    return setKeyCommand(name, "VALUE", stack);
  }
  const sets = [...new Set(paths)].map((path) => setCommand(path, "VALUE", stack));
  return [removeKeyCommand(name, stack), ...sets].join(" && ");
}

// Credentials where they do not belong: every plaintext value of the stack that the program puts
// into a Kubernetes object (the image, probe paths, the registry server, labels, field paths, ...)
// goes through the detector (lib/credentials/detector.ts). `task-api:config`, the ConfigMap, is
// checked by configProblems (appConfig.ts), which also knows the exceptions of nonSecretConfigKeys.

import { fieldPath, setCommand } from "./commands";
import { CONFIG_KEYS, configKey, ConfigName, SECRET_CONFIG } from "./keys";
import { Problem } from "../problems";
import { isShowableName, unshownNameProblem } from "./quoting";
import { RawStackConfig } from "./settings";
import { credentialFindings, scanStackFileTexts } from "../credentials/detector";
import { isPlainObject } from "../values";

/** A plaintext string of the stack file, where it is, and the text the detector reads for it. */
interface PlaintextLeaf {
  readonly name: ConfigName;
  /** The fields below the key, e.g. ["readinessPath"]; [] for a string key such as image. */
  readonly fields: readonly string[];
  /** `FIELD=value`: the detector's context rules (e.g. AWS_SECRET_ACCESS_KEY=...) need the name. */
  readonly text: string;
  /** The value alone, as a message would quote it (quoting.ts). */
  readonly value: string;
}

/**
 * Every string, number and boolean the stack holds in plaintext under a non-secret key, `config`
 * included, with the field names above it. Keys that arrived encrypted are not plaintext anywhere
 * and are skipped.
 */
export function plaintextLeaves(raw: RawStackConfig): PlaintextLeaf[] {
  const leaves: PlaintextLeaf[] = [];
  const visit = (name: ConfigName, fields: string[], label: string, value: unknown): void => {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      leaves.push({ name, fields, text: `${label}=${value}`, value: String(value) });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(name, [...fields, String(index)], label, item));
    } else if (isPlainObject(value)) {
      Object.entries(value).forEach(([field, item]) =>
        visit(name, [...fields, field], field, item),
      );
    }
  };
  for (const name of CONFIG_KEYS) {
    const text = raw.values[name];
    if (text === undefined || SECRET_CONFIG.includes(name) || raw.isSecret(name)) {
      continue;
    }
    visit(name, [], name, parsedOrText(text));
  }
  return leaves;
}

/**
 * Asks the detector at once about everything of the stack file's plaintext that the checks after
 * it ask about one at a time: each leaf as `FIELD=value` and alone, and the field names, which are
 * shown only when they hold no credential (quoting.ts). Asked together, the same stack's questions
 * are answered from disk on the next run (lib/credentials/detector.ts, scanStackFileTexts).
 */
export function scanPlaintextLeaves(raw: RawStackConfig): void {
  scanStackFileTexts(
    plaintextLeaves(raw).flatMap(({ fields, text, value }) => [text, value, ...fields]),
  );
}

/**
 * Problems of plaintext values outside `config` in which the detector finds a credential: they
 * would reach a Kubernetes object that anyone who can read the namespace reads. The value is
 * never shown; the finding's id is.
 */
export function misplacedCredentialProblems(raw: RawStackConfig): Problem[] {
  const problems: Problem[] = [];
  for (const { name, fields, text } of plaintextLeaves(raw)) {
    if (name === "config" || name === "nonSecretConfigKeys") {
      continue;
    }
    const findings = credentialFindings(text);
    if (findings.length === 0) {
      continue;
    }
    if (!fields.every(isShowableName)) {
      problems.push(unshownNameProblem(name, raw.stack));
      continue;
    }
    const path = fields.reduce((parent, field) => fieldPath(parent, field), name as string);
    problems.push({
      key: configKey(path),
      message:
        `secretlint finds a credential in the value (${findings.join(", ")}), which would be in ` +
        `plaintext in the Kubernetes objects and is in the stack file: treat it as leaked, rotate ` +
        `it, and set a value without it`,
      fix: setCommand(path, "VALUE", raw.stack),
    });
  }
  return problems;
}

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

// The last guard of the rule that nothing the program prints holds a value that reached it
// encrypted, or any value of a key that holds secrets (docs/configuration.md, "What a message
// quotes"). Each check already names such a key and says "encrypted" instead of quoting it; this
// guard catches the check that forgets, whichever key the value sits under and whichever problem
// quotes it: a problem about the namespace must not print the encrypted app name it derives a
// suggestion from.

import { isPlainObject } from "../values";
import { CONFIG_KEYS, SECRET_CONFIG } from "./keys";
import { Problem } from "../problems";
import { RawStackConfig } from "./settings";

/**
 * Shorter strings are left alone: replacing `on` or `api` would garble every message that
 * contains the letters, and no credential or name worth hiding is that short.
 */
const SHORTEST_GUARDED = 4;

/** What a guarded value becomes in a message, and in a fix (where the user types their own). */
const IN_MESSAGE = "[encrypted]";
const IN_FIX = "VALUE";

/**
 * Every string value of a key that arrived encrypted or holds secrets, and each string leaf of its
 * JSON (an object key is a name the user chose to show, never a value). The stack's name is
 * skipped: every fix command ends with `-s STACK`.
 */
export function guardedValues(
  raw: Pick<RawStackConfig, "values" | "isSecret" | "stack">,
): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      found.add(value);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (isPlainObject(value)) {
      Object.values(value).forEach(visit);
    }
  };
  for (const name of CONFIG_KEYS) {
    const text = raw.values[name];
    if (text !== undefined && (SECRET_CONFIG.includes(name) || raw.isSecret(name))) {
      found.add(text);
      try {
        visit(JSON.parse(text));
      } catch {
        // A plain string, added above.
      }
    }
  }
  return [...found]
    .filter((value) => value.length >= SHORTEST_GUARDED && value !== raw.stack)
    .sort((a, b) => b.length - a.length);
}

/** `text` with every guarded value replaced; the longest first, so no part of one is left. */
function guarded(text: string, values: readonly string[], replacement: string): string {
  return values.reduce((result, value) => result.split(value).join(replacement), text);
}

/** The problems with every guarded value of `raw` (guardedValues) replaced by a placeholder. */
export function withoutGuardedValues(
  problems: readonly Problem[],
  raw: Pick<RawStackConfig, "values" | "isSecret" | "stack">,
): Problem[] {
  const values = guardedValues(raw);
  return problems.map((problem) => ({
    key: guarded(problem.key, values, IN_MESSAGE),
    message: guarded(problem.message, values, IN_MESSAGE),
    ...(problem.fix === undefined ? {} : { fix: guarded(problem.fix, values, IN_FIX) }),
  }));
}

/** A warning with every guarded value of `raw` replaced. */
export function warningWithoutGuardedValues(
  warning: string,
  raw: Pick<RawStackConfig, "values" | "isSecret" | "stack">,
): string {
  return guarded(warning, guardedValues(raw), IN_MESSAGE);
}

// The config checks of lib/config/ run on their own: readStackSettings on the staging stack with
// changes, as the engine would pass them, and the problems it reports. Used by tests/lib/config/.

import { InvalidConfigError, Problem } from "../../lib/problems";
import { StackValue } from "../../lib/config/stackFile";
import { CONFIG_KEYS } from "../../lib/config/keys";
import { readStackSettings } from "../../lib/config/stackConfig";
import { RawStackConfig, StackSettings } from "../../lib/config/settings";
import { stackConfig, withTestSecrets } from "./program";

/** readStackSettings for staging with its test secrets and `changes` (engine-style config). */
export function settingsOf(
  changes: Record<string, StackValue>,
  plaintextSecretNames: readonly string[] = [],
  raw: Partial<RawStackConfig> = {},
): StackSettings {
  const engine = stackConfig("staging", { ...withTestSecrets(), ...changes });
  return readStackSettings({
    stack: "staging",
    values: Object.fromEntries(
      CONFIG_KEYS.map((name) => [name, engine.values[`task-api:${name}`]]),
    ),
    isSecret: (name) => engine.secretKeys.includes(`task-api:${name}`),
    digitalOceanToken: { environment: true, stack: "missing" },
    plaintextSecretNames,
    ...raw,
  });
}

/** The problems readStackSettings reports for staging with `changes`; [] when there are none. */
export function problems(
  changes: Record<string, StackValue>,
  plaintextSecretNames: readonly string[] = [],
  raw: Partial<RawStackConfig> = {},
): Problem[] {
  try {
    settingsOf(changes, plaintextSecretNames, raw);
  } catch (error) {
    if (InvalidConfigError.isInstance(error)) {
      return [...error.problems];
    }
    throw error;
  }
  return [];
}

/** The one problem for `key`; fails when there is none. */
export function problemAt(found: Problem[], key: string): Problem {
  const match = found.find((problem) => problem.key === key);
  if (!match) {
    throw new Error(`no problem at ${key}; got ${found.map((p) => p.key).join(", ")}`);
  }
  return match;
}

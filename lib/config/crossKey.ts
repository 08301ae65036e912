// The rules of no one key family, each needing several: PORT against `task-api:port`, a name set in two
// env layers, and the size of the ConfigMap all settings make. Every message names keys, never a
// secret value.

import { removeCommand, setKeyCommand } from "./commands";
import { configKey } from "./keys";
import { Problem } from "../problems";
import { EnvPlan } from "../envLayers";
import { dataSize, MAX_DATA_BYTES } from "../objectData";

/** PORT comes from task-api:port, which also sets the container port and the probes. */
export function portProblems(
  config: Readonly<Record<string, string>>,
  secrets: Readonly<Record<string, string>>,
  stack: string,
): Problem[] {
  const portLayer = Object.hasOwn(config, "PORT") ? "config" : undefined;
  const layer = portLayer ?? (Object.hasOwn(secrets, "PORT") ? "secrets" : undefined);
  if (layer === undefined) {
    return [];
  }
  return [
    {
      key: configKey(`${layer}.PORT`),
      message: `PORT follows ${configKey("port")}, which also sets the container port and probes`,
      fix: `${removeCommand(`${layer}.PORT`, stack)} && ${setKeyCommand("port", "NUMBER", stack)}`,
    },
  ];
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

// The one model of which value a container sees for each variable. The Deployment component, input
// validation and the effective-environment report all call `planEnvironment`, so they cannot
// disagree.
//
// Kubernetes' precedence (API reference, Container.envFrom: "When a key exists in multiple sources,
// the value associated with the last source will take precedence. Values defined by an Env with a
// duplicate key will take precedence."): env > envFrom[last] > envFrom[first]. Our envFrom is
// [ConfigMap, Secret], so: explicit env > Secret > ConfigMap. Program defaults live in the ConfigMap
// under the stack's config (a default is dropped where anything else sets the key), never in `env`,
// where they would silently beat the stack's own values.

import { setOwn } from "./values";

/** Where a variable's value comes from, lowest precedence first. */
export type EnvSource = "default" | "config" | "secret" | "env";

/** The Kubernetes object that carries a source's values into the container. */
export type EnvCarrier = "ConfigMap" | "Secret" | "env";

const CARRIER: Record<EnvSource, EnvCarrier> = {
  default: "ConfigMap",
  config: "ConfigMap",
  secret: "Secret",
  env: "env",
};

export interface EnvLayersInput {
  /** Program defaults (layer 1), e.g. `LOG_LEVEL=info`. */
  readonly defaults: Readonly<Record<string, string>>;
  /** The stack's non-secret settings (layer 2). */
  readonly config: Readonly<Record<string, string>>;
  /** Names of the stack's secret settings (layer 3); their values are never needed here. */
  readonly secretKeys: readonly string[];
  /** Names set by explicit `env` entries (Downward API fields and the like). */
  readonly explicitEnv: readonly string[];
}

export interface EnvVariable {
  readonly name: string;
  /** The source whose value the container sees. */
  readonly source: EnvSource;
  readonly carrier: EnvCarrier;
  /** Lower-precedence sources that also set this name and lose to `source`. */
  readonly shadows: readonly EnvSource[];
}

/** A name set in two places where neither is meant to override the other. */
export interface EnvConflict {
  readonly name: string;
  readonly sources: readonly EnvSource[];
}

export interface EnvPlan {
  /** The ConfigMap's data: defaults not set elsewhere, then the stack's config. */
  readonly configMapData: Record<string, string>;
  /** Every variable the container sees, sorted by name. */
  readonly variables: readonly EnvVariable[];
  /** Ambiguous names: config and secrets both set it, or an explicit env entry shadows either. */
  readonly conflicts: readonly EnvConflict[];
}

export function planEnvironment(input: EnvLayersInput): EnvPlan {
  const setBy = new Map<string, EnvSource[]>();
  const add = (names: Iterable<string>, source: EnvSource): void => {
    for (const name of names) {
      setBy.set(name, [...(setBy.get(name) ?? []), source]);
    }
  };
  add(Object.keys(input.defaults), "default");
  add(Object.keys(input.config), "config");
  add(input.secretKeys, "secret");
  add(input.explicitEnv, "env");

  const configMapData: Record<string, string> = {};
  const variables: EnvVariable[] = [];
  const conflicts: EnvConflict[] = [];
  for (const name of [...setBy.keys()].sort()) {
    const sources = setBy.get(name) ?? [];
    const source = sources[sources.length - 1];
    variables.push({ name, source, carrier: CARRIER[source], shadows: sources.slice(0, -1) });

    const overriding = sources.filter((s) => s !== "default");
    if (overriding.length > 1) {
      conflicts.push({ name, sources: overriding });
    }
    if (sources.includes("config")) {
      setOwn(configMapData, name, input.config[name]);
    } else if (sources.length === 1 && source === "default") {
      setOwn(configMapData, name, input.defaults[name]);
    }
  }
  return { configMapData, variables, conflicts };
}

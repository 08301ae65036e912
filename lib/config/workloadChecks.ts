// Checks of what the Deployment would get that Kubernetes, or the app, would get wrong at run time:
// a namespace the cluster owns, resource requests above their limits, and Downward API variables
// that would silently beat the program's own defaults.

import { ResourceSettings } from "../defaults";
import { fieldPath, removeCommand, setCommand, setKeyCommand } from "./commands";
import { configKey } from "./keys";
import { Problem } from "./problems";

// The namespaces Kubernetes makes itself (kubernetes.io/docs, "Initial namespaces").
const CLUSTER_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease"];

/**
 * The app never goes into a namespace the cluster owns, and the program never creates (with
 * `adoptExisting`: takes over and relabels for Pod Security restricted) `default`, where
 * everything without a namespace of its own runs.
 */
export function namespaceProblems(
  namespace: string,
  createNamespace: boolean,
  appName: string,
  stack: string,
): Problem[] {
  const fix = setKeyCommand("namespace", `${appName}-${stack}`, stack);
  if (CLUSTER_NAMESPACES.includes(namespace)) {
    return [
      {
        key: configKey("namespace"),
        message: `"${namespace}" belongs to Kubernetes itself; give the app a namespace of its own`,
        fix,
      },
    ];
  }
  if (namespace === "default" && createNamespace) {
    return [
      {
        key: configKey("namespace"),
        message: `"default" would be created, or taken over and labelled for Pod Security restricted, which every pod without a namespace of its own would then have to pass; give the app a namespace of its own, or set ${configKey("createNamespace")} to false to deploy into "default" as it is`,
        fix,
      },
    ];
  }
  return [];
}

// Kubernetes resource.Quantity suffixes (k8s.io/apimachinery, pkg/api/resource/suffix.go).
const QUANTITY_SUFFIXES: Readonly<Record<string, number>> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a quantity the config reader accepted (digits, optional fraction and suffix). */
export function quantityValue(quantity: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)([a-zA-Z]*)$/.exec(quantity);
  return match ? Number(match[1]) * (QUANTITY_SUFFIXES[match[2]] ?? NaN) : NaN;
}

/** A request above its limit: the API server refuses such a Deployment's pods. */
export function resourceProblems(resources: ResourceSettings, stack: string): Problem[] {
  return (["cpu", "memory"] as const)
    .filter(
      (field) => quantityValue(resources.requests[field]) > quantityValue(resources.limits[field]),
    )
    .map((field) => ({
      key: configKey(`resources.requests.${field}`),
      message: `${resources.requests[field]} is above the limit ${resources.limits[field]} (${configKey(`resources.limits.${field}`)}); the API server refuses pods whose request exceeds their limit`,
      fix: setCommand(`resources.requests.${field}`, resources.limits[field], stack),
    }));
}

/** A Downward API variable named like a program default would beat the stack's own value. */
export function fieldEnvDefaultProblems(
  fieldEnvNames: readonly string[],
  defaults: Readonly<Record<string, string>>,
  stack: string,
): Problem[] {
  return fieldEnvNames
    .filter((name) => Object.hasOwn(defaults, name))
    .map((name) => ({
      key: configKey(fieldPath("fieldEnv", name)),
      message:
        name === "PORT"
          ? `PORT follows ${configKey("port")}, which also sets the container port and probes`
          : `would beat the program's default and ${configKey(`config.${name}`)} (in Kubernetes, env beats envFrom); set ${name} in config instead`,
      fix: removeCommand(fieldPath("fieldEnv", name), stack),
    }));
}

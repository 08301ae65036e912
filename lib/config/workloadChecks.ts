// Checks of what the Deployment would get that Kubernetes, or the app, would get wrong at run time:
// a namespace the cluster owns, resource requests above their limits, Downward API variables
// that would silently beat the program's own defaults, and a rollout timeout nothing waits for.

import { DEFAULT_ROLLOUT_TIMEOUT_SECONDS, ResourceSettings } from "../defaults";
import {
  fieldPath,
  removeCommand,
  removeKeyCommand,
  setCommand,
  setKeyCommand,
  setTypedKeyCommand,
} from "./commands";
import { configKey } from "./keys";
import { Problem } from "../problems";

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

/**
 * A rollout timeout with `awaitRollout: false` would be ignored: the provider does not wait at all
 * (pulumi.com/skipAwait), so nothing would ever time out. Refused like any setting that would be
 * ignored. Pulumi.yaml's default reaches the program as if set, so only a value other than the
 * default can be told apart.
 */
export function rolloutTimeoutProblems(
  awaitRollout: boolean,
  rolloutTimeoutSeconds: number,
  stack: string,
): Problem[] {
  if (awaitRollout || rolloutTimeoutSeconds === DEFAULT_ROLLOUT_TIMEOUT_SECONDS) {
    return [];
  }
  return [
    {
      key: configKey("rolloutTimeoutSeconds"),
      message: `${rolloutTimeoutSeconds} would be ignored: ${configKey("awaitRollout")} is false, so \`pulumi up\` does not wait for the rollout at all`,
      fix:
        `${removeKeyCommand("rolloutTimeoutSeconds", stack)}   (or, to wait for the rollout: ` +
        `${setTypedKeyCommand("bool", "awaitRollout", "true", stack)})`,
    },
  ];
}

// The workload family: how the Deployment runs the app (`replicas`, `port`, `resources`, `probes`,
// `fieldEnv`) and how a change reaches it (`restartOnChange`, `awaitRollout`,
// `rolloutTimeoutSeconds`, `adoptExisting`), read and checked against what Kubernetes, or the app,
// would get wrong at run time. `selectorLabels` is labels.ts's; PORT in config is crossKey.ts's.

import {
  DEFAULT_HEALTH_PATH,
  DEFAULT_PORT,
  DEFAULT_RESOURCES,
  DEFAULT_ROLLOUT_TIMEOUT_SECONDS,
  MAX_ROLLOUT_TIMEOUT_SECONDS,
  MIN_ROLLOUT_TIMEOUT_SECONDS,
  ProbePaths,
  ResourceSettings,
} from "../defaults";
import {
  fieldPath,
  removeCommand,
  removeKeyCommand,
  setCommand,
  setTypedKeyCommand,
} from "./commands";
import { configKey, ConfigName, KEYS } from "./keys";
import { Problem } from "../problems";
import { isEnvVarName } from "../names";
import { isPlainObject, setOwn } from "../values";
import { isShowableName, unshownNameProblem } from "./quoting";
import { ConfigReader } from "./reader";

export function readReplicas(reader: ConfigReader): number {
  return reader.integer("replicas", 0, 1000, KEYS.replicas.default) ?? KEYS.replicas.default;
}

export function readPort(reader: ConfigReader): number {
  return reader.integer("port", 1, 65535, DEFAULT_PORT) ?? DEFAULT_PORT;
}

export function readRestartOnChange(reader: ConfigReader): boolean {
  return reader.boolean("restartOnChange") ?? KEYS.restartOnChange.default;
}

export function readAwaitRollout(reader: ConfigReader): boolean {
  return reader.boolean("awaitRollout") ?? KEYS.awaitRollout.default;
}

export function readRolloutTimeoutSeconds(reader: ConfigReader): number {
  return (
    reader.integer(
      "rolloutTimeoutSeconds",
      MIN_ROLLOUT_TIMEOUT_SECONDS,
      MAX_ROLLOUT_TIMEOUT_SECONDS,
      DEFAULT_ROLLOUT_TIMEOUT_SECONDS,
    ) ?? DEFAULT_ROLLOUT_TIMEOUT_SECONDS
  );
}

export function readAdoptExisting(reader: ConfigReader): boolean {
  return reader.boolean("adoptExisting") ?? KEYS.adoptExisting.default;
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

// Kubernetes resource.Quantity, without the exponent forms nobody writes by hand.
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

// The fields the Downward API offers to env (API reference, ObjectFieldSelector for env vars).
const DOWNWARD_API_FIELDS = [
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
  "spec.nodeName",
  "spec.serviceAccountName",
  "status.hostIP",
  "status.hostIPs",
  "status.podIP",
  "status.podIPs",
];

function isDownwardApiField(path: string): boolean {
  return (
    DOWNWARD_API_FIELDS.includes(path) || /^metadata\.(labels|annotations)\['[^']+'\]$/.test(path)
  );
}

/** `task-api:fieldEnv`: Downward API variables, NAME: fieldPath. */
export function readFieldEnv(reader: ConfigReader): Record<string, string> {
  const value = reader.json("fieldEnv");
  if (value === undefined) {
    return {};
  }
  if (!isPlainObject(value)) {
    reader.fail(
      "fieldEnv",
      "must be an object of NAME: fieldPath",
      setCommand("fieldEnv.POD_NAME", "metadata.name", reader.stack),
    );
    return {};
  }
  const result: Record<string, string> = {};
  for (const [name, fieldPath] of Object.entries(value)) {
    if (!isShowableName(name)) {
      reader.report(unshownNameProblem("fieldEnv", reader.stack));
    } else if (!isEnvVarName(name)) {
      reader.fail(
        `fieldEnv.${name}`,
        `"${name}" is not a valid environment variable name`,
        removeCommand(`fieldEnv.${name}`, reader.stack),
      );
    } else if (typeof fieldPath !== "string" || !isDownwardApiField(fieldPath)) {
      reader.fail(
        `fieldEnv.${name}`,
        `must be a Downward API field path (${DOWNWARD_API_FIELDS.join(", ")}, metadata.labels['KEY'], metadata.annotations['KEY']); ${reader.shown("fieldEnv", fieldPath)}`,
        setCommand(`fieldEnv.${name}`, "metadata.name", reader.stack),
      );
    } else {
      setOwn(result, name, fieldPath);
    }
  }
  return result;
}

/** `task-api:resources`: requests and limits, each a Kubernetes quantity over the default. */
export function readResources(reader: ConfigReader): ResourceSettings {
  const whole = reader.json("resources");
  if (isPlainObject(whole)) {
    reader.knownFieldsOnly("resources", whole, ["requests", "limits"]);
    for (const group of ["requests", "limits"]) {
      const groupValue = whole[group];
      if (isPlainObject(groupValue)) {
        reader.knownFieldsOnly(`resources.${group}`, groupValue, ["cpu", "memory"]);
      }
    }
  }
  const pick = (group: "requests" | "limits", field: "cpu" | "memory"): string => {
    const groupValue = reader.objectField("resources", group);
    const value = isPlainObject(groupValue) ? groupValue[field] : undefined;
    if (value === undefined) {
      return DEFAULT_RESOURCES[group][field];
    }
    // `pulumi config set --path 'resources.limits.cpu' 1` stores the number 1 (pulumi/pulumi
    // sdk/go/common/resource/config/object.go, coerce), a quantity Kubernetes reads as "1".
    const quantity = typeof value === "number" && value >= 0 ? String(value) : value;
    if (typeof quantity === "string" && QUANTITY.test(quantity)) {
      return quantity;
    }
    reader.fail(
      `resources.${group}.${field}`,
      `must be a Kubernetes quantity such as ${DEFAULT_RESOURCES[group][field]}${reader.shown("resources", value)}`,
      setCommand(`resources.${group}.${field}`, DEFAULT_RESOURCES[group][field], reader.stack),
    );
    return DEFAULT_RESOURCES[group][field];
  };
  return {
    requests: { cpu: pick("requests", "cpu"), memory: pick("requests", "memory") },
    limits: { cpu: pick("limits", "cpu"), memory: pick("limits", "memory") },
  };
}

/** `task-api:probes`: the HTTP paths of the readiness and liveness probes. */
export function readProbes(reader: ConfigReader): ProbePaths {
  const whole = reader.json("probes");
  if (isPlainObject(whole)) {
    reader.knownFieldsOnly("probes", whole, ["readinessPath", "livenessPath"]);
  }
  return {
    readinessPath: readPath(reader, "probes", "readinessPath") ?? DEFAULT_HEALTH_PATH,
    livenessPath: readPath(reader, "probes", "livenessPath") ?? DEFAULT_HEALTH_PATH,
  };
}

function readPath(reader: ConfigReader, name: ConfigName, field: string): string | undefined {
  const value = reader.objectField(name, field);
  if (value === undefined || (typeof value === "string" && /^\/[^\s]*$/.test(value))) {
    return value;
  }
  return reader.fail(
    `${name}.${field}`,
    `must be an HTTP path starting with "/"${reader.shown(name, value)}`,
    setCommand(`${name}.${field}`, DEFAULT_HEALTH_PATH, reader.stack),
  );
}

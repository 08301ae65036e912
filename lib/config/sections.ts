// The sections of the stack config that are more than one typed value: the settings (`config`), the
// secrets, the Downward API variables, labels, the cluster, the container resources and the probes. Each
// reads through a ConfigReader, so a problem is recorded, never thrown. The registry has its own
// file (registry.ts).

import { DEFAULT_HEALTH_PATH, DEFAULT_RESOURCES, ProbePaths, ResourceSettings } from "../defaults";
import { isEnvVarName } from "../names";
import { isPlainObject, setOwn } from "../values";
import { removeCommand, removeKeyCommand, setCommand, setSecretCommand } from "./commands";
import { ConfigName } from "./keys";
import { isShowableName, unshownNameProblem } from "./quoting";
import { secretLookingKeyWord } from "../credentials/secretLookingNames";
import { ConfigReader, Json } from "./reader";
import { ClusterSettings } from "./settings";

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

/** `task-api:config`: an object of scalars, converted to the strings the ConfigMap holds. */
export function readScalarMap(
  reader: ConfigReader,
  name: ConfigName,
): Record<string, string> | undefined {
  const value = reader.json(name);
  if (value === undefined) {
    return undefined;
  }
  if (!isPlainObject(value)) {
    return reader.fail(
      name,
      "must be an object of settings, e.g. LOG_LEVEL: debug",
      setCommand(`${name}.LOG_LEVEL`, "debug", reader.stack),
    );
  }
  return readEntries(
    reader,
    name,
    value,
    (item) =>
      typeof item === "string" || typeof item === "number" || typeof item === "boolean"
        ? String(item)
        : undefined,
    "must be a string, number or boolean (environment variables are flat)",
    (path) => removeCommand(path, reader.stack),
  );
}

/** `task-api:secrets`: must reach the program as secret, every leaf a string. */
export function readSecretStringMap(
  reader: ConfigReader,
  name: ConfigName,
): Record<string, string> | undefined {
  const text = reader.raw.values[name];
  if (text === undefined) {
    return undefined;
  }
  plaintextSecretProblems(reader, name, text);
  const value = reader.json(name);
  if (value === undefined) {
    return undefined;
  }
  if (!isPlainObject(value)) {
    return reader.fail(
      name,
      "must be an object of named secrets",
      setSecretCommand(`${name}.NAME`, reader.stack),
    );
  }
  return readEntries(
    reader,
    name,
    value,
    (item) => (typeof item === "string" ? item : undefined),
    "must be a string secret",
    (path) => setSecretCommand(path, reader.stack),
  );
}

/** The entries of an object key as strings; an entry `convert` refuses is recorded at its path. */
function readEntries(
  reader: ConfigReader,
  name: ConfigName,
  value: Record<string, Json>,
  convert: (item: Json) => string | undefined,
  message: string,
  fix: (path: string) => string,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    const converted = convert(item);
    if (converted === undefined) {
      reader.fail(`${name}.${key}`, message, fix(`${name}.${key}`));
    } else {
      setOwn(result, key, converted);
    }
  }
  return result;
}

// Checked before parsing, so that a plaintext value that is not even JSON is reported too.
// An empty object is the Pulumi.yaml default: nothing there to have leaked.
function plaintextSecretProblems(reader: ConfigReader, name: ConfigName, text: string): void {
  if (!reader.raw.isSecret(name) && text.replace(/\s/g, "") !== "{}") {
    reader.fail(
      name,
      "is stored in plaintext in the stack file (not encrypted). Treat these values as leaked: " +
        "rotate them, remove the key, and set each one again as a secret",
      `${removeKeyCommand(name, reader.stack)} && ${setSecretCommand(`${name}.NAME`, reader.stack)}   (once per secret)`,
    );
    return;
  }
  for (const secretName of reader.raw.plaintextSecretNames ?? []) {
    reader.fail(
      `${name}.${secretName}`,
      "is stored in plaintext in the stack file, beside encrypted secrets. Treat it as " +
        "leaked: rotate it, then set the new value encrypted",
      setSecretCommand(`${name}.${secretName}`, reader.stack),
    );
  }
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

/** `task-api:cluster`: a kubeconfig context, a DOKS cluster, or the current context. */
export function readCluster(reader: ConfigReader): ClusterSettings {
  const value = reader.json("cluster");
  if (value === undefined || (isPlainObject(value) && Object.keys(value).length === 0)) {
    return { kind: "kubeconfig" };
  }
  // A field named like a secret (a token pasted here) is refused as one; any other unknown field
  // gets the two kinds there are, below: "did you mean doks?" would mislead for `eks`.
  const secretLooking = isPlainObject(value)
    ? Object.keys(value).filter((field) => secretLookingKeyWord(field) !== undefined)
    : [];
  if (isPlainObject(value) && secretLooking.length > 0) {
    reader.knownFieldsOnly("cluster", value, ["context", "doks"]);
    return { kind: "kubeconfig" };
  }
  if (isPlainObject(value) && Object.keys(value).length === 1) {
    if (typeof value.context === "string" && value.context !== "") {
      return { kind: "kubeconfig", context: value.context };
    }
    if (typeof value.doks === "string" && value.doks !== "") {
      return { kind: "doks", clusterName: value.doks };
    }
  }
  reader.fail(
    "cluster",
    `must be {context: KUBECONFIG_CONTEXT} or {doks: CLUSTER_NAME}${reader.shown("cluster", value)}; leave it unset to use the current kubeconfig context`,
    // The whole key first: a field set beside a wrong one would leave the key still wrong.
    `${removeKeyCommand("cluster", reader.stack)} && ` +
      setCommand("cluster.doks", `task-api-${reader.stack}`, reader.stack),
  );
  return { kind: "kubeconfig" };
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

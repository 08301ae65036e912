// Turns the raw config the engine hands the program (strings; objects and lists as JSON) into typed
// settings, checking everything at once. Secret values leave this module only as secret Outputs.

import * as pulumi from "@pulumi/pulumi";
import { configKey, fieldPath, removeCommand, setCommand, setSecretCommand } from "./commands";
import {
  DEFAULT_APP_NAME,
  DEFAULT_DOCR_EXPIRY_SECONDS,
  DEFAULT_HEALTH_PATH,
  DEFAULT_PORT,
  DEFAULT_RESOURCES,
  programDefaults,
  ResourceSettings,
} from "./defaults";
import { planEnvironment } from "./envLayers";
import { DOCKER_HUB, parseImageReference, registryHost } from "./imageReference";
import {
  isDns1123Label,
  isDns1123Subdomain,
  isEnvVarName,
  isLabelKey,
  isLabelValue,
} from "./names";
import { Problem, throwIfProblems } from "./problems";
import {
  configMapSizeProblems,
  configProblems,
  envConflictProblems,
  secretProblems,
} from "./validation";

/** The config keys of project `task-api`, as declared in Pulumi.yaml. */
export const CONFIG_KEYS = [
  "image",
  "appName",
  "namespace",
  "createNamespace",
  "replicas",
  "port",
  "config",
  "nonSecretConfigKeys",
  "secrets",
  "requiredSecrets",
  "optionalSecrets",
  "registry",
  "registryToken",
  "restartOnChange",
  "awaitRollout",
  "adoptExisting",
  "selectorLabels",
  "cluster",
  "resources",
  "probes",
  "fieldEnv",
] as const;
export type ConfigName = (typeof CONFIG_KEYS)[number];

/** The keys whose values are secrets; every other key ends up in plaintext somewhere. */
export const SECRET_CONFIG: readonly ConfigName[] = ["secrets", "registryToken"];

/** Where the DigitalOcean API token comes from, if anywhere; never the token itself. */
export type DigitalOceanToken = "environment" | "secret config" | "plaintext config" | "missing";

/** What the engine passed: raw strings by key, and which keys it received as secret. */
export interface RawStackConfig {
  readonly stack: string;
  readonly values: Readonly<Partial<Record<ConfigName, string>>>;
  readonly isSecret: (name: ConfigName) => boolean;
  /** Needed only for DOKS clusters and DOCR registries. @default "missing" */
  readonly digitalOceanToken?: DigitalOceanToken;
  /**
   * Names under `secrets` that the stack file holds in plaintext. The engine marks the whole
   * object secret when any one leaf is encrypted, so only the stack file tells. @default []
   */
  readonly plaintextSecretNames?: readonly string[];
}

export const DOCR_SERVER = "registry.digitalocean.com";

export type RegistrySettings =
  | {
      /** GHCR or any registry with a user name and a token. */
      readonly kind: "token";
      readonly server: string;
      readonly username: string;
      readonly token: pulumi.Output<string>;
      readonly secretName: string;
    }
  | {
      /** DigitalOcean Container Registry: read-only credentials are created by the program. */
      readonly kind: "docr";
      readonly server: string;
      readonly registryName: string;
      readonly expirySeconds: number;
      readonly secretName: string;
    };

export type ClusterSettings =
  | { readonly kind: "kubeconfig"; readonly context?: string }
  | { readonly kind: "doks"; readonly clusterName: string };

export interface StackSettings {
  readonly stack: string;
  readonly appName: string;
  readonly image: string;
  readonly namespace: string;
  readonly createNamespace: boolean;
  readonly replicas: number;
  readonly port: number;
  /** Non-secret settings for the ConfigMap, values as strings. */
  readonly config: Record<string, string>;
  readonly nonSecretConfigKeys: readonly string[];
  /** Secret settings: names in the clear, values as secret Outputs. */
  readonly secrets: Record<string, pulumi.Output<string>>;
  readonly registry?: RegistrySettings;
  readonly restartOnChange: boolean;
  /** Wait for the Deployment's rollout before `pulumi up` succeeds. */
  readonly awaitRollout: boolean;
  /** Take over objects that already exist under the same names (the provider's upsert). */
  readonly adoptExisting: boolean;
  /** The Deployment's selector, when not the program's own (a Deployment taken over). */
  readonly selectorLabels?: Readonly<Record<string, string>>;
  readonly cluster: ClusterSettings;
  readonly resources: ResourceSettings;
  readonly probes: { readonly readinessPath: string; readonly livenessPath: string };
  /** Downward API variables: name → fieldPath, e.g. `POD_NAME: metadata.name`. */
  readonly fieldEnv: Record<string, string>;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Reads and checks the whole stack config; throws `InvalidConfigError` listing every problem. */
export function readStackSettings(raw: RawStackConfig): StackSettings {
  const problems: Problem[] = [];
  const settings = parse(raw, problems);
  throwIfProblems(problems, `the config of stack "${raw.stack}"`);
  return settings;
}

function parse(raw: RawStackConfig, problems: Problem[]): StackSettings {
  const { stack } = raw;
  const reader = new ConfigReader(raw, problems);

  const appName = reader.string("appName") ?? DEFAULT_APP_NAME;
  const image = reader.string("image");
  if (image === undefined) {
    problems.push({
      key: configKey("image"),
      message: "is required: the image to run, e.g. ghcr.io/acme/task-api:1.4.2",
      fix: `pulumi config set ${configKey("image")} ghcr.io/acme/task-api:1.4.2 -s ${stack}`,
    });
  }
  const namespace = reader.string("namespace") ?? "";
  if (raw.values.namespace === undefined) {
    problems.push({
      key: configKey("namespace"),
      message: "is required: the namespace of this stack's objects",
      fix: `pulumi config set ${configKey("namespace")} ${appName}-${stack} -s ${stack}`,
    });
  }
  const createNamespace = reader.boolean("createNamespace") ?? true;
  const replicas = reader.integer("replicas", 0, 1000, 1) ?? 1;
  const port = reader.integer("port", 1, 65535, DEFAULT_PORT) ?? DEFAULT_PORT;
  const config = reader.scalarMap("config") ?? {};
  const nonSecretConfigKeys = reader.stringList("nonSecretConfigKeys") ?? [];
  const requiredSecrets = reader.stringList("requiredSecrets") ?? [];
  const optionalSecrets = reader.stringList("optionalSecrets") ?? [];
  const plainSecrets = reader.secretStringMap("secrets") ?? {};
  const restartOnChange = reader.boolean("restartOnChange") ?? true;
  const awaitRollout = reader.boolean("awaitRollout") ?? true;
  const adoptExisting = reader.boolean("adoptExisting") ?? false;
  const selectorLabels = reader.labels("selectorLabels");
  const fieldEnv = reader.fieldEnv();
  const registry = reader.registry();
  const cluster = reader.cluster();
  const resources = reader.resources();
  const probes = {
    readinessPath: reader.path("probes", "readinessPath") ?? DEFAULT_HEALTH_PATH,
    livenessPath: reader.path("probes", "livenessPath") ?? DEFAULT_HEALTH_PATH,
  };

  problems.push(...configProblems(config, nonSecretConfigKeys, stack));
  problems.push(...secretProblems(plainSecrets, requiredSecrets, optionalSecrets, stack));
  const plan = planEnvironment({
    defaults: programDefaults(port),
    config,
    secretKeys: Object.keys(plainSecrets),
    explicitEnv: Object.keys(fieldEnv),
  });
  problems.push(...envConflictProblems(plan, stack));
  problems.push(...configMapSizeProblems(plan.configMapData));
  // PORT comes from task-api:port, which also sets the container port and the probes.
  const portLayer = "PORT" in config ? "config" : "PORT" in plainSecrets ? "secrets" : undefined;
  if (portLayer) {
    problems.push({
      key: configKey(`${portLayer}.PORT`),
      message: `PORT follows ${configKey("port")}, which also sets the container port and probes`,
      fix: `${removeCommand(`${portLayer}.PORT`, stack)} && pulumi config set ${configKey("port")} NUMBER -s ${stack}`,
    });
  }
  problems.push(...plaintextOnlyProblems(raw));
  problems.push(
    ...digitalOceanTokenProblems(raw.digitalOceanToken ?? "missing", cluster, registry, stack),
  );
  // The checks below quote values. A key that arrived encrypted is refused above already, and its
  // decrypted value must not be quoted, so those checks wait until it is stored in plaintext.
  const encrypted = (...names: ConfigName[]) => names.some((name) => raw.isSecret(name));
  if (!encrypted("appName", "namespace", "registry")) {
    problems.push(...nameProblems(appName, namespace, registry, stack));
  }
  if (image !== undefined && !encrypted("image", "registry")) {
    problems.push(...imageProblems(image, registry, stack));
  }

  return {
    stack,
    appName,
    image: image ?? "",
    namespace,
    createNamespace,
    replicas,
    port,
    config,
    nonSecretConfigKeys,
    // Each value becomes a secret Output here, the only place plaintext secrets are held.
    secrets: Object.fromEntries(
      Object.entries(plainSecrets).map(([name, value]) => [name, pulumi.secret(value)]),
    ),
    registry,
    restartOnChange,
    awaitRollout,
    adoptExisting,
    selectorLabels,
    cluster,
    resources,
    probes,
    fieldEnv,
  };
}

/**
 * A key other than `secrets` and `registryToken` that arrived encrypted: its value would land in
 * plaintext in the ConfigMap, a pod annotation's plain checksum, or the Deployment, so the program
 * refuses rather than silently unwrapping it. Secret settings belong under `secrets`.
 */
function plaintextOnlyProblems(raw: RawStackConfig): Problem[] {
  return CONFIG_KEYS.filter(
    (name) => !SECRET_CONFIG.includes(name) && raw.values[name] !== undefined && raw.isSecret(name),
  ).map((name) => ({
    key: configKey(name),
    message:
      `is encrypted, but its values are not kept secret: they end up in plaintext in ` +
      `Kubernetes objects. Secret settings go under ${configKey("secrets")}`,
    fix:
      name === "config"
        ? `move each secret one: ${removeCommand("config.NAME", raw.stack)} && ${setSecretCommand("secrets.NAME", raw.stack)}`
        : `set it without --secret: pulumi config set ${configKey(name)} VALUE -s ${raw.stack}`,
  }));
}

/** The DigitalOcean token is needed, and must be secret, when DOKS or DOCR is used. */
function digitalOceanTokenProblems(
  token: DigitalOceanToken,
  cluster: ClusterSettings,
  registry: RegistrySettings | undefined,
  stack: string,
): Problem[] {
  const uses = [
    ...(cluster.kind === "doks" ? [`${configKey("cluster.doks")} (${cluster.clusterName})`] : []),
    ...(registry?.kind === "docr"
      ? [`${configKey("registry.docr")} (${registry.registryName})`]
      : []),
  ];
  if (uses.length === 0) {
    return [];
  }
  if (token === "missing") {
    return [
      {
        key: "digitalocean:token",
        message: `no DigitalOcean API token (DIGITALOCEAN_TOKEN or digitalocean:token), needed by ${uses.join(" and ")}`,
        fix: `export DIGITALOCEAN_TOKEN=... in your shell or CI, or pulumi config set --secret digitalocean:token -s ${stack}`,
      },
    ];
  }
  if (token === "plaintext config") {
    return [
      {
        key: "digitalocean:token",
        message:
          "is stored in plaintext in the stack file. Treat it as leaked: revoke it in the " +
          "DigitalOcean control panel, create a new one and set it as a secret",
        fix: `pulumi config set --secret digitalocean:token -s ${stack}`,
      },
    ];
  }
  return [];
}

function nameProblems(
  appName: string,
  namespace: string,
  registry: RegistrySettings | undefined,
  stack: string,
): Problem[] {
  const problems: Problem[] = [];
  const dnsLabel = "lowercase letters, digits and '-', starting and ending with a letter or digit";
  if (!isDns1123Label(namespace)) {
    problems.push({
      key: configKey("namespace"),
      message: `"${namespace}" is not a valid namespace name (${dnsLabel}, at most 63 characters)`,
      fix: `pulumi config set ${configKey("namespace")} task-api-${stack} -s ${stack}`,
    });
  }
  // The app name becomes the Deployment's name, the prefix of its objects and a label value.
  if (!isDns1123Label(appName) || !isLabelValue(appName)) {
    problems.push({
      key: configKey("appName"),
      message: `"${appName}" is not a valid object name (${dnsLabel}, at most 63 characters)`,
      fix: `pulumi config set ${configKey("appName")} task-api -s ${stack}`,
    });
  }
  if (registry && !isDns1123Subdomain(registry.secretName)) {
    problems.push({
      key: configKey("registry.secretName"),
      message: `"${registry.secretName}" is not a valid Secret name (${dnsLabel}, '.' allowed)`,
      fix: setCommand("registry.secretName", defaultPullSecretName(registry.server), stack),
    });
  }
  return problems;
}

function imageProblems(
  image: string,
  registry: RegistrySettings | undefined,
  stack: string,
): Problem[] {
  const key = configKey("image");
  const reference = parseImageReference(image);
  if (!reference) {
    return [
      {
        key,
        message: `"${image}" is not a valid image reference (expected REGISTRY/REPOSITORY:TAG, e.g. ghcr.io/acme/task-api:1.4.2)`,
        fix: `pulumi config set ${key} ghcr.io/acme/task-api:1.4.2 -s ${stack}`,
      },
    ];
  }
  const problems: Problem[] = [];
  if (reference.tag === undefined && reference.digest === undefined) {
    problems.push({
      key,
      message: `"${image}" has no tag or digest; pin a version so that a new image rolls the pods`,
      fix: `pulumi config set ${key} ${image}:VERSION -s ${stack}`,
    });
  } else if (reference.tag === "latest" && reference.digest === undefined) {
    problems.push({
      key,
      message: `"${image}" uses the tag "latest": pushing a new "latest" never rolls the pods. Pin a version`,
      fix: `pulumi config set ${key} ${image.replace(/:latest$/, "")}:VERSION -s ${stack}`,
    });
  }
  if (registry === undefined) {
    if (reference.registry !== DOCKER_HUB) {
      problems.push({
        key: configKey("registry"),
        message:
          `the image comes from ${reference.registry}, a private registry, but no registry ` +
          `credentials are configured: the pods would fail with ImagePullBackOff (401 Unauthorized)`,
        fix:
          `${setCommand("registry.server", reference.registry, stack)} && ` +
          `${setCommand("registry.username", "USER", stack)} && ` +
          `pulumi config set --secret ${configKey("registryToken")} -s ${stack}`,
      });
    }
  } else if (registryHost(registry.server) !== reference.registry) {
    problems.push({
      key,
      message:
        `the image comes from ${reference.registry}, but the pull secret is for ` +
        `${registry.server}` +
        (registry.kind === "docr" ? `/${registry.registryName}` : "") +
        `: the kubelet would pull without credentials`,
      fix:
        registry.kind === "docr"
          ? `pulumi config set ${key} ${DOCR_SERVER}/${registry.registryName}/${reference.repository.split("/").pop() ?? "task-api"}:${reference.tag ?? "VERSION"} -s ${stack}`
          : setCommand("registry.server", reference.registry, stack),
    });
  } else if (
    registry.kind === "docr" &&
    reference.repository.split("/")[0] !== registry.registryName
  ) {
    problems.push({
      key,
      message: `the image is not in the DigitalOcean registry "${registry.registryName}" (expected ${DOCR_SERVER}/${registry.registryName}/...)`,
      fix: setCommand("registry.docr", reference.repository.split("/")[0], stack),
    });
  }
  return problems;
}

/** The pull secret's name: what operators expect to find with `kubectl get secret`. */
export function defaultPullSecretName(server: string): string {
  const host = registryHost(server);
  if (host === "ghcr.io") {
    return "ghcr-secret";
  }
  if (host === DOCR_SERVER) {
    return "docr-secret";
  }
  return "registry-secret";
}

/** Typed getters over the raw strings, each recording a problem instead of throwing. */
class ConfigReader {
  constructor(
    private readonly raw: RawStackConfig,
    private readonly problems: Problem[],
  ) {}

  private get stack(): string {
    return this.raw.stack;
  }

  /**
   * ` (got VALUE)` for a message, or nothing for a key that holds secrets or reached the program
   * encrypted: a plaintext `secrets` object is still a secret that must not be echoed.
   */
  private shown(name: ConfigName, value: unknown): string {
    return SECRET_CONFIG.includes(name) || this.raw.isSecret(name)
      ? ""
      : ` (got ${JSON.stringify(value)})`;
  }

  private fail(name: string, message: string, fix?: string): undefined {
    this.problems.push({ key: configKey(name), message, fix });
    return undefined;
  }

  /** The parsed JSON of an object or list key; non-JSON is reported (the value only if not secret). */
  private json(name: ConfigName): Json | undefined {
    const text = this.raw.values[name];
    if (text === undefined) {
      return undefined;
    }
    try {
      return JSON.parse(text) as Json;
    } catch {
      return this.fail(
        name,
        `must be an object or a list set with --path${this.shown(name, text)}`,
      );
    }
  }

  string(name: ConfigName): string | undefined {
    const text = this.raw.values[name];
    if (text !== undefined && text.trim() === "") {
      return this.fail(name, "is empty", `pulumi config rm ${configKey(name)} -s ${this.stack}`);
    }
    return text;
  }

  boolean(name: ConfigName): boolean | undefined {
    const text = this.raw.values[name];
    if (text === undefined || text === "true" || text === "false") {
      return text === undefined ? undefined : text === "true";
    }
    return this.fail(
      name,
      `must be true or false${this.shown(name, text)}`,
      `pulumi config set --type bool ${configKey(name)} true -s ${this.stack}`,
    );
  }

  integer(name: ConfigName, min: number, max: number, example: number): number | undefined {
    const text = this.raw.values[name];
    if (text === undefined) {
      return undefined;
    }
    const value = Number(text);
    if (/^-?\d+$/.test(text.trim()) && value >= min && value <= max) {
      return value;
    }
    return this.fail(
      name,
      `must be a whole number from ${min} to ${max}${this.shown(name, text)}`,
      `pulumi config set --type int ${configKey(name)} ${example} -s ${this.stack}`,
    );
  }

  stringList(name: ConfigName): string[] | undefined {
    const value = this.json(name);
    if (value === undefined) {
      return undefined;
    }
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
      return value;
    }
    return this.fail(
      name,
      "must be a list of names",
      `${removeCommand(name, this.stack)} && ${setCommand(`${name}[0]`, "NAME", this.stack)}`,
    );
  }

  /** `task-api:config`: an object of scalars, converted to the strings the ConfigMap holds. */
  scalarMap(name: ConfigName): Record<string, string> | undefined {
    const value = this.json(name);
    if (value === undefined) {
      return undefined;
    }
    if (!isObject(value)) {
      return this.fail(
        name,
        "must be an object of settings, e.g. LOG_LEVEL: debug",
        setCommand(`${name}.LOG_LEVEL`, "debug", this.stack),
      );
    }
    const result: Record<string, string> = {};
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === "string" || typeof item === "number" || typeof item === "boolean") {
        result[key] = String(item);
      } else {
        this.fail(
          `${name}.${key}`,
          "must be a string, number or boolean (environment variables are flat)",
          removeCommand(`${name}.${key}`, this.stack),
        );
      }
    }
    return result;
  }

  /** `task-api:secrets`: must reach the program as secret, every leaf a string. */
  secretStringMap(name: ConfigName): Record<string, string> | undefined {
    const text = this.raw.values[name];
    if (text === undefined) {
      return undefined;
    }
    // Checked before parsing, so that a plaintext value that is not even JSON is reported too.
    // An empty object is the Pulumi.yaml default: nothing there to have leaked.
    if (!this.raw.isSecret(name) && text.replace(/\s/g, "") !== "{}") {
      this.fail(
        name,
        "is stored in plaintext in the stack file (not encrypted). Treat these values as leaked: " +
          "rotate them, remove the key, and set each one again as a secret",
        `pulumi config rm ${configKey(name)} -s ${this.stack} && ${setSecretCommand(`${name}.NAME`, this.stack)}   (once per secret)`,
      );
    } else {
      for (const secretName of this.raw.plaintextSecretNames ?? []) {
        this.fail(
          `${name}.${secretName}`,
          "is stored in plaintext in the stack file, beside encrypted secrets. Treat it as " +
            "leaked: rotate it, then set the new value encrypted",
          setSecretCommand(`${name}.${secretName}`, this.stack),
        );
      }
    }
    const value = this.json(name);
    if (value === undefined) {
      return undefined;
    }
    if (!isObject(value)) {
      return this.fail(
        name,
        "must be an object of named secrets",
        setSecretCommand(`${name}.NAME`, this.stack),
      );
    }
    const result: Record<string, string> = {};
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === "string") {
        result[key] = item;
      } else {
        this.fail(
          `${name}.${key}`,
          "must be a string secret",
          setSecretCommand(`${name}.${key}`, this.stack),
        );
      }
    }
    return result;
  }

  path(name: ConfigName, field: string): string | undefined {
    const value = this.objectField(name, field);
    if (value === undefined || (typeof value === "string" && /^\/[^\s]*$/.test(value))) {
      return value;
    }
    return this.fail(
      `${name}.${field}`,
      `must be an HTTP path starting with "/"${this.shown(name, value)}`,
      setCommand(`${name}.${field}`, DEFAULT_HEALTH_PATH, this.stack),
    );
  }

  private objectCache = new Map<ConfigName, Record<string, Json> | undefined>();

  /** A field of an object-valued key; the object itself is checked once. */
  private objectField(name: ConfigName, field: string): Json | undefined {
    if (!this.objectCache.has(name)) {
      const value = this.json(name);
      if (value !== undefined && !isObject(value)) {
        this.fail(name, "must be an object set with --path", undefined);
      }
      this.objectCache.set(name, value !== undefined && isObject(value) ? value : undefined);
    }
    return this.objectCache.get(name)?.[field] ?? undefined;
  }

  /** An object of label keys to label values, e.g. `app: task-api`; empty (the default) is unset. */
  labels(name: ConfigName): Record<string, string> | undefined {
    const value = this.json(name);
    if (value === undefined || (isObject(value) && Object.keys(value).length === 0)) {
      return undefined;
    }
    if (!isObject(value)) {
      return this.fail(
        name,
        "must be an object of labels, e.g. app: task-api",
        `${removeCommand(name, this.stack)} && ${setCommand(`${name}.app`, "task-api", this.stack)}`,
      );
    }
    const result: Record<string, string> = {};
    for (const [key, item] of Object.entries(value)) {
      const path = fieldPath(name, key);
      if (!isLabelKey(key)) {
        this.fail(
          path,
          `"${key}" is not a valid label key (an optional DNS subdomain and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)`,
          removeCommand(path, this.stack),
        );
      } else if (typeof item !== "string" || !isLabelValue(item)) {
        this.fail(
          path,
          `must be a label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)${this.shown(name, item)}`,
          setCommand(path, "task-api", this.stack),
        );
      } else {
        result[key] = item;
      }
    }
    return result;
  }

  fieldEnv(): Record<string, string> {
    const value = this.json("fieldEnv");
    if (value === undefined) {
      return {};
    }
    if (!isObject(value)) {
      this.fail(
        "fieldEnv",
        "must be an object of NAME: fieldPath",
        setCommand("fieldEnv.POD_NAME", "metadata.name", this.stack),
      );
      return {};
    }
    const result: Record<string, string> = {};
    for (const [name, fieldPath] of Object.entries(value)) {
      if (!isEnvVarName(name)) {
        this.fail(
          `fieldEnv.${name}`,
          `"${name}" is not a valid environment variable name`,
          removeCommand(`fieldEnv.${name}`, this.stack),
        );
      } else if (typeof fieldPath !== "string" || !isDownwardApiField(fieldPath)) {
        this.fail(
          `fieldEnv.${name}`,
          `must be a Downward API field path (${DOWNWARD_API_FIELDS.join(", ")}, metadata.labels['KEY'], metadata.annotations['KEY']); ${this.shown("fieldEnv", fieldPath)}`,
          setCommand(`fieldEnv.${name}`, "metadata.name", this.stack),
        );
      } else {
        result[name] = fieldPath;
      }
    }
    return result;
  }

  registry(): RegistrySettings | undefined {
    const value = this.json("registry");
    if (value === undefined) {
      return undefined;
    }
    // Pulumi.yaml defaults: `{}` means no registry (a public image), "" means no token.
    const token = this.raw.values.registryToken === "" ? undefined : this.raw.values.registryToken;
    if (isObject(value) && Object.keys(value).length === 0) {
      if (token !== undefined) {
        this.fail(
          "registryToken",
          `is set, but ${configKey("registry")} is not: set the registry it is for`,
          setCommand("registry.server", "ghcr.io", this.stack),
        );
      }
      return undefined;
    }
    if (isObject(value) && typeof value.docr === "string" && value.server === undefined) {
      const expiry = value.expirySeconds ?? DEFAULT_DOCR_EXPIRY_SECONDS;
      // The API's bounds are 1 to 1576800000 (about 50 years); under an hour is surely a mistake.
      if (
        typeof expiry !== "number" ||
        !Number.isInteger(expiry) ||
        expiry < 3600 ||
        expiry > 1576800000
      ) {
        this.fail(
          "registry.expirySeconds",
          `must be a whole number of seconds from 3600 to 1576800000${this.shown("registry", expiry)}`,
          `pulumi config set --type int --path 'registry.expirySeconds' ${DEFAULT_DOCR_EXPIRY_SECONDS} -s ${this.stack}`,
        );
      }
      if (token !== undefined) {
        this.fail(
          "registryToken",
          "is not used with a DigitalOcean registry (the program creates read-only credentials); remove it",
          `pulumi config rm ${configKey("registryToken")} -s ${this.stack}`,
        );
      }
      return {
        kind: "docr",
        server: DOCR_SERVER,
        registryName: value.docr,
        expirySeconds: typeof expiry === "number" ? expiry : DEFAULT_DOCR_EXPIRY_SECONDS,
        secretName: this.secretName(value, DOCR_SERVER),
      };
    }
    if (
      isObject(value) &&
      typeof value.server === "string" &&
      typeof value.username === "string" &&
      value.docr === undefined
    ) {
      if (token === undefined) {
        this.fail(
          "registryToken",
          `is required with ${configKey("registry.server")}: the registry token (GHCR: a classic token with read:packages)`,
          `pulumi config set --secret ${configKey("registryToken")} -s ${this.stack}`,
        );
      } else if (!this.raw.isSecret("registryToken")) {
        this.fail(
          "registryToken",
          "is stored in plaintext in the stack file. Treat it as leaked: revoke it, create a new one and set it as a secret",
          `pulumi config set --secret ${configKey("registryToken")} -s ${this.stack}`,
        );
      } else if (token.includes("\0") || token.trim() === "") {
        this.fail(
          "registryToken",
          "is empty or contains a NUL byte",
          `pulumi config set --secret ${configKey("registryToken")} -s ${this.stack}`,
        );
      }
      return {
        kind: "token",
        server: registryHost(value.server),
        username: value.username,
        token: pulumi.secret(token ?? ""),
        secretName: this.secretName(value, value.server),
      };
    }
    return this.fail(
      "registry",
      "must be either {server, username} (GHCR or any registry, with registryToken) or {docr: REGISTRY_NAME}",
      `${setCommand("registry.server", "ghcr.io", this.stack)} && ${setCommand("registry.username", "USER", this.stack)}`,
    );
  }

  private secretName(value: Record<string, Json>, server: string): string {
    if (value.secretName === undefined) {
      return defaultPullSecretName(server);
    }
    if (typeof value.secretName === "string") {
      return value.secretName;
    }
    this.fail(
      "registry.secretName",
      "must be a string",
      setCommand("registry.secretName", defaultPullSecretName(server), this.stack),
    );
    return defaultPullSecretName(server);
  }

  cluster(): ClusterSettings {
    const value = this.json("cluster");
    if (value === undefined || (isObject(value) && Object.keys(value).length === 0)) {
      return { kind: "kubeconfig" };
    }
    if (isObject(value) && Object.keys(value).length === 1) {
      if (typeof value.context === "string" && value.context !== "") {
        return { kind: "kubeconfig", context: value.context };
      }
      if (typeof value.doks === "string" && value.doks !== "") {
        return { kind: "doks", clusterName: value.doks };
      }
    }
    this.fail(
      "cluster",
      `must be {context: KUBECONFIG_CONTEXT} or {doks: CLUSTER_NAME}${this.shown("cluster", value)}; leave it unset to use the current kubeconfig context`,
      setCommand("cluster.doks", `task-api-${this.stack}`, this.stack),
    );
    return { kind: "kubeconfig" };
  }

  resources(): ResourceSettings {
    const pick = (group: "requests" | "limits", field: "cpu" | "memory"): string => {
      const groupValue = this.objectField("resources", group);
      const value = isObject(groupValue) ? groupValue[field] : undefined;
      if (value === undefined) {
        return DEFAULT_RESOURCES[group][field];
      }
      if (typeof value === "string" && QUANTITY.test(value)) {
        return value;
      }
      this.fail(
        `resources.${group}.${field}`,
        `must be a Kubernetes quantity such as ${DEFAULT_RESOURCES[group][field]}${this.shown("resources", value)}`,
        setCommand(`resources.${group}.${field}`, DEFAULT_RESOURCES[group][field], this.stack),
      );
      return DEFAULT_RESOURCES[group][field];
    };
    return {
      requests: { cpu: pick("requests", "cpu"), memory: pick("requests", "memory") },
      limits: { cpu: pick("limits", "cpu"), memory: pick("limits", "memory") },
    };
  }
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

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

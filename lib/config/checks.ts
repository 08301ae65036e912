// The checks across keys: each needs more than one setting (the image and the registry, the port
// and the config, the cluster and the DigitalOcean token, ...), so they run once every section has
// been read. Every message names keys, never a secret value.

import { DOCKER_HUB, ImageReference, parseImageReference, registryHost } from "../imageReference";
import { isPlainObject } from "../values";
import { isDns1123Label, isDns1123Subdomain, isLabelValue } from "../names";
import {
  fieldPath,
  removeCommand,
  removeKeyCommand,
  setCommand,
  setKeyCommand,
  setSecretCommand,
  setSecretKeyCommand,
} from "./commands";
import { CONFIG_KEYS, ConfigName, SECRET_CONFIG, configKey } from "./keys";
import { Problem } from "../problems";
import { describeValue, isShowableName, isShowableText } from "./quoting";
import { DOCR_SERVER, defaultPullSecretName } from "./registry";
import { ClusterSettings, DigitalOceanToken, RawStackConfig, RegistrySettings } from "./settings";

const EXAMPLE_IMAGE = "ghcr.io/acme/task-api:1.4.2";

export function missingImageProblem(stack: string): Problem {
  return {
    key: configKey("image"),
    message: `is required: the image to run, e.g. ${EXAMPLE_IMAGE}`,
    fix: setKeyCommand("image", EXAMPLE_IMAGE, stack),
  };
}

/** No namespace set: the fix suggests APP-STACK, or VALUE when the app name is not to be shown. */
export function missingNamespaceProblem(appName: string | undefined, stack: string): Problem {
  return {
    key: configKey("namespace"),
    message: "is required: the namespace of this stack's objects",
    fix: setKeyCommand("namespace", appName === undefined ? "VALUE" : `${appName}-${stack}`, stack),
  };
}

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

/**
 * A key other than `secrets` and `registryToken` that arrived encrypted: its value would land in
 * plaintext in the ConfigMap, a pod annotation's plain checksum, or the Deployment, so the program
 * refuses rather than silently unwrapping it. Secret settings belong under `secrets`.
 */
export function plaintextOnlyProblems(raw: RawStackConfig): Problem[] {
  return CONFIG_KEYS.filter(
    (name) => !SECRET_CONFIG.includes(name) && raw.values[name] !== undefined && raw.isSecret(name),
  ).map((name) => ({
    key: configKey(name),
    message:
      `is encrypted, but its values are not kept secret: they end up in plaintext in ` +
      `Kubernetes objects. Secret settings go under ${configKey("secrets")}; ` +
      (name === "config" ? "move each secret one there" : "set it without --secret"),
    fix:
      name === "config"
        ? `${removeCommand("config.NAME", raw.stack)} && ${setSecretCommand("secrets.NAME", raw.stack)}`
        : setInPlaintextCommand(name, raw.values[name] ?? "", raw.stack),
  }));
}

/**
 * The commands that set an encrypted key again in plaintext, as its kind of value needs: the key
 * for a string, number or boolean; for an object or a list, the key removed and each leaf set by
 * its path (`cluster.doks`, `resources.limits.cpu`, `nonSecretConfigKeys[0]`), each to VALUE:
 * `pulumi config set task-api:cluster VALUE` would make it a string. Field names are shown only
 * when they could not be a credential (quoting.ts); otherwise the path is NAME.
 */
function setInPlaintextCommand(name: ConfigName, text: string, stack: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return setKeyCommand(name, "VALUE", stack);
  }
  const paths: string[] = [];
  const visit = (path: string, item: unknown): void => {
    if (Array.isArray(item)) {
      item.forEach((element, index) => visit(`${path}[${index}]`, element));
    } else if (isPlainObject(item)) {
      Object.entries(item).forEach(([field, child]) =>
        visit(fieldPath(path, isShowableName(field) ? field : "NAME"), child),
      );
    } else if (path !== name) {
      paths.push(path);
    }
  };
  visit(name, value);
  if (!Array.isArray(value) && !isPlainObject(value)) {
    return setKeyCommand(name, "VALUE", stack);
  }
  const sets = [...new Set(paths)].map((path) => setCommand(path, "VALUE", stack));
  return [removeKeyCommand(name, stack), ...sets].join(" && ");
}

/**
 * The DigitalOcean token is needed when DOKS or DOCR is used, and is never in plaintext in the
 * stack file, used or not: a committed file keeps it in git's history either way. The provider
 * takes the stack's `digitalocean:token` when it is set and reads DIGITALOCEAN_TOKEN (or
 * DIGITALOCEAN_ACCESS_TOKEN) only when it is not (terraform-provider-digitalocean,
 * digitalocean/provider.go: `token` has `DefaultFunc: schema.MultiEnvDefaultFunc(...)`, which
 * the plugin SDK applies to an unset field only), so an exported variable does
 * not make a plaintext one harmless. A cluster or registry name that arrived encrypted is named by
 * its key alone.
 */
export function digitalOceanTokenProblems(
  token: DigitalOceanToken,
  cluster: ClusterSettings,
  registry: RegistrySettings | undefined,
  raw: Pick<RawStackConfig, "stack" | "isSecret">,
): Problem[] {
  const { stack } = raw;
  const named = (key: "cluster" | "registry", path: string, name: string) =>
    raw.isSecret(key) ? configKey(path) : `${configKey(path)} (${name})`;
  const uses = [
    ...(cluster.kind === "doks" ? [named("cluster", "cluster.doks", cluster.clusterName)] : []),
    ...(registry?.kind === "docr"
      ? [named("registry", "registry.docr", registry.registryName)]
      : []),
  ];
  const fix = `pulumi config set --secret digitalocean:token -s ${stack}`;
  if (token.stack === "plaintext") {
    const used =
      uses.length === 0
        ? "Nothing in this stack uses it (no DOKS cluster, no DOCR registry)"
        : `The provider would use this one, not DIGITALOCEAN_TOKEN from the environment${token.environment ? " (set here too)" : ""}, for ${uses.join(" and ")}`;
    return [
      {
        key: "digitalocean:token",
        message:
          `is stored in plaintext in the stack file. ${used}. Treat it as leaked: revoke it in ` +
          "the DigitalOcean control panel, create a new one and set it as a secret" +
          (uses.length === 0 ? ", or remove it" : ""),
        fix:
          uses.length === 0
            ? `pulumi config rm digitalocean:token -s ${stack}   (or ${fix})`
            : `${fix}   (or pulumi config rm digitalocean:token -s ${stack} && export DIGITALOCEAN_TOKEN=...)`,
      },
    ];
  }
  if (uses.length > 0 && token.stack === "missing" && !token.environment) {
    return [
      {
        key: "digitalocean:token",
        message: `no DigitalOcean API token (DIGITALOCEAN_TOKEN or digitalocean:token), needed by ${uses.join(" and ")}`,
        fix: `export DIGITALOCEAN_TOKEN=... in your shell or CI, or ${fix}`,
      },
    ];
  }
  return [];
}

/** The namespace, the app name and the pull secret's name must be valid Kubernetes names. */
export function nameProblems(
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
      message: `${describeValue(namespace)} is not a valid namespace name (${dnsLabel}, at most 63 characters)`,
      fix: setKeyCommand("namespace", `task-api-${stack}`, stack),
    });
  }
  // The app name becomes the Deployment's name, the prefix of its objects and a label value.
  if (!isDns1123Label(appName) || !isLabelValue(appName)) {
    problems.push({
      key: configKey("appName"),
      message: `${describeValue(appName)} is not a valid object name (${dnsLabel}, at most 63 characters)`,
      fix: setKeyCommand("appName", "task-api", stack),
    });
  }
  if (registry && !isDns1123Subdomain(registry.secretName)) {
    problems.push({
      key: configKey("registry.secretName"),
      message: `${describeValue(registry.secretName)} is not a valid Secret name (${dnsLabel}, '.' allowed)`,
      fix: setCommand("registry.secretName", defaultPullSecretName(registry.server), stack),
    });
  }
  return problems;
}

/** The image must be a pinned reference, from the registry the credentials are for. */
export function imageProblems(
  image: string,
  registry: RegistrySettings | undefined,
  stack: string,
): Problem[] {
  const reference = parseImageReference(image);
  if (!reference) {
    return [
      {
        key: configKey("image"),
        message: `${describeValue(image)} is not a valid image reference (expected REGISTRY/REPOSITORY:TAG, e.g. ${EXAMPLE_IMAGE})`,
        fix: setKeyCommand("image", EXAMPLE_IMAGE, stack),
      },
    ];
  }
  return [
    ...imagePinProblems(image, reference, stack),
    ...imageRegistryProblems(reference, registry, stack),
  ];
}

function imagePinProblems(image: string, reference: ImageReference, stack: string): Problem[] {
  const key = configKey("image");
  // The fix repeats the image, so only one that may be printed; else the form to fill in.
  const repository = isShowableText(image) ? image.replace(/:latest$/, "") : "REGISTRY/REPOSITORY";
  if (reference.tag === undefined && reference.digest === undefined) {
    return [
      {
        key,
        message: `${describeValue(image)} has no tag or digest; pin a version so that a new image rolls the pods`,
        fix: setKeyCommand("image", `${repository}:VERSION`, stack),
      },
    ];
  }
  if (reference.tag === "latest" && reference.digest === undefined) {
    return [
      {
        key,
        message: `${describeValue(image)} uses the tag "latest": pushing a new "latest" never rolls the pods. Pin a version`,
        fix: setKeyCommand("image", `${repository}:VERSION`, stack),
      },
    ];
  }
  return [];
}

function imageRegistryProblems(
  reference: ImageReference,
  registry: RegistrySettings | undefined,
  stack: string,
): Problem[] {
  const key = configKey("image");
  if (registry === undefined) {
    return reference.registry === DOCKER_HUB
      ? []
      : [
          {
            key: configKey("registry"),
            message:
              `the image comes from ${reference.registry}, a private registry, but no registry ` +
              `credentials are configured: the pods would fail with ImagePullBackOff (401 Unauthorized)`,
            fix:
              `${setCommand("registry.server", reference.registry, stack)} && ` +
              `${setCommand("registry.username", "USER", stack)} && ` +
              setSecretKeyCommand("registryToken", stack),
          },
        ];
  }
  const [docrRegistryName] = reference.repository.split("/");
  if (registryHost(registry.server) !== reference.registry) {
    return [
      {
        key,
        message:
          `the image comes from ${reference.registry}, but the pull secret is for ` +
          `${registry.server}` +
          (registry.kind === "docr" ? `/${registry.registryName}` : "") +
          `: the kubelet would pull without credentials`,
        fix:
          registry.kind === "docr"
            ? setKeyCommand(
                "image",
                `${DOCR_SERVER}/${registry.registryName}/${reference.repository.split("/").pop() ?? "task-api"}:${reference.tag ?? "VERSION"}`,
                stack,
              )
            : setCommand("registry.server", reference.registry, stack),
      },
    ];
  }
  if (registry.kind === "docr" && docrRegistryName !== registry.registryName) {
    return [
      {
        key,
        message: `the image is not in the DigitalOcean registry "${registry.registryName}" (expected ${DOCR_SERVER}/${registry.registryName}/...)`,
        fix: setCommand("registry.docr", docrRegistryName, stack),
      },
    ];
  }
  return [];
}

// `task-api:namespace`, `appName` and `createNamespace`: where the app's objects live and what
// they are called. Every problem names the key and the command that fixes it.

import { DEFAULT_APP_NAME } from "../defaults";
import { isDns1123Label, isDns1123Subdomain, isLabelValue } from "../names";
import { setCommand, setKeyCommand } from "./commands";
import { configKey, KEYS } from "./keys";
import { Problem } from "../problems";
import { describeValue } from "./quoting";
import { ConfigReader } from "./reader";
import { defaultPullSecretName } from "./registry";
import { RegistrySettings } from "./settings";

export function readAppName(reader: ConfigReader): string {
  return reader.string("appName") ?? DEFAULT_APP_NAME;
}

/** The namespace, "" (and reported) when missing. */
export function readNamespace(reader: ConfigReader, appName: string): string {
  const namespace = reader.string("namespace") ?? "";
  if (reader.raw.values.namespace === undefined) {
    // The suggestion is made from the app name, which is not quoted when it arrived encrypted.
    reader.report(
      missingNamespaceProblem(reader.raw.isSecret("appName") ? undefined : appName, reader.stack),
    );
  }
  return namespace;
}

export function readCreateNamespace(reader: ConfigReader): boolean {
  return reader.boolean("createNamespace") ?? KEYS.createNamespace.default;
}

/** No namespace set: the fix suggests APP-STACK, or VALUE when the app name is not to be shown. */
function missingNamespaceProblem(appName: string | undefined, stack: string): Problem {
  return {
    key: configKey("namespace"),
    message: "is required: the namespace of this stack's objects",
    fix: setKeyCommand("namespace", appName === undefined ? "VALUE" : `${appName}-${stack}`, stack),
  };
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

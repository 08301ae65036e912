// `task-api:cluster` and the DigitalOcean token: which cluster the stack deploys to, and the token
// the DigitalOcean provider finds for it. Every problem names the key and the command that fixes it.

import { isPlainObject } from "../values";
import { removeKeyCommand, setCommand } from "./commands";
import { configKey } from "./keys";
import { Problem } from "../problems";
import { ClusterSettings, DigitalOceanToken, RawStackConfig, RegistrySettings } from "./settings";
import { secretLookingKeyWord } from "../credentials/secretLookingNames";
import { ConfigReader } from "./reader";

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

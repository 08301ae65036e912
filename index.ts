// The Task API on Kubernetes: reads this stack's config once, checks all of it, then creates the
// app's ConfigMap, Secret, pull secret and Deployment with a provider that updates data in place.

import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { AppNamespace, ConfiguredApp, RegistryArgs } from "./components";
import { createKubernetesProvider } from "./lib/kubernetesProvider";
import { rawStackConfig } from "./lib/config/rawStackConfig";
import { RegistrySettings } from "./lib/config/settings";
import { readStackSettings } from "./lib/config/stackConfig";

// Whether the engine received a key encrypted. Marked @internal in the SDK's typings but exported
// by the runtime; it is how the program tells an encrypted `secrets` object from a plaintext one.
const { isConfigSecret } = pulumi.runtime as unknown as {
  isConfigSecret: (key: string) => boolean;
};

const settings = readStackSettings(
  rawStackConfig({
    stack: pulumi.getStack(),
    // A full key `NAMESPACE:NAME` is NAME of the namespace's config.
    get: (key) => new pulumi.Config(key.split(":")[0]).get(key.slice(key.indexOf(":") + 1)),
    isSecret: (key) => isConfigSecret(key),
    // The engine runs the program in the project folder, where `pulumi config set` wrote the file.
    stackFileDir: __dirname,
    // The names pulumi-digitalocean reads; an empty variable counts as unset, as it does there.
    digitalOceanTokenExported: Boolean(
      process.env.DIGITALOCEAN_TOKEN || process.env.DIGITALOCEAN_ACCESS_TOKEN,
    ),
  }),
);

// Not refused, but worth knowing before the next deploy: a certificate about to expire.
settings.warnings.forEach((warning) => void pulumi.log.warn(warning));

const provider = createKubernetesProvider("kubernetes", settings.cluster, {
  upsertExistingObjects: settings.adoptExisting,
});
const appNamespace = settings.createNamespace
  ? new AppNamespace(
      settings.namespace,
      { namespaceName: settings.namespace },
      { providers: [provider] },
    ).namespaceName
  : // Read, never managed: a namespace that does not exist fails `pulumi preview` already, naming
    // it, instead of every object's create failing half-way through `pulumi up`.
    corev1.Namespace.get("existing-namespace", settings.namespace, { provider }).metadata.name;

const app = new ConfiguredApp(
  settings.appName,
  {
    namespace: appNamespace,
    image: settings.image,
    replicas: settings.replicas,
    port: settings.port,
    config: settings.config,
    secrets: settings.secrets,
    generatedSecrets: settings.generatedSecrets,
    secretFiles: settings.secretFiles,
    registry: registryArgs(settings.registry),
    restartOnChange: settings.restartOnChange,
    awaitRollout: settings.awaitRollout,
    rolloutTimeoutSeconds: settings.rolloutTimeoutSeconds,
    selectorLabels: settings.selectorLabels,
    fieldEnv: settings.fieldEnv,
    resources: settings.resources,
    probes: settings.probes,
  },
  { providers: [provider] },
);

/** The pull secret's source for the stack's registry settings: a login, or DOCR credentials. */
function registryArgs(registry: RegistrySettings | undefined): RegistryArgs | undefined {
  if (registry === undefined) {
    return undefined;
  }
  return {
    server: registry.server,
    secretName: registry.secretName,
    credentials:
      registry.kind === "token"
        ? { username: registry.username, password: pulumi.secret(registry.token) }
        : { docrRegistryName: registry.registryName, expirySeconds: registry.expirySeconds },
  };
}

// Names and checksums only: nothing here is, or is derived from, a secret value without a key.
export const namespace = app.namespace;
export const deploymentName = app.deploymentName;
export const configMapName = app.configMapName;
export const secretName = app.secretName;
export const pullSecretName = app.pullSecretName;
export const configChecksum = app.configChecksum;
export const secretChecksum = app.secretChecksum;

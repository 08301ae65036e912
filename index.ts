// The Task API on Kubernetes: reads this stack's config once, checks all of it, then creates the
// app's ConfigMap, Secret, pull secret and Deployment with a provider that updates data in place.

import * as pulumi from "@pulumi/pulumi";
import { ConfiguredApp } from "./components";
import { configKey } from "./lib/commands";
import { createKubernetesProvider } from "./lib/kubernetesProvider";
import { CONFIG_KEYS, readStackSettings } from "./lib/stackConfig";

// Whether the engine received a key encrypted. Marked @internal in the SDK's typings but exported
// by the runtime; it is how the program tells an encrypted `secrets` object from a plaintext one.
const { isConfigSecret } = pulumi.runtime as unknown as {
  isConfigSecret: (key: string) => boolean;
};

const config = new pulumi.Config();
const settings = readStackSettings({
  stack: pulumi.getStack(),
  values: Object.fromEntries(CONFIG_KEYS.map((name) => [name, config.get(name)])),
  isSecret: (name) => isConfigSecret(configKey(name)),
});

const provider = createKubernetesProvider("kubernetes", settings.cluster);

const registry = settings.registry;
const app = new ConfiguredApp(
  settings.appName,
  {
    namespace: settings.namespace,
    image: settings.image,
    replicas: settings.replicas,
    port: settings.port,
    config: settings.config,
    nonSecretConfigKeys: settings.nonSecretConfigKeys,
    secrets: settings.secrets,
    registry:
      registry?.kind === "token"
        ? {
            server: registry.server,
            secretName: registry.secretName,
            credentials: { username: registry.username, password: registry.token },
          }
        : undefined,
    restartOnChange: settings.restartOnChange,
    fieldEnv: settings.fieldEnv,
    resources: settings.resources,
    probes: settings.probes,
  },
  { providers: [provider] },
);

// Names and checksums only: nothing here is, or is derived from, a secret value without a key.
export const namespace = app.namespace;
export const deploymentName = app.deploymentName;
export const configMapName = app.configMapName;
export const secretName = app.secretName;
export const pullSecretName = app.pullSecretName;
export const configChecksum = app.configChecksum;
export const secretChecksum = app.secretChecksum;

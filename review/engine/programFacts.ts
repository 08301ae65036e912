// What the offline engine knows about this particular program, in one place: where it lives, the
// resource types and invokes it uses (and how an offline run answers them), its secret keys and the
// placeholders that stand in for secrets offline. Everything else in review/ is generic.

import { join } from "node:path";
import { CallAnswer } from "./mockRuntime";

export { PROJECT, SECRET_CONFIG } from "../../lib/config/keys";

/** This checkout: the project (Pulumi.yaml, index.ts) the review commands and the tests run. */
export const PROJECT_DIR = join(__dirname, "..", "..");

/** The DOKS lookup (`digitalocean.getKubernetesClusterOutput`), the one invoke the program makes. */
export const DOKS_LOOKUP = "digitalocean:index/getKubernetesCluster:getKubernetesCluster";

/** The provider every Kubernetes object is created with (lib/kubernetesProvider.ts). */
export const KUBERNETES_PROVIDER = "pulumi:providers:kubernetes";

/** The secret checksum's key (components/AppSecret.ts). */
export const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";

/** DigitalOcean registry credentials (components/RegistryPullSecret.ts). */
export const DOCR_CREDENTIALS =
  "digitalocean:index/containerRegistryDockerCredentials:ContainerRegistryDockerCredentials";

/** What every secret value is offline. Never shown: rendered output says `[secret]`. */
export const SECRET_PLACEHOLDER = "offline-render-placeholder";

/**
 * Every mocked random value of an offline render derives from this seed, so the secret checksum
 * key is the same known key in every render: the program computes its HMAC as always, and the
 * render then shows a placeholder in its place (review/secretChecksumPlaceholder.ts). Exported for
 * the leak tests, which look for that HMAC.
 */
export const RANDOM_SEED = "offline-render";

/**
 * The process environment of an offline run. The program checks that DigitalOcean's provider will
 * find a token; offline nothing calls DigitalOcean, so a placeholder stands in and no reviewer
 * needs a real one.
 */
export const OFFLINE_ENVIRONMENT: Readonly<Record<string, string | undefined>> = {
  DIGITALOCEAN_TOKEN: SECRET_PLACEHOLDER,
  DIGITALOCEAN_ACCESS_TOKEN: undefined,
};

// Data sources the program may read; any other invoke fails the render loudly. The DOKS lookup's
// id, API endpoint and CA certificate (what the program builds its credential-free kubeconfig
// from) are not secret; they are answered with recognisable placeholders (an `.invalid` host, a CA
// that is no certificate), so a render shows nothing a leak scan looks for.
export const OFFLINE_INVOKES: Readonly<Record<string, CallAnswer>> = {
  [DOKS_LOOKUP]: (inputs) => {
    const name = String(inputs.name);
    return {
      name,
      id: `offline-${name}`,
      endpoint: `https://${name}.k8s.ondigitalocean.invalid`,
      kubeConfigs: [
        {
          clusterCaCertificate: Buffer.from(`offline CA certificate of ${name}`).toString("base64"),
        },
      ],
    };
  },
};

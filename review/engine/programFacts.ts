// What the offline engine knows about this particular program, in one place: where it lives, the
// resource types and invokes it uses (and how an offline run answers them), its secret keys and the
// placeholders that stand in for secrets offline. Everything else in review/ is generic.

import { createHash } from "node:crypto";
import { join } from "node:path";
import { CallAnswer, ResourceAnswer } from "./mockRuntime";

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
 * render then shows a placeholder in its place (review/render/secretChecksumPlaceholder.ts). Exported for
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

// Resources whose provider computes outputs the program reads: offline, recognisable fakes.
export const OFFLINE_RESOURCES: Readonly<Record<string, ResourceAnswer>> = {
  // terraform-provider-random's id for every password is "none" (resource_password.go).
  [RANDOM_PASSWORD]: ({ name, inputs, seed }) => ({
    id: "none",
    outputs: { result: randomPasswordFor(seed, name, Number(inputs.length), inputs.keepers) },
  }),
  [DOCR_CREDENTIALS]: ({ name, inputs }) => ({
    id: `${name}-id`,
    outputs: { dockerCredentials: docrCredentialsFor(String(inputs.registryName)) },
  }),
};

/**
 * The fake value a RandomPassword gets under the mocks: `length` letters and digits to scan for.
 * New `keepers` give a new value, as a replacement does for real (a generated secret's rotation).
 */
export function randomPasswordFor(
  seed: string,
  name: string,
  length: number,
  keepers?: unknown,
): string {
  const kept = keepers === undefined ? "" : `/${JSON.stringify(keepers)}`;
  let result = "";
  for (let round = 0; result.length < length; round++) {
    const digest = createHash("sha512").update(`${seed}/${name}${kept}/${round}`).digest("base64");
    result += digest.replace(/[^A-Za-z0-9]/g, "");
  }
  return result.slice(0, length);
}

/** The fake DOCR credentials document: a secret to scan for. */
export function docrCredentialsFor(registryName: string): string {
  const auth = Buffer.from(`docr-token-${registryName}:docr-token-${registryName}`).toString(
    "base64",
  );
  return JSON.stringify({ auths: { "registry.digitalocean.com": { auth } } });
}

// A pull secret that cannot pull: the kubelet reads image pull credentials only from a Secret of
// type kubernetes.io/dockerconfigjson (key .dockerconfigjson) or the older kubernetes.io/dockercfg
// (key .dockercfg), and skips any other Secret without a word (kubernetes
// pkg/credentialprovider/secrets/secrets.go, MakeDockerKeyring), so the pull fails with
// `401 Unauthorized` and the pod sits in ImagePullBackOff. The program's RegistryPullSecret makes
// the first kind (components/RegistryPullSecret.ts). A Secret the program does not declare is not
// judged: it may exist in the cluster.

import {
  PackResource,
  Violation,
  arrayOf,
  at,
  describe,
  objectsByName,
  podSpecs,
  referencedName,
  stringAt,
} from "../kubernetesObjects";

export const NAME = "pull-secret-is-dockerconfigjson";

/** The Secret types the kubelet takes registry credentials from. */
export const PULL_SECRET_TYPES: readonly string[] = [
  "kubernetes.io/dockerconfigjson",
  "kubernetes.io/dockercfg",
];

export function pullSecretViolations(resources: readonly PackResource[]): Violation[] {
  const secrets = objectsByName(resources, "kubernetes:core/v1:Secret");
  const violations: Violation[] = [];
  for (const pod of podSpecs(resources)) {
    arrayOf(at(pod.spec, "imagePullSecrets")).forEach((reference, index) => {
      const name = stringAt(reference, "name");
      const secret = name === undefined ? undefined : secrets.get(referencedName(pod, name));
      // A Secret without a type is Opaque (the API server's default).
      const type = secret && (at(secret.props, "type") ?? "Opaque");
      if (secret === undefined || typeof type !== "string" || PULL_SECRET_TYPES.includes(type)) {
        return;
      }
      violations.push({
        urn: pod.resource.urn,
        message:
          `${describe(pod.resource)} ${pod.path}.imagePullSecrets[${index}]: ${describe(secret)} ` +
          `is of type ${type}, which the kubelet does not read registry credentials from, so the ` +
          `image pull fails with 401 Unauthorized (ImagePullBackOff). Give the Secret type ` +
          `kubernetes.io/dockerconfigjson and its credentials under the key .dockerconfigjson ` +
          `({"auths":{"SERVER":{"username":...,"password":...,"auth":...}}}).`,
      });
    });
  }
  return violations;
}

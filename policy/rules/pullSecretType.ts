// A pull secret that cannot pull: the kubelet reads image pull credentials only from a Secret of
// type kubernetes.io/dockerconfigjson (key .dockerconfigjson) or the older kubernetes.io/dockercfg
// (key .dockercfg), and skips any other Secret without a word (kubernetes v1.37.2
// pkg/credentialprovider/secrets/secrets.go, secretsToTrackedDockerConfigs), so the pull fails
// with `401 Unauthorized` and the pod sits in ImagePullBackOff. A ServiceAccount's
// imagePullSecrets are added to every pod that runs as it, so they are judged too. The program's RegistryPullSecret makes
// the first kind (components/RegistryPullSecret.ts). A Secret the program does not declare is not
// judged: it may exist in the cluster.

import {
  PackResource,
  Violation,
  describe,
  itemsOf,
  objectsByName,
  podSpecs,
  referencedName,
  stringValueAt,
  valueAt,
} from "../kubernetesObjects";

export const NAME = "pull-secret-is-dockerconfigjson";

/** The Secret types the kubelet takes registry credentials from. */
export const PULL_SECRET_TYPES: readonly string[] = [
  "kubernetes.io/dockerconfigjson",
  "kubernetes.io/dockercfg",
];

/** Where a list of pull secrets is: a pod spec's, or a ServiceAccount's, which its pods get. */
interface PullSecretList {
  readonly resource: PackResource;
  readonly field: string;
  readonly list: unknown;
  /** `namespace/name` of a Secret the list names. */
  readonly secretName: (name: string) => string | undefined;
}

export function pullSecretViolations(resources: readonly PackResource[]): Violation[] {
  const secrets = objectsByName(resources, "kubernetes:core/v1:Secret");
  const lists: PullSecretList[] = [
    ...podSpecs(resources).map((pod) => ({
      resource: pod.resource,
      field: `${pod.path}.imagePullSecrets`,
      list: valueAt(pod.spec, "imagePullSecrets"),
      secretName: (name: string) => referencedName(pod, name),
    })),
    ...[...objectsByName(resources, "kubernetes:core/v1:ServiceAccount")].map(([key, account]) => ({
      resource: account,
      field: "imagePullSecrets",
      list: valueAt(account.props, "imagePullSecrets"),
      secretName: (name: string) => `${key.slice(0, key.indexOf("/"))}/${name}`,
    })),
  ];
  const violations: Violation[] = [];
  for (const { resource, field, list, secretName } of lists) {
    for (const { item, index } of itemsOf(list)) {
      const name = stringValueAt(item, "name");
      const key = name === undefined ? undefined : secretName(name);
      const secret = key === undefined ? undefined : secrets.get(key);
      // A Secret without a type is Opaque (the API server's default); one not known yet is not judged.
      const type = secret && (valueAt(secret.props, "type") ?? "Opaque");
      if (secret === undefined || typeof type !== "string" || PULL_SECRET_TYPES.includes(type)) {
        continue;
      }
      violations.push({
        urn: resource.urn,
        message:
          `${describe(resource)} ${field}[${index}]: ${describe(secret)} is of type ${type}, ` +
          `which the kubelet does not read registry credentials from, so the image pull fails ` +
          `with 401 Unauthorized (ImagePullBackOff). Give the Secret type ` +
          `kubernetes.io/dockerconfigjson and its credentials under the key .dockerconfigjson ` +
          `({"auths":{"SERVER":{"username":...,"password":...,"auth":...}}}).`,
      });
    }
  }
  return violations;
}

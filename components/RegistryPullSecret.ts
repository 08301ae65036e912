import { ContainerRegistryDockerCredentials } from "@pulumi/digitalocean/containerRegistryDockerCredentials";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { dockerConfigJson } from "../lib/dockerConfig";
import { OWNED_OBJECT_ANNOTATIONS } from "../lib/ownership";

/**
 * The type of registry login the kubelet reads from `imagePullSecrets` (the other, legacy one is
 * `kubernetes.io/dockercfg`); an `Opaque` Secret there is ignored and the pull fails with 401.
 * Fixed here, not an argument, so it cannot be wrong.
 */
const PULL_SECRET_TYPE = "kubernetes.io/dockerconfigjson";
const PULL_SECRET_KEY = ".dockerconfigjson";

/** A registry login: user name and token (GHCR: a classic token with `read:packages`). */
export interface RegistryLogin {
  readonly username: pulumi.Input<string>;
  /** The token or password; kept secret. */
  readonly password: pulumi.Input<string>;
}

/** A ready `.dockerconfigjson` document; kept secret. */
export interface DockerConfigDocument {
  readonly dockerConfigJson: pulumi.Input<string>;
}

/** Read-only credentials for a DigitalOcean Container Registry, created with the pull secret. */
export interface DocrCredentials {
  /** Name of the registry, e.g. `acme` for registry.digitalocean.com/acme. */
  readonly docrRegistryName: string;
  /** Lifetime of the credentials; changing it issues new ones. */
  readonly expirySeconds: number;
}

export interface RegistryPullSecretArgs {
  /** Namespace the pull secret lives in (the Deployment's). */
  readonly namespace: pulumi.Input<string>;
  /** Registry host the credentials are for, e.g. `ghcr.io`. */
  readonly server: string;
  /** The credentials: a login, a ready dockerconfig document, or DOCR credentials to create. */
  readonly credentials: RegistryLogin | DockerConfigDocument | DocrCredentials;
  /** Name of the Kubernetes Secret. @default the component's name */
  readonly secretName?: string;
  /** Labels of the Secret. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The image pull secret named in the Deployment's `imagePullSecrets`. */
export class RegistryPullSecret extends pulumi.ComponentResource {
  /** Name of the Kubernetes Secret. */
  public readonly secretName: pulumi.Output<string>;

  constructor(name: string, args: RegistryPullSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super("task-api:k8s:RegistryPullSecret", name, {}, opts);

    const document = dockerConfigDocument(name, args, this);

    const secret = new corev1.Secret(
      name,
      {
        metadata: {
          name: args.secretName ?? name,
          namespace: args.namespace,
          labels: { ...args.labels },
          annotations: { ...OWNED_OBJECT_ANNOTATIONS },
        },
        type: PULL_SECRET_TYPE,
        data: pulumi.secret(
          document.apply((json) => ({
            [PULL_SECRET_KEY]: Buffer.from(json, "utf8").toString("base64"),
          })),
        ),
      },
      { parent: this },
    );

    this.secretName = secret.metadata.name;
    this.registerOutputs({ secretName: this.secretName });
  }
}

function dockerConfigDocument(
  name: string,
  { server, credentials }: RegistryPullSecretArgs,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  if ("dockerConfigJson" in credentials) {
    return pulumi.output(credentials.dockerConfigJson);
  }
  if ("docrRegistryName" in credentials) {
    // `write: false`: the cluster can pull, never push. The provider renews credentials it finds
    // expired when it reads them (terraform-provider-digitalocean, updateExpiredDockerCredentials),
    // i.e. on `pulumi up --refresh`; a changed expirySeconds issues new ones at once.
    return new ContainerRegistryDockerCredentials(
      name,
      {
        registryName: credentials.docrRegistryName,
        write: false,
        expirySeconds: credentials.expirySeconds,
      },
      { parent },
    ).dockerCredentials; // already the dockerconfig JSON, and secret in the provider's schema
  }
  return pulumi
    .all([credentials.username, credentials.password])
    .apply(([username, password]) => dockerConfigJson({ server, username, password }));
}

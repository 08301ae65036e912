import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { dockerConfigJson } from "../lib/dockerConfig";

/**
 * The only type the kubelet accepts in `imagePullSecrets` for registry logins; an `Opaque` Secret
 * there is ignored and the pull fails with 401. Fixed here, not an argument, so it cannot be wrong.
 */
const PULL_SECRET_TYPE = "kubernetes.io/dockerconfigjson";
const PULL_SECRET_KEY = ".dockerconfigjson";

/** A registry login: user name and token (GHCR: a classic token with `read:packages`). */
export interface RegistryLogin {
  readonly username: pulumi.Input<string>;
  /** The token or password; kept secret. */
  readonly password: pulumi.Input<string>;
}

/** A ready `.dockerconfigjson` document, e.g. DigitalOcean's `dockerCredentials`; kept secret. */
export interface DockerConfigDocument {
  readonly dockerConfigJson: pulumi.Input<string>;
}

export interface RegistryPullSecretArgs {
  /** Namespace the pull secret lives in (the Deployment's). */
  readonly namespace: pulumi.Input<string>;
  /** Registry host the credentials are for, e.g. `ghcr.io`. */
  readonly server: string;
  /** The credentials: a login, or a ready dockerconfig document. */
  readonly credentials: RegistryLogin | DockerConfigDocument;
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

    const document =
      "dockerConfigJson" in args.credentials
        ? pulumi.output(args.credentials.dockerConfigJson)
        : pulumi
            .all([args.credentials.username, args.credentials.password])
            .apply(([username, password]) =>
              dockerConfigJson({ server: args.server, username, password }),
            );

    const secret = new k8s.core.v1.Secret(
      name,
      {
        metadata: {
          name: args.secretName ?? name,
          namespace: args.namespace,
          labels: { ...args.labels },
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

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { secretChecksum } from "../lib/checksum";
import { OWNED_OBJECT_ANNOTATIONS } from "../lib/ownership";

/** Always Opaque: the app's settings. Pull secrets have their own component and type. */
const SECRET_TYPE = "Opaque";

/** Characters of the checksum key (letters and digits). */
export const CHECKSUM_KEY_LENGTH = 64;

export interface AppSecretArgs {
  /** Namespace the Secret lives in. */
  readonly namespace: pulumi.Input<string>;
  /** The app's secret settings by name; every value is kept secret, whatever is passed. */
  readonly data: Readonly<Record<string, pulumi.Input<string>>>;
  /** Name of the Kubernetes Secret. @default the component's name, e.g. `task-api-secrets` */
  readonly secretName?: string;
  /** Labels of the Secret. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The app's secret settings (layer 3) as an `Opaque` Secret, consumed by the Deployment through
 * `envFrom.secretRef`, and a checksum of its data that is safe to show in a pod annotation.
 */
export class AppSecret extends pulumi.ComponentResource {
  /** Name of the Kubernetes Secret. */
  public readonly secretName: pulumi.Output<string>;
  /** HMAC-SHA256 of the data under a per-stack random key: changes with the data, reveals nothing. */
  public readonly checksum: pulumi.Output<string>;

  constructor(name: string, args: AppSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super("task-api:k8s:AppSecret", name, {}, opts);

    const data = pulumi.secret(pulumi.output(args.data));

    // The key lives in state as a secret and never changes unless this resource is replaced, so
    // the checksum changes exactly when the data does. A RandomPassword, never a RandomBytes:
    // pulumi-random makes a RandomBytes' id its base64 value (provider/resources.go,
    // computeRandomBytesID), and ids are kept in plaintext in state; a RandomPassword's id is
    // "none" (terraform-provider-random, resource_password.go). 64 letters and digits: 381 bits.
    // `pulumi.secret` because the provider's additionalSecretOutputs are applied by the engine,
    // not by the SDK.
    const checksumKey = new random.RandomPassword(
      `${name}-checksum-key`,
      { length: CHECKSUM_KEY_LENGTH, special: false },
      { parent: this },
    );

    const secret = new k8s.core.v1.Secret(
      name,
      {
        metadata: {
          name: args.secretName ?? name,
          namespace: args.namespace,
          labels: { ...args.labels },
          annotations: { ...OWNED_OBJECT_ANNOTATIONS },
        },
        type: SECRET_TYPE,
        // `data` rather than `stringData`: the API server folds stringData into data, and diffs
        // and key removals behave predictably only on data (pulumi-kubernetes #2507, #2513;
        // kubernetes #89938).
        data: data.apply((values) =>
          Object.fromEntries(
            Object.entries(values).map(([key, value]) => [
              key,
              Buffer.from(value, "utf8").toString("base64"),
            ]),
          ),
        ),
      },
      { parent: this },
    );

    this.secretName = secret.metadata.name;
    // Made non-secret on purpose: a reviewer must see "checksum changed" in a preview diff, and a
    // secret annotation would turn the whole Deployment spec secret (the real engine keeps
    // that spec readable in state: e2e/scenarios.e2e.test.ts, "a changed secret value ...").
    this.checksum = pulumi.unsecret(
      pulumi
        .all([pulumi.secret(checksumKey.result), data])
        .apply(([key, values]) => secretChecksum(key, SECRET_TYPE, values)),
    );

    this.registerOutputs({ secretName: this.secretName, checksum: this.checksum });
  }
}

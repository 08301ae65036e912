import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { secretChecksum } from "../lib/checksum";
import {
  GENERATED_SECRETS_ANNOTATION,
  GeneratedSecret,
  generatedSecretsAnnotation,
} from "../lib/generatedSecrets";
import { OWNED_OBJECT_ANNOTATIONS } from "../lib/ownership";
import { secretData } from "../lib/secretData";

/** Always Opaque: the app's settings. Pull secrets have their own component and type. */
const SECRET_TYPE = "Opaque";

/** Characters of the checksum key (letters and digits). */
export const CHECKSUM_KEY_LENGTH = 64;

export interface AppSecretArgs {
  /** Namespace the Secret lives in. */
  readonly namespace: pulumi.Input<string>;
  /** The app's secret settings by name; every value is kept secret, whatever is passed. */
  readonly data: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Secrets the component makes, by name, beside `data` in the same Secret; a name in both is
   * refused (ConfiguredApp checks it). @default {}
   */
  readonly generated?: Readonly<Record<string, GeneratedSecret>>;
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
  /** That key, secret: the file sets' checksums use it too (SecretFileSet.ts). */
  public readonly checksumKey: pulumi.Output<string>;

  constructor(name: string, args: AppSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super("task-api:k8s:AppSecret", name, {}, opts);

    const generated = args.generated ?? {};
    const data = pulumi.secret(
      pulumi
        .all([pulumi.output(args.data), generatedValues(name, generated, this)])
        .apply(([typed, made]) => ({ ...typed, ...made })),
    );

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

    const secret = new corev1.Secret(
      name,
      {
        metadata: {
          name: args.secretName ?? name,
          namespace: args.namespace,
          labels: { ...args.labels },
          annotations: {
            ...OWNED_OBJECT_ANNOTATIONS,
            ...(Object.keys(generated).length === 0
              ? {}
              : { [GENERATED_SECRETS_ANNOTATION]: generatedSecretsAnnotation(generated) }),
          },
        },
        type: SECRET_TYPE,
        data: data.apply(secretData),
      },
      { parent: this },
    );

    this.secretName = secret.metadata.name;
    this.checksumKey = pulumi.secret(checksumKey.result);
    // Made non-secret on purpose: a reviewer must see "checksum changed" in a preview diff, and a
    // secret annotation would turn the whole Deployment spec secret (the real engine keeps
    // that spec readable in state: e2e/scenarios.e2e.test.ts, "a changed secret value ...").
    this.checksum = pulumi.unsecret(
      pulumi
        .all([this.checksumKey, data])
        .apply(([key, values]) => secretChecksum(key, SECRET_TYPE, values)),
    );

    this.registerOutputs({ secretName: this.secretName, checksum: this.checksum });
  }
}

/**
 * One RandomPassword per generated secret, letters and digits only (`special: false`): safe in an
 * env var, a header or a URL without escaping. Never a RandomBytes, whose id is its value in
 * plaintext in state (see the checksum key above). `keepers` is upstream's way to ask for a new
 * value: any change of it replaces the resource (terraform-provider-random,
 * resource_password.go, `keepers`: "Arbitrary map of values that, when changed, will trigger
 * recreation of resource"), and so does a change of `length`; nothing else makes a new value. The
 * rotation is always a keeper, "" when never rotated, so that setting it and removing it are both
 * a change. The resource's name is the secret's: renaming a secret makes a new one.
 */
function generatedValues(
  name: string,
  generated: Readonly<Record<string, GeneratedSecret>>,
  parent: pulumi.Resource,
): pulumi.Output<Record<string, string>> {
  const values = Object.entries(generated).map(([secretName, { length, rotation }]) => {
    const password = new random.RandomPassword(
      `${name}-generated-${secretName}`,
      { length, special: false, keepers: { rotation } },
      { parent },
    );
    return pulumi.secret(password.result).apply((value) => [secretName, value] as const);
  });
  return pulumi.all(values).apply((entries) => Object.fromEntries(entries));
}

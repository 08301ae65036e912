import { createHash } from "node:crypto";
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
 * One RandomPassword per generated secret and rotation, letters and digits only (`special:
 * false`): safe in an env var, a header or a URL without escaping. Never a RandomBytes, whose id is
 * its value in plaintext in state (see the checksum key above).
 *
 * A value is its resource's: `keepers` is upstream's way to ask for a new one, and any change of
 * it replaces the resource (terraform-provider-random, resource_password.go, `keepers`:
 * "Arbitrary map of values that, when changed, will trigger recreation of resource"), as does a
 * change of `length`; nothing else makes a new value. So that the value of one rotation can
 * outlive the next (issue 25: `previousRotation`), each rotation has a resource of its own, named
 * after it (`…-generated-NAME@ROTATION`; the never-rotated one, and every resource before this
 * scheme, `…-generated-NAME`): rotating makes the new rotation's resource and, unless its value is
 * kept as the previous one, deletes the old one; retiring deletes it. The first rotation's
 * resource takes over the one named without a rotation (an alias), so that stacks made before
 * keep their values. A previous value's resource ignores `length`: lengthening the secret at a
 * rotation must not remake the old value.
 */
function generatedValues(
  name: string,
  generated: Readonly<Record<string, GeneratedSecret>>,
  parent: pulumi.Resource,
): pulumi.Output<Record<string, string>> {
  const values = Object.entries(generated).flatMap(([secretName, secret]) => {
    const unrotated = `${name}-generated-${secretName}`;
    const password = (rotation: string, { aliased = false, previous = false }) =>
      new random.RandomPassword(
        rotation === "" ? unrotated : `${unrotated}@${rotationSlug(rotation)}`,
        { length: secret.length, special: false, keepers: { rotation } },
        {
          parent,
          ...(aliased && rotation !== "" ? { aliases: [{ name: unrotated }] } : {}),
          ...(previous ? { ignoreChanges: ["length"] } : {}),
        },
      );
    // The resource that held the value before: the kept one if any, else the current one.
    const current = password(secret.rotation, { aliased: secret.previous === undefined });
    const made: [string, random.RandomPassword][] = [[secretName, current]];
    if (secret.previous !== undefined) {
      made.push([
        secret.previous.name,
        password(secret.previous.rotation, { aliased: true, previous: true }),
      ]);
    }
    return made.map(([variable, resource]) =>
      pulumi.secret(resource.result).apply((value) => [variable, value] as const),
    );
  });
  return pulumi.all(values).apply((entries) => Object.fromEntries(entries));
}

/** A rotation label as part of a resource name: as it is when plain, else a digest of it. */
function rotationSlug(rotation: string): string {
  return /^[A-Za-z0-9._-]{1,64}$/.test(rotation)
    ? rotation
    : createHash("sha256").update(rotation, "utf8").digest("hex").slice(0, 16);
}

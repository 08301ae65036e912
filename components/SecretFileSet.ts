import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { secretChecksum } from "../lib/checksum";
import { OWNED_OBJECT_ANNOTATIONS } from "../lib/ownership";
import { secretData } from "../lib/secretData";
import {
  CertificateFacts,
  FileSetType,
  SECRET_FILES_ANNOTATION,
  SecretFileSet as FileSetSpec,
  fileSetNames,
  secretFilesAnnotation,
} from "../lib/secretFiles";
import type { FileMount } from "./AppDeployment";

/** A file set as an app declares it, with its contents and, for TLS, its certificate's facts. */
export interface FileSetArgs extends FileSetSpec {
  readonly contents: Readonly<Record<string, pulumi.Input<string>>>;
  readonly certificate?: CertificateFacts;
}

export interface SecretFileSetArgs {
  readonly namespace: pulumi.Input<string>;
  /** Name of the Kubernetes Secret, e.g. `task-api-files-tls`. */
  readonly secretName: string;
  /** `Opaque`, or `kubernetes.io/tls` with tls.crt and tls.key. */
  readonly type: FileSetType;
  /** File name → content; every content is kept secret, whatever is passed. */
  readonly files: Readonly<Record<string, pulumi.Input<string>>>;
  /** The per-stack HMAC key of the app's Secret (AppSecret.checksumKey), secret. */
  readonly checksumKey: pulumi.Input<string>;
  /** What the set is, without content (lib/secretFiles.ts, SECRET_FILES_ANNOTATION). */
  readonly annotations: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * One set of files an app reads from a directory: a Secret of its own (the pod mounts it whole,
 * AppDeployment.ts), and a checksum of its data that is safe in a pod annotation, for a set that
 * asks for a rollout when it changes.
 */
export class SecretFileSet extends pulumi.ComponentResource {
  public readonly secretName: pulumi.Output<string>;
  /** HMAC-SHA256 of type and files under the stack's checksum key: says "changed", nothing more. */
  public readonly checksum: pulumi.Output<string>;

  constructor(name: string, args: SecretFileSetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("task-api:k8s:SecretFileSet", name, {}, opts);

    const files = pulumi.secret(pulumi.output(args.files));
    const secret = new corev1.Secret(
      name,
      {
        metadata: {
          name: args.secretName,
          namespace: args.namespace,
          labels: { ...args.labels },
          annotations: { ...OWNED_OBJECT_ANNOTATIONS, ...args.annotations },
        },
        type: args.type,
        data: files.apply(secretData),
      },
      { parent: this },
    );

    this.secretName = secret.metadata.name;
    // Not secret, as AppSecret's checksum is not: a reviewer must see it change in a preview.
    this.checksum = pulumi.unsecret(
      pulumi
        .all([pulumi.secret(args.checksumKey), files])
        .apply(([key, values]) => secretChecksum(key, args.type, values)),
    );
    this.registerOutputs({ secretName: this.secretName, checksum: this.checksum });
  }
}

/** A SecretFileSet per set, as children of `parent`, and how the Deployment mounts each. */
export function mountFileSets(
  appName: string,
  sets: readonly FileSetArgs[],
  common: Pick<SecretFileSetArgs, "namespace" | "checksumKey" | "labels">,
  parent: pulumi.Resource,
): FileMount[] {
  return sets.map((set) => {
    const names = fileSetNames(appName, set.name);
    const component = new SecretFileSet(
      names.secretName,
      {
        ...common,
        secretName: names.secretName,
        type: set.type,
        files: set.contents,
        annotations: { [SECRET_FILES_ANNOTATION]: secretFilesAnnotation(set, set.certificate) },
      },
      { parent },
    );
    return {
      volumeName: names.volumeName,
      secretName: component.secretName,
      mountPath: set.mountPath,
      checksum: set.restartOnChange
        ? { annotation: names.checksumAnnotation, value: component.checksum }
        : undefined,
    };
  });
}

// Secrets delivered as files (`task-api:secretFiles`): what a file set is, how it is mounted, and
// the annotation on its Secret that says so without any content, for a reviewer (npm run render,
// env) and for `kubectl describe secret`.

import { isPlainObject } from "./values";

export const TLS_TYPE = "kubernetes.io/tls";
export type FileSetType = "Opaque" | typeof TLS_TYPE;
/** The keys a kubernetes.io/tls Secret must have (kubernetes, pkg/apis/core/types.go, TLSCertKey). */
export const TLS_FILES = ["tls.crt", "tls.key"] as const;

/**
 * The mode of every mounted file. The kubelet writes secret-volume files as root and, with the
 * pod's fsGroup, gives them that group and ORs the mode with 0440 (kubernetes,
 * pkg/volume/volume_linux.go: roMask 0440, Lchown(-1, fsGroup)); our pods run as uid and gid 10001
 * with fsGroup 10001 (components/AppDeployment.ts), so the app reads its files through the group
 * bits and nothing else can. 0400 would end up 0440 all the same; 0440 says what the file will be,
 * and is the mode of Kubernetes' own conformance test for this case (test/e2e/common/storage/
 * secrets_volume.go, "volume mode 0440, fsGroup"). No bit for others.
 */
export const FILE_MODE = 0o440;

/** One set of files: its own Secret, mounted read-only as a whole at `mountPath`. */
export interface SecretFileSet {
  readonly name: string;
  readonly type: FileSetType;
  readonly mountPath: string;
  /** File names, which are the Secret's keys; for TLS always tls.crt and tls.key. */
  readonly files: readonly string[];
  /** Roll the pods when the files change; by default the kubelet refreshes them in place. */
  readonly restartOnChange: boolean;
}

/** What a certificate tells anyone it is shown to: not secret. */
export interface CertificateFacts {
  /** RDNs, newline-separated as Node's X509Certificate gives them. */
  readonly subject: string;
  /** ISO 8601, UTC. */
  readonly expires: string;
}

/** On each file set's Secret: JSON of {mountPath, files, restartOnChange, certificate?}. */
export const SECRET_FILES_ANNOTATION = "task-api/secret-files";

export interface FileSetDescription {
  readonly mountPath: string;
  readonly files: readonly string[];
  readonly restartOnChange: boolean;
  readonly certificate?: CertificateFacts;
}

export function secretFilesAnnotation(set: SecretFileSet, certificate?: CertificateFacts): string {
  const description: FileSetDescription = {
    mountPath: set.mountPath,
    files: [...set.files].sort(),
    restartOnChange: set.restartOnChange,
    ...(certificate ? { certificate } : {}),
  };
  return JSON.stringify(description);
}

/** The description an annotation holds, or undefined if there is none or it is unreadable. */
export function parseSecretFilesAnnotation(
  text: string | undefined,
): FileSetDescription | undefined {
  if (text === undefined) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) && typeof value.mountPath === "string"
      ? (value as unknown as FileSetDescription)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The prefixes of a set's pod volume and pod template checksum, followed by its name. */
export const FILE_SET_VOLUME_PREFIX = "files-";
export const FILE_SET_CHECKSUM_PREFIX = "checksum/files-";

/** Names derived from the set's: its Secret, its pod volume and its pod template checksum. */
export function fileSetNames(appName: string, set: string) {
  return {
    secretName: `${appName}-files-${set}`,
    volumeName: `${FILE_SET_VOLUME_PREFIX}${set}`,
    checksumAnnotation: `${FILE_SET_CHECKSUM_PREFIX}${set}`,
  };
}

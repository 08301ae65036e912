// The files a container gets from secret volumes (task-api:secretFiles), read off rendered
// objects: where each set is mounted, its files, mode and type, and for TLS the certificate's
// subject and expiry (from the Secret's annotation, lib/secretFiles.ts), never any content.

import type { IContainer } from "kubernetes-models/v1/Container";
import { SECRET_FILES_ANNOTATION, parseSecretFilesAnnotation } from "../../lib/secretFiles";
import { KubernetesObject } from "../render/manifests";
import { DeploymentObject, SecretObject } from "../render/workloads";

export interface MountedFileSet {
  readonly mountPath: string;
  readonly secretName: string;
  readonly type: string;
  readonly files: readonly string[];
  /** Octal, e.g. `0440`. */
  readonly mode: string;
  readonly readOnly: boolean;
  /** `CN=... , expires YYYY-MM-DD`, or why it is not known; undefined for a set without one. */
  readonly certificate?: string;
  /** Whether a change rolls the pods (a checksum annotation) or is refreshed in place. */
  readonly restartOnChange: boolean;
}

/** The secret volumes `container` mounts, by mount path. */
export function mountedFiles(
  deployment: DeploymentObject,
  container: IContainer,
  objects: readonly KubernetesObject[],
): MountedFileSet[] {
  const volumes = deployment.spec?.template.spec?.volumes ?? [];
  const namespace = deployment.metadata.namespace;
  return (container.volumeMounts ?? []).flatMap((mount) => {
    const source = volumes.find((v) => v.name === mount.name)?.secret;
    if (source === undefined) {
      return [];
    }
    const secretName = source.secretName ?? "";
    const secret = objects.find(
      (o) =>
        o.kind === "Secret" && o.metadata.name === secretName && o.metadata.namespace === namespace,
    ) as SecretObject | undefined;
    const description = parseSecretFilesAnnotation(
      secret?.metadata.annotations?.[SECRET_FILES_ANNOTATION],
    );
    const certificate = description?.certificate as unknown;
    return [
      {
        mountPath: mount.subPath
          ? `${mount.mountPath} (subPath ${mount.subPath})`
          : mount.mountPath,
        secretName,
        type: secret?.type ?? "Opaque",
        files: Object.keys(secret?.data ?? {}).sort(),
        mode: `0${(source.defaultMode ?? 0o644).toString(8)}`,
        readOnly: mount.readOnly === true,
        certificate:
          typeof certificate === "string"
            ? certificate
            : description?.certificate
              ? `${description.certificate.subject.replace(/\n/g, ", ")}, expires ${description.certificate.expires.slice(0, 10)}`
              : undefined,
        restartOnChange: description?.restartOnChange ?? false,
      },
    ];
  });
}

/** One line per set, for `npm run env` and its diff. */
export function formatMountedFiles(sets: readonly MountedFileSet[]): string[] {
  return sets.map(
    (set) =>
      `${set.mountPath}: ${set.files.join(", ")} from Secret ${set.secretName} (${set.type}), ` +
      `mode ${set.mode}${set.readOnly ? ", read-only" : ""}` +
      (set.certificate ? `; certificate ${set.certificate}` : "") +
      (set.restartOnChange ? "; a change rolls the pods" : "; refreshed in place, no restart"),
  );
}

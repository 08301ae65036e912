// `checksum/secret` offline. The real annotation is an HMAC of the Secret's data under a per-stack
// key that lives only in state, so no offline render can show it. The render runs the real code
// anyway (the mocked RandomBytes returns a fixed key, so the program computes an HMAC as it always
// does), then shows, in place of that meaningless digest, a marked placeholder computed from what a
// render does know: the names of the keys of the Secrets the pod template reads, and for the
// secrets the program generates their length and rotation (lib/generatedSecrets.ts). It changes
// when a secret is added, removed or renamed, and when a generated one is made anew; a changed
// typed secret value shows only on `pulumi preview`.

import { createHash } from "node:crypto";
import { SECRET_CHECKSUM_ANNOTATION } from "../../lib/checksum";
import { FILE_SET_CHECKSUM_PREFIX, FILE_SET_VOLUME_PREFIX } from "../../lib/secretFiles";
import {
  GENERATED_SECRETS_ANNOTATION,
  GeneratedSecret,
  generatedSecretsAnnotation,
  parseGeneratedSecretsAnnotation,
} from "../../lib/generatedSecrets";
import { KubernetesObject } from "./manifests";
import { DeploymentObject, containersOf, envFromSources, isDeployment } from "./workloads";

/**
 * `[secret-checksum:<first 16 hex of SHA-256 of the sorted key names>]`, and of the generated
 * secrets' lengths and rotations when there are any (a new rotation is a new value).
 */
export function secretChecksumPlaceholder(
  secretKeys: readonly string[],
  generated: Readonly<Record<string, GeneratedSecret>> = {},
): string {
  const names = [...new Set(secretKeys)].sort();
  const text =
    Object.keys(generated).length === 0
      ? JSON.stringify(names)
      : JSON.stringify({ names, generated: generatedSecretsAnnotation(generated) });
  const digest = createHash("sha256").update(text).digest("hex");
  return `[secret-checksum:${digest.slice(0, 16)}]`;
}

/** `objects` with each Deployment's `checksum/secret` replaced by its placeholder. */
export function withSecretChecksumPlaceholders(
  objects: readonly KubernetesObject[],
): KubernetesObject[] {
  return objects.map((object) => {
    const annotations = isDeployment(object)
      ? object.spec?.template.metadata?.annotations
      : undefined;
    if (!isDeployment(object) || annotations?.[SECRET_CHECKSUM_ANNOTATION] === undefined) {
      return object;
    }
    const template = object.spec?.template;
    const fileChecksums = Object.fromEntries(
      Object.keys(annotations)
        .filter((name) => name.startsWith(FILE_SET_CHECKSUM_PREFIX))
        .map((name) => [name, secretChecksumPlaceholder(mountedKeys(object, objects, name))]),
    );
    return {
      ...object,
      spec: {
        ...object.spec,
        template: {
          ...template,
          metadata: {
            ...template?.metadata,
            annotations: {
              ...annotations,
              [SECRET_CHECKSUM_ANNOTATION]: secretChecksumPlaceholder(
                secretKeysRead(object, objects),
                generatedSecretsRead(object, objects),
              ),
              ...fileChecksums,
            },
          },
        },
      },
    };
  });
}

/** The data keys of the Secret mounted as the volume of a `checksum/files-SET` annotation (lib/secretFiles.ts). */
function mountedKeys(
  deployment: DeploymentObject,
  objects: readonly KubernetesObject[],
  annotation: string,
): string[] {
  const volume = `${FILE_SET_VOLUME_PREFIX}${annotation.slice(FILE_SET_CHECKSUM_PREFIX.length)}`;
  const secretName = deployment.spec?.template.spec?.volumes?.find((v) => v.name === volume)?.secret
    ?.secretName;
  const secret = objects.find(
    (o) =>
      o.kind === "Secret" &&
      o.metadata.name === secretName &&
      o.metadata.namespace === deployment.metadata.namespace,
  );
  return Object.keys((secret?.data as Record<string, string> | undefined) ?? {});
}

/** The data keys of every Secret the Deployment's containers read through `envFrom`. */
export function secretKeysRead(
  deployment: DeploymentObject,
  objects: readonly KubernetesObject[],
): string[] {
  return containersOf(deployment).flatMap((container) =>
    envFromSources(deployment, container, objects).flatMap((source) =>
      source.kind === "Secret" ? Object.keys(source.object?.data ?? {}) : [],
    ),
  );
}

/** The generated secrets (lib/generatedSecrets.ts) of every Secret the Deployment reads. */
export function generatedSecretsRead(
  deployment: DeploymentObject,
  objects: readonly KubernetesObject[],
): Record<string, GeneratedSecret> {
  const found: Record<string, GeneratedSecret> = {};
  for (const container of containersOf(deployment)) {
    for (const source of envFromSources(deployment, container, objects)) {
      if (source.kind === "Secret") {
        const annotations = source.object?.metadata?.annotations;
        Object.assign(
          found,
          parseGeneratedSecretsAnnotation(annotations?.[GENERATED_SECRETS_ANNOTATION]),
        );
      }
    }
  }
  return found;
}

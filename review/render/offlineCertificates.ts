// An offline render's TLS file sets hold the placeholder pair (engine/offlineCertificate.ts), so
// the program describes the placeholder's certificate on the Secret; the render shows, in its
// place, that the stack's certificate is encrypted. Subject and expiry of the real one show on
// `pulumi preview --diff`, or in a render whose stack file is decrypted (the tests').

import { SECRET_FILES_ANNOTATION, parseSecretFilesAnnotation } from "../../lib/secretFiles";
import { PLACEHOLDER_CERTIFICATE_SUBJECT } from "../engine/offlineCertificate";
import { KubernetesObject } from "./manifests";

export const ENCRYPTED_CERTIFICATE =
  "[encrypted in the stack file: pulumi preview shows its subject and expiry]";

/** `objects` with each placeholder certificate's description replaced by ENCRYPTED_CERTIFICATE. */
export function withOfflineCertificateMarks(
  objects: readonly KubernetesObject[],
): KubernetesObject[] {
  return objects.map((object) => {
    const text =
      object.kind === "Secret" ? object.metadata.annotations?.[SECRET_FILES_ANNOTATION] : undefined;
    const description = parseSecretFilesAnnotation(text);
    if (description?.certificate?.subject !== PLACEHOLDER_CERTIFICATE_SUBJECT) {
      return object;
    }
    const marked = JSON.stringify({ ...description, certificate: ENCRYPTED_CERTIFICATE });
    return {
      ...object,
      metadata: {
        ...object.metadata,
        annotations: { ...object.metadata.annotations, [SECRET_FILES_ANNOTATION]: marked },
      },
    };
  });
}

// The `secure:` values a stack file holds for the app's secrets and the registry token, as SHA-256
// digests of their ciphertexts. Offline nothing can be decrypted, but a ciphertext that differs
// between two versions of a stack file says the value was set again: changed, most likely (Pulumi
// encrypts with a fresh nonce, so setting the same value again also gives a new ciphertext). Only
// digests are kept, so that nothing a render returns can print a ciphertext.

import { createHash } from "node:crypto";
import { configKey } from "../../lib/config/keys";
import { isPlainObject } from "../../lib/values";
import { SECRET_CONFIG } from "../engine/programFacts";
import { StackValue, isSecureLeaf } from "../../lib/config/stackFile";

/** Config path (`secrets.DATABASE_PASSWORD`, `registryToken`) → digest of its ciphertext. */
export type CiphertextDigests = Readonly<Record<string, string>>;

export function ciphertextDigests(
  stackValues: Readonly<Record<string, StackValue>>,
): CiphertextDigests {
  const digests: Record<string, string> = {};
  const visit = (path: string, value: StackValue): void => {
    if (isSecureLeaf(value)) {
      digests[path] = createHash("sha256").update(value.secure).digest("hex");
    } else if (isPlainObject(value)) {
      Object.entries(value).forEach(([key, item]) => visit(`${path}.${key}`, item));
    }
  };
  // The keys that hold secrets are the ones whose `secure:` leaves are compared.
  SECRET_CONFIG.forEach((path) => visit(path, stackValues[configKey(path)]));
  return digests;
}

/**
 * The paths set in both versions whose ciphertexts differ, sorted. A secret added or removed is
 * left out: it adds or removes a key of the Secret, which the pod template's checksum shows.
 */
export function reencrypted(before: CiphertextDigests, after: CiphertextDigests): string[] {
  return Object.keys(after)
    .filter((path) => path in before && before[path] !== after[path])
    .sort();
}

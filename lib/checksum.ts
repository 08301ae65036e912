import { createHash, createHmac } from "node:crypto";

/** Pod template annotations that roll the pods when the data behind envFrom changes. */
export const CONFIG_CHECKSUM_ANNOTATION = "checksum/config";
export const SECRET_CHECKSUM_ANNOTATION = "checksum/secret";

/** The data of a Secret or ConfigMap as the container sees it: key → value. */
export type DataMap = Readonly<Record<string, string>>;

/**
 * The canonical bytes of an object's data: its type and its entries sorted by key, as JSON.
 * Metadata (name, labels, annotations) is left out on purpose, so renaming or relabelling an object
 * never restarts pods; key order is normalised, so reordering keys in a stack file never does either.
 */
export function canonicalData(type: string, data: DataMap): string {
  const entries = Object.keys(data)
    .sort()
    .map((key) => [key, data[key]]);
  return JSON.stringify({ type, data: entries });
}

/** `checksum/config`: SHA-256 of the ConfigMap's canonical data. Config is not secret. */
export function configChecksum(data: DataMap): string {
  return createHash("sha256").update(canonicalData("ConfigMap", data)).digest("hex");
}

/**
 * `checksum/secret`: HMAC-SHA256 of the Secret's canonical data, keyed by a per-stack random key.
 * A plain hash in a pod annotation would let anyone who can read Deployments test password guesses
 * offline; without the key the digest says nothing but "changed" (docs/configuration.md,
 * "Restarts: when pods roll, and why").
 */
export function secretChecksum(key: string, type: string, data: DataMap): string {
  return createHmac("sha256", key).update(canonicalData(type, data)).digest("hex");
}

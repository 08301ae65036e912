// What Kubernetes accepts as the data of a Secret or ConfigMap, and how it reaches the container
// (the API reference of Secret and ConfigMap: at most 1 MiB of data each; objects travel as
// UTF-8 JSON).

/** Kubernetes' limit on the data of one Secret or ConfigMap (keys plus values, in bytes). */
export const MAX_DATA_BYTES = 1024 * 1024;

/** Bytes of every key and value; counting the keys too is a little stricter than the API server. */
export function dataSize(data: Readonly<Record<string, string>>): number {
  return Object.entries(data).reduce(
    (total, [key, value]) => total + Buffer.byteLength(key) + Buffer.byteLength(value),
    0,
  );
}

// A UTF-16 surrogate without its pair: UTF-8 has no encoding for it, so it would reach the
// container as U+FFFD, silently altered (String.prototype.isWellFormed, ES2024, tests the same).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether the text survives the UTF-8 a Kubernetes object is sent in. */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

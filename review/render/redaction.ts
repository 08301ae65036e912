// Registered inputs as the engine receives them mark each secret property with Pulumi's secret
// signature. The offline renderer writes what a reviewer may read: secret values become `[secret]`,
// everything else stays as the program wrote it.

import * as pulumi from "@pulumi/pulumi";
import { isPlainObject } from "../../lib/values";

/** How a secret value is shown in rendered output. */
export const SECRET_MARK = "[secret]";

/**
 * Inputs for reading: each secret value replaced by `[secret]`. A secret map keeps its keys (the
 * names of a Secret's entries are not secret; the program writes them in the clear), a secret list
 * or scalar becomes `[secret]` as a whole. Undefined fields are dropped, as the engine drops them.
 */
export function showInputs(value: unknown, insideSecret = false): unknown {
  if (pulumi.runtime.isRpcSecret(value)) {
    return showInputs(pulumi.runtime.unwrapRpcSecret(value), true);
  }
  if (Array.isArray(value)) {
    return insideSecret ? SECRET_MARK : value.map((item) => showInputs(item, false));
  }
  if (isPlainObject(value)) {
    return mapDefined(value, (item) => showInputs(item, insideSecret));
  }
  return insideSecret ? SECRET_MARK : value;
}

/** Inputs as the API server would receive them, secrets unwrapped: for validation only. */
export function revealInputs(value: unknown): unknown {
  if (pulumi.runtime.isRpcSecret(value)) {
    return revealInputs(pulumi.runtime.unwrapRpcSecret(value));
  }
  if (Array.isArray(value)) {
    return value.map(revealInputs);
  }
  if (isPlainObject(value)) {
    return mapDefined(value, revealInputs);
  }
  return value;
}

/** The names of the top-level properties that arrived secret, e.g. a Secret's `data`. */
export function secretProperties(inputs: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(inputs)
    .filter((key) => pulumi.runtime.isRpcSecret(inputs[key]))
    .sort();
}

function mapDefined(
  value: Record<string, unknown>,
  map: (item: unknown) => unknown,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => [key, map(item)]),
  );
}

// YAML whose bytes depend only on the data: map keys in one fixed order at every level (so the
// order of keys in a stack file or in the program's code never shows up as a change), lists kept
// in order (in `envFrom` order is meaning), no line folding (so a long value changes one line).

import { Pair, isScalar, stringify } from "yaml";
import { compareCodePoints } from "../lib/values";

/** Keys a reader looks for first, in this order; all others follow in code-point order. */
const LEADING_KEYS = ["apiVersion", "kind", "metadata", "name", "namespace", "type"];

export function stableYaml(value: unknown): string {
  return stringify(value, { sortMapEntries: compareKeys, lineWidth: 0 });
}

function compareKeys(a: Pair, b: Pair): number {
  const left = keyText(a);
  const right = keyText(b);
  const rank = (key: string): number => {
    const index = LEADING_KEYS.indexOf(key);
    return index === -1 ? LEADING_KEYS.length : index;
  };
  if (rank(left) !== rank(right)) {
    return rank(left) - rank(right);
  }
  return compareCodePoints(left, right);
}

function keyText(pair: Pair): string {
  return String(isScalar(pair.key) ? pair.key.value : pair.key);
}

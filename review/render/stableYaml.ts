// YAML whose bytes depend only on the data: map keys in one fixed order at every level (so the
// order of keys in a stack file or in the program's code never shows up as a change), lists kept
// in order (in `envFrom` order is meaning), no line folding (so a long value changes one line).
// A string that a YAML 1.1 or 1.2 reader would take for something else is quoted: kubectl reads
// YAML 1.1 (sigs.k8s.io/yaml, on go-yaml), where `on`, `yes`, `n` and `12:30` are not strings.

import { Document, Pair, Scalar, isScalar, parse, stringify, visit } from "yaml";
import { compareCodePoints } from "../../lib/values";

/** Keys a reader looks for first, in this order; all others follow in code-point order. */
const LEADING_KEYS = ["apiVersion", "kind", "metadata", "name", "namespace", "type"];

export function stableYaml(value: unknown): string {
  const document = new Document(value, { sortMapEntries: compareKeys });
  visit(document, {
    Scalar(_, scalar) {
      // Multi-line text is written as a block, which no reader mistakes for another type.
      const text = scalar.value;
      if (typeof text === "string" && mustBeQuoted(text)) {
        scalar.type = Scalar.QUOTE_DOUBLE;
      }
    },
  });
  return document.toString({ lineWidth: 0 });
}

// Each answer costs two parses, and the same texts (labels, names, the image) recur in every
// object and on both sides of a diff: each text is judged once per process.
const quoted = new Map<string, boolean>();

function mustBeQuoted(text: string): boolean {
  let answer = quoted.get(text);
  if (answer === undefined) {
    answer = !text.includes("\n") && writtenPlain(text) && readsAsOtherThanString(text);
    quoted.set(text, answer);
  }
  return answer;
}

/** Whether the library, left to itself, would write this text unquoted (it quotes for YAML 1.2). */
function writtenPlain(text: string): boolean {
  return !/^['"]/.test(stringify(text));
}

/** Whether a plain (unquoted) scalar of this text would be read back as anything but this text. */
function readsAsOtherThanString(text: string): boolean {
  return (["1.1", "1.2"] as const).some((version) => {
    try {
      return parse(text, { version }) !== text;
    } catch {
      return true;
    }
  });
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

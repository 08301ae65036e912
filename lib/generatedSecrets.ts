// Secrets the program makes itself (`task-api:generatedSecrets`): what one is (a length and a
// rotation label), and the annotation on the app's Secret that names them, so that a reviewer
// (npm run render, env, diff) and anyone with `kubectl get secret` can tell which keys nobody
// typed. The annotation holds no value: only names, lengths and rotation labels.

import { compareCodePoints, isPlainObject } from "./values";

/** One generated secret: `length` letters and digits, made again when `rotation` changes. */
export interface GeneratedSecret {
  readonly length: number;
  /** Any label, e.g. a date; "" when never rotated. */
  readonly rotation: string;
}

/** Bounds of `length`, in characters of [A-Za-z0-9] (5.95 bits each: 16 are 95 bits). */
export const GENERATED_LENGTH = { min: 16, max: 256, default: 48 } as const;

/** On the app's Secret: JSON of NAME → {length, rotation}, sorted by name. */
export const GENERATED_SECRETS_ANNOTATION = "task-api/generated-secrets";

/** The annotation's value for these generated secrets, the same bytes for the same secrets. */
export function generatedSecretsAnnotation(
  generated: Readonly<Record<string, GeneratedSecret>>,
): string {
  const names = Object.keys(generated).sort(compareCodePoints);
  return JSON.stringify(
    Object.fromEntries(
      names.map((name) => [
        name,
        { length: generated[name].length, rotation: generated[name].rotation },
      ]),
    ),
  );
}

/** The generated secrets an annotation (as written by the program) names; {} if none or unreadable. */
export function parseGeneratedSecretsAnnotation(
  text: string | undefined,
): Record<string, GeneratedSecret> {
  if (text === undefined) {
    return {};
  }
  try {
    const value: unknown = JSON.parse(text);
    if (!isPlainObject(value)) {
      return {};
    }
    return Object.fromEntries(
      Object.entries(value).map(([name, spec]) => {
        const entry = isPlainObject(spec) ? spec : {};
        const rotation = typeof entry.rotation === "string" ? entry.rotation : "";
        return [name, { length: Number(entry.length), rotation }];
      }),
    );
  } catch {
    return {};
  }
}

/** How a generated secret is described where its value would be: never the value. */
export function describeGeneratedSecret(secret: GeneratedSecret): string {
  const rotation = secret.rotation === "" ? "never rotated" : `rotation "${secret.rotation}"`;
  return `generated, ${secret.length} letters and digits, ${rotation}`;
}

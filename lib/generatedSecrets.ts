// Secrets the program makes itself (`task-api:generatedSecrets`): what one is (a length, a
// rotation label, and the earlier rotation whose value it keeps, if any), and the annotation on
// the app's Secret that names them, so that a reviewer (npm run render, env, diff) and anyone
// with `kubectl get secret` can tell which keys nobody typed. The annotation holds no value: only
// names, lengths and rotation labels.

import { compareCodePoints, isPlainObject } from "./values";

/** One generated secret: `length` letters and digits, made again when `rotation` changes. */
export interface GeneratedSecret {
  readonly length: number;
  /** Any label, e.g. a date; "" when never rotated. */
  readonly rotation: string;
  /**
   * The value of an earlier rotation, kept beside the current one under another name until it is
   * retired (docs/configuration.md, "Rotation that logs nobody out"). @default none
   */
  readonly previous?: PreviousValue;
}

/** The value a generated secret had at `rotation`, delivered as the variable `name`. */
export interface PreviousValue {
  readonly rotation: string;
  readonly name: string;
}

/** The variable a previous value is delivered as, unless `previousName` says otherwise. */
export function defaultPreviousName(name: string): string {
  return `${name}_PREVIOUS`;
}

/** Every variable the generated secrets put into the Secret: each name, and each previous name. */
export function generatedVariableNames(
  generated: Readonly<Record<string, GeneratedSecret>>,
): string[] {
  return Object.entries(generated).flatMap(([name, secret]) =>
    secret.previous === undefined ? [name] : [name, secret.previous.name],
  );
}

/** Bounds of `length`, in characters of [A-Za-z0-9] (5.95 bits each: 16 are 95 bits). */
export const GENERATED_LENGTH = { min: 16, max: 256, default: 48 } as const;

/** On the app's Secret: JSON of NAME → {length, rotation, previous?}, sorted by name. */
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
        {
          length: generated[name].length,
          rotation: generated[name].rotation,
          ...(generated[name].previous === undefined ? {} : { previous: generated[name].previous }),
        },
      ]),
    ),
  );
}

/**
 * The generated secrets an annotation (as written by the program) names; {} if none or unreadable.
 * An entry without a whole positive length is left out: it could only be described wrongly.
 */
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
      Object.entries(value).flatMap(([name, spec]) => {
        const entry = isPlainObject(spec) ? spec : {};
        const length = Number(entry.length);
        if (!Number.isInteger(length) || length <= 0) {
          return [];
        }
        const rotation = typeof entry.rotation === "string" ? entry.rotation : "";
        const previous = isPlainObject(entry.previous) ? entry.previous : undefined;
        return [
          [
            name,
            {
              length,
              rotation,
              ...(typeof previous?.rotation === "string" && typeof previous.name === "string"
                ? { previous: { rotation: previous.rotation, name: previous.name } }
                : {}),
            },
          ],
        ];
      }),
    );
  } catch {
    return {};
  }
}

/** How a generated secret is described where its value would be: never the value. */
export function describeGeneratedSecret(secret: GeneratedSecret): string {
  return `generated, ${secret.length} letters and digits, ${describeRotation(secret.rotation)}`;
}

/** How a previous value is described where its value would be: whose, and of which rotation. */
export function describePreviousValue(name: string, secret: GeneratedSecret): string {
  return `previous value of ${name}, ${describeRotation(secret.previous?.rotation ?? "")}, kept until retired`;
}

function describeRotation(rotation: string): string {
  return rotation === "" ? "never rotated" : `rotation "${rotation}"`;
}

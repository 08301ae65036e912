// Two small facts about plain data, in one place for the program and the review tools alike.

/** A JSON-like object: not null, not a list. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Compares strings by their UTF-16 code units, as `<` does, rather than with `localeCompare`: the
 * same order on every machine and in every locale, so sorted output is the same bytes everywhere.
 */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

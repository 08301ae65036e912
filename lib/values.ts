// Two small facts about plain data, in one place for the program and the review tools alike.

/** A JSON-like object: not null, not a list. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Sets `key` as an own property of `record`, so that a name such as `__proto__` is a key like any
 * other: assigning `__proto__` on an object literal sets its prototype instead, and the key
 * vanishes (ECMA-262, Object.prototype.__proto__). Look keys up with `Object.hasOwn`, never `in`,
 * which finds `toString` on every object.
 */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * Compares strings by their UTF-16 code units, as `<` does, rather than with `localeCompare`: the
 * same order on every machine and in every locale, so sorted output is the same bytes everywhere.
 */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whether `value` carries `brand`, the way `pulumi.RunError.isInstance` recognises its errors: by a
 * property rather than `instanceof`, because the program's modules are loaded more than once in one
 * process (the tests' isolated module registries, the review commands' fresh require of index.ts,
 * the base snapshot of `npm run diff`), and each load has classes of its own. The brands are
 * `Symbol.for` symbols, the same in every load.
 */
export function hasBrand(value: unknown, brand: symbol): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}

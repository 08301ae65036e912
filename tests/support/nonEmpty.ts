// A guard for loops in tests: a loop over nothing asserts nothing, so a test whose list came out
// empty (a program that registers no container, a workflow without steps) would pass on broken code.

/** `items`, after failing the test if there are none. */
export function nonEmpty<T>(items: readonly T[]): readonly T[] {
  expect(items.length).toBeGreaterThan(0);
  return items;
}

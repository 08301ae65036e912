/**
 * A Secret's `data`: each value base64-encoded from UTF-8. The program writes `data` rather than
 * `stringData`: the API server folds stringData into data, and diffs and key removals behave
 * predictably only on data (pulumi-kubernetes #2507, #2513; kubernetes #89938).
 */
export function secretData(values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      Buffer.from(value, "utf8").toString("base64"),
    ]),
  );
}

// Figures for `npm run bench`: min / median / max of repeated runs, and the tables they print in.

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1] };
}

/** Each run's ratio `after[i] / before[i]`: runs that alternated share the machine's load. */
export function pairRatios(before: readonly number[], after: readonly number[]): number[] {
  return after.map((value, i) => value / before[i]);
}

export const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
export const mib = (value: number) => `${value.toFixed(0)} MiB`;
export const ratio = (value: number) => value.toFixed(2);

/** "median (min-max)", the unit after the median only. */
export function ranged(
  values: readonly number[],
  format: (value: number) => string,
  unit = "",
): string {
  const { min, median, max } = spread(values);
  return `${format(median)}${unit} (${format(min)}-${format(max)})`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i].length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

import { closest, distance } from "fastest-levenshtein";

/** The candidate closest to a misspelt name, if it is close enough to be a likely typo. */
export function didYouMean(name: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) {
    return undefined;
  }
  const best = closest(name, [...candidates]);
  const allowed = Math.max(2, Math.floor(name.length / 3));
  return distance(name.toUpperCase(), best.toUpperCase()) <= allowed ? best : undefined;
}

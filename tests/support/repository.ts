// The repository's own files as the delivery tests read them: package.json, the lock file, the
// one-line version files and the stacks. Plain file reads, no Pulumi runtime, so these tests stay
// fast.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR } from "../../review/engine/programFacts";
import { listStacks } from "../../review/engine/stackFiles";

export interface PackageJson {
  readonly main?: string;
  readonly engines?: Record<string, string>;
  readonly scripts?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

export interface PackageLock {
  readonly packages: Record<string, { readonly version?: string }>;
}

export function readRepoFile(...path: string[]): string {
  return readFileSync(join(PROJECT_DIR, ...path), "utf8");
}

export function packageJson(): PackageJson {
  return JSON.parse(readRepoFile("package.json")) as PackageJson;
}

export function packageLock(): PackageLock {
  return JSON.parse(readRepoFile("package-lock.json")) as PackageLock;
}

/** The content of a one-value file such as `.nvmrc`, without surrounding whitespace. */
export function versionFile(name: string): string {
  return readRepoFile(name).trim();
}

/** Stack names, from the committed `Pulumi.<stack>.yaml` files: the stacks CI must cover. */
export function stackNames(): string[] {
  return listStacks(PROJECT_DIR);
}

/** `3.187.0` → `[3, 187, 0]`; anything but an exact `X.Y.Z` is refused. */
export function exactVersion(version: string): [number, number, number] {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) {
    throw new Error(`"${version}" is not an exact X.Y.Z version`);
  }
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Whether `version` is `minimum` or later (both exact `X.Y.Z`). */
export function isAtLeast(version: string, minimum: string): boolean {
  const [a, b] = [exactVersion(version), exactVersion(minimum)];
  const first = a.findIndex((part, i) => part !== b[i]);
  return first === -1 || a[first] > b[first];
}

// What the credential detector found nothing in, kept across runs. A render, a preview or a test
// of an unchanged stack asks secretlint the same questions every time, and answering them means a
// worker thread that loads secretlint's modules: about a tenth of a render (docs/benchmarks.md).
//
// Only "nothing found" is kept, as an empty file named by a digest of the detector (its two files
// and secretlint's versions) and of the texts asked. A text in which something is found, a
// credential where it does not belong, leaves no trace on disk, not even in a digest. The texts are
// the values and names of the non-secret keys that arrived in plaintext (credentialChecks.ts,
// plaintextLeaves: the secret keys and any key that arrived encrypted are skipped, whether from
// the stack file, an ESC environment or --config-file; tests/lib/credentials/detector.test.ts holds
// it), never a secret. A changed detector or text has another digest, so a stale verdict is never
// read.
//
// The files live in node_modules/.cache/task-api-credentials/, the folder other tools' caches use
// (find-cache-dir's convention; startup/compileCache.js keeps the compiled TypeScript there
// too): `npm ci` empties it with node_modules. Every other set of texts is another file (each
// property-test run of the checks asks new ones), so the folder starts over when it is full.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// Far more than the stacks of a project ask, and still a folder that is quick to list.
const MAX_VERDICTS = 256;

// What decides the detector's answers: its worker and rule, and the secretlint releases they run.
const DETECTOR_FILES = [join(__dirname, "worker.mjs"), join(__dirname, "rule.mjs")];
const DETECTOR_PACKAGES = ["@secretlint/core", "@secretlint/secretlint-rule-preset-recommend"];

let detectorDigest: Buffer | undefined;

function detector(): Buffer {
  if (detectorDigest === undefined) {
    const hash = createHash("sha256");
    DETECTOR_FILES.forEach((file) => hash.update(readFileSync(file)));
    DETECTOR_PACKAGES.forEach((name) =>
      hash.update(readFileSync(require.resolve(`${name}/package.json`))),
    );
    detectorDigest = hash.digest();
  }
  return detectorDigest;
}

/** The sets of texts the detector found nothing in, one empty file each in `dir`. */
export class CleanVerdicts {
  constructor(
    readonly dir: string,
    private readonly capacity = MAX_VERDICTS,
  ) {}

  /** Whether the detector, as it is now, found nothing in any of `texts` on an earlier run. */
  has(texts: readonly string[]): boolean {
    return existsSync(this.file(texts));
  }

  /**
   * Keeps that the detector found nothing in `texts`, which must be plaintext of the stack file.
   * A cache that cannot be written (a read-only node_modules) only costs the next run the question.
   */
  remember(texts: readonly string[]): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      if (readdirSync(this.dir).length >= this.capacity) {
        rmSync(this.dir, { recursive: true, force: true });
        mkdirSync(this.dir, { recursive: true });
      }
      writeFileSync(this.file(texts), "");
    } catch {
      // See above: nothing is lost but time.
    }
  }

  private file(texts: readonly string[]): string {
    const asked = JSON.stringify([...new Set(texts)].sort());
    return join(this.dir, createHash("sha256").update(detector()).update(asked).digest("hex"));
  }
}

/** The project's: lib/config is two folders below it. */
export const projectCleanVerdicts = new CleanVerdicts(
  join(__dirname, "..", "..", "node_modules", ".cache", "task-api-credentials"),
);

// lib/credentials/verdictCache.ts and detector.ts's scanStackFileTexts: what the detector
// found nothing in is answered from disk on the next run, and nothing else is kept.

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CleanVerdicts } from "../../../lib/credentials/verdictCache";
import { credentialFindings, scanStackFileTexts } from "../../../lib/credentials/detector";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "task-api-verdicts-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const STRIPE_KEY = `sk_live_${"A1b2C3d4E5f6G7h8I9j0K1l2"}`;

test("a set of texts remembered is known again, in any order, and no other set is", () => {
  const verdicts = new CleanVerdicts(join(dir, "cache"));
  expect(verdicts.has(["LOG_LEVEL=debug", "debug"])).toBe(false);
  verdicts.remember(["LOG_LEVEL=debug", "debug"]);
  expect(verdicts.has(["debug", "LOG_LEVEL=debug", "debug"])).toBe(true);
  expect(verdicts.has(["LOG_LEVEL=info", "info"])).toBe(false);
  expect(verdicts.has(["LOG_LEVEL=debug"])).toBe(false);
});

test("on disk, a verdict is an empty file named by a digest: no text is kept", () => {
  const verdicts = new CleanVerdicts(dir);
  verdicts.remember(["DATABASE_HOST=db.internal", "db.internal"]);
  const files = readdirSync(dir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^[0-9a-f]{64}$/);
  expect(readFileSync(join(dir, files[0]), "utf8")).toBe("");
});

test("a full cache starts over", () => {
  const verdicts = new CleanVerdicts(dir, 3);
  ["a", "b", "c"].forEach((text) => verdicts.remember([text]));
  expect(readdirSync(dir)).toHaveLength(3);
  verdicts.remember(["d"]);
  expect(readdirSync(dir)).toHaveLength(1);
  expect(verdicts.has(["d"])).toBe(true);
  expect(verdicts.has(["a"])).toBe(false);
});

test("a cache that cannot be written costs nothing but the next question", () => {
  const file = join(dir, "a-file");
  writeFileSync(file, "");
  const verdicts = new CleanVerdicts(join(file, "cache"));
  expect(() => verdicts.remember(["x"])).not.toThrow();
  expect(verdicts.has(["x"])).toBe(false);
});

test("what the detector finds nothing in is remembered; a set with a credential is not", () => {
  const verdicts = new CleanVerdicts(dir);
  scanStackFileTexts([`UPSTREAM=${STRIPE_KEY}`, STRIPE_KEY, "UPSTREAM"], verdicts);
  expect(credentialFindings(STRIPE_KEY)).toEqual(["stripe/STRIPE_SECRET_KEY_LIVE"]);
  expect(readdirSync(dir)).toEqual([]);

  scanStackFileTexts(["OPENAI_MODEL=gpt-4o-mini", "gpt-4o-mini", "OPENAI_MODEL"], verdicts);
  expect(verdicts.has(["OPENAI_MODEL", "gpt-4o-mini", "OPENAI_MODEL=gpt-4o-mini"])).toBe(true);
});

test("a set found clean before is answered without starting the detector", () => {
  const texts = ["FEATURE_X=on", "on", "FEATURE_X"];
  new CleanVerdicts(dir).remember(texts);
  jest.isolateModules(() => {
    jest.doMock("synckit", () => ({
      createSyncFn: () => {
        throw new Error("the detector was started");
      },
    }));
    // A fresh module: nothing known in memory, no worker yet.
    const fresh =
      require("../../../lib/credentials/detector") as typeof import("../../../lib/credentials/detector");
    fresh.scanStackFileTexts(texts, new CleanVerdicts(dir));
    expect(texts.map((text) => fresh.credentialFindings(text))).toEqual([[], [], []]);
    expect(() => fresh.credentialFindings("never asked")).toThrow("the detector was started");
  });
});

// Whether a text holds a credential, as secretlint (a maintained detector: its recommended preset,
// plus rule.mjs for the shapes the preset lacks) finds it. The stack's checks are one
// synchronous pass before any resource exists (stackConfig.ts), and secretlint is asynchronous and
// ES modules only: synckit runs it in a worker thread and waits for the answer, as
// eslint-plugin-prettier does to call Prettier 3 from ESLint's synchronous rules.

import { join } from "node:path";
import { createSyncFn } from "synckit";
import { CleanVerdicts, projectCleanVerdicts } from "./verdictCache";

type FindingsOf = (texts: readonly string[]) => Promise<string[][]>;

let findingsOf: ((texts: readonly string[]) => string[][]) | undefined;

// Started on the first question: a stack the detector has seen before is answered from disk
// (verdictCache.ts), and then no worker is needed at all. No execArgv: the worker runs plain
// ES modules, none of the program's loaders.
function detector(): (texts: readonly string[]) => string[][] {
  findingsOf ??= createSyncFn<FindingsOf>(join(__dirname, "worker.mjs"), {
    execArgv: [],
  });
  return findingsOf;
}

// A text is asked about once per process: a stack's checks ask about the same names many times.
const known = new Map<string, readonly string[]>();

/** Finds what secretlint reports in each text, in one trip to the worker for the unknown ones. */
export function scanForCredentials(texts: Iterable<string>): void {
  const unknown = notYetAsked(texts);
  if (unknown.length > 0) {
    ask(unknown);
  }
}

/**
 * scanForCredentials for the plaintext of the non-secret keys (credentialChecks.ts,
 * scanPlaintextLeaves), and only those: when the detector found nothing in the very same texts before, the answer comes from disk,
 * and when it finds nothing now, that is kept (verdictCache.ts).
 */
export function scanStackFileTexts(
  texts: Iterable<string>,
  verdicts: CleanVerdicts = projectCleanVerdicts,
): void {
  const unknown = notYetAsked(texts);
  if (unknown.length === 0) {
    return;
  }
  if (verdicts.has(unknown)) {
    unknown.forEach((text) => known.set(text, []));
  } else if (ask(unknown).every((ids) => ids.length === 0)) {
    verdicts.remember(unknown);
  }
}

function notYetAsked(texts: Iterable<string>): string[] {
  return [...new Set(texts)].filter((text) => !known.has(text));
}

function ask(texts: readonly string[]): string[][] {
  const findings = detector()(texts);
  findings.forEach((ids, index) => known.set(texts[index], ids));
  return findings;
}

/**
 * What secretlint finds in a text, as finding ids (`RULE/MESSAGE_ID`, e.g.
 * `stripe/STRIPE_SECRET_KEY_LIVE`); empty when nothing. Never the matched text.
 */
export function credentialFindings(text: string): readonly string[] {
  scanForCredentials([text]);
  return known.get(text) ?? [];
}

/** The first credential secretlint finds in a text, as its finding id, or undefined. */
export function credentialLookingValue(text: string): string | undefined {
  return credentialFindings(text)[0];
}

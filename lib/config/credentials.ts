// Whether a text holds a credential, as secretlint (a maintained detector: its recommended preset,
// plus credentialRule.mjs for the shapes the preset lacks) finds it. The stack's checks are one
// synchronous pass before any resource exists (stackConfig.ts), and secretlint is asynchronous and
// ES modules only: synckit runs it in a worker thread and waits for the answer, as
// eslint-plugin-prettier does to call Prettier 3 from ESLint's synchronous rules.

import { join } from "node:path";
import { createSyncFn } from "synckit";

type FindingsOf = (texts: readonly string[]) => Promise<string[][]>;

// Started when this module loads, so that the worker loads secretlint on another core while the
// program loads the Pulumi SDK; no execArgv: it runs plain ES modules, none of the program's loaders.
const findingsOf = createSyncFn<FindingsOf>(join(__dirname, "credentialWorker.mjs"), {
  execArgv: [],
});

// A text is asked about once per process: a stack's checks ask about the same names many times.
const known = new Map<string, readonly string[]>();

/** Finds what secretlint reports in each text, in one trip to the worker for the unknown ones. */
export function scanForCredentials(texts: Iterable<string>): void {
  const unknown = [...new Set(texts)].filter((text) => !known.has(text));
  if (unknown.length === 0) {
    return;
  }
  findingsOf(unknown).forEach((ids, index) => known.set(unknown[index], ids));
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

// The worker thread behind detector.ts: secretlint (ES modules only, asynchronous) with its
// recommended preset and this project's rule for what the preset lacks (rule.mjs).
// synckit's runAsWorker answers the main thread, which waits for it (synckit README).

import { lintSource } from "@secretlint/core";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";
import { runAsWorker } from "synckit";
import { creator as credentialShapes } from "./rule.mjs";

/** @type {import("@secretlint/types").SecretLintCoreConfig} */
const config = {
  rules: [
    {
      id: "@secretlint/secretlint-rule-preset-recommend",
      rule: recommended,
      // An access key id alone is not secret, so the aws rule skips it unless asked
      // (secretlint-rule-aws README, enableIDScanRule); in a ConfigMap it is half a credential.
      rules: [{ id: "@secretlint/secretlint-rule-aws", options: { enableIDScanRule: true } }],
    },
    { id: credentialShapes.meta.id, rule: credentialShapes },
  ],
};

const RULE_PREFIX = "@secretlint/secretlint-rule-";

/**
 * rule.mjs's catch-alls, most general last: each is dropped where a finding before it in
 * this list, or any other rule's, covers part of the same text (a whole Stripe key is reported as
 * Stripe's, not also as "a known prefix"), so that a message names the most specific finding.
 */
const CATCH_ALLS = ["task-api/CREDENTIAL_IN_QUERY", "task-api/CREDENTIAL_PREFIX"];

/** @param {{ id: string; range: readonly [number, number] }[]} findings */
function mostSpecific(findings) {
  const rank = (/** @type {string} */ id) =>
    CATCH_ALLS.includes(id) ? CATCH_ALLS.indexOf(id) + 1 : 0;
  const overlaps = (
    /** @type {readonly [number, number]} */ a,
    /** @type {readonly [number, number]} */ b,
  ) => a[0] < b[1] && b[0] < a[1];
  return findings.filter(
    (finding) =>
      rank(finding.id) === 0 ||
      !findings.some(
        (other) => rank(other.id) < rank(finding.id) && overlaps(other.range, finding.range),
      ),
  );
}

/**
 * For each text, the findings' ids (`RULE/MESSAGE_ID`, e.g. `stripe/STRIPE_SECRET_KEY_LIVE`), in
 * the order secretlint reports them, without repeats. Never the matched text: maskSecrets keeps it
 * out of the messages too, which are not passed on anyway.
 *
 * @param {readonly string[]} texts
 * @returns {Promise<string[][]>}
 */
async function findingsOf(texts) {
  return Promise.all(
    texts.map(async (content) => {
      const result = await lintSource({
        source: { filePath: "config", content, contentType: "text" },
        options: { config, maskSecrets: true, noPhysicFilePath: true },
      });
      const findings = result.messages.map(({ ruleId, messageId, range }) => ({
        id: `${ruleId.startsWith(RULE_PREFIX) ? ruleId.slice(RULE_PREFIX.length) : ruleId}/${messageId}`,
        range,
      }));
      return [...new Set(mostSpecific(findings).map(({ id }) => id))];
    }),
  );
}

runAsWorker(findingsOf);

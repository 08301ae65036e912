// lib/credentials/secretLookingNames.ts: the names that look like they hold a secret.

import { secretLookingKeyWord } from "../../../lib/credentials/secretLookingNames";

test.each([
  ["DATABASE_PASSWORD", "PASSWORD"],
  ["stripe_api_key", "API_KEY"],
  ["JWT_SIGNING_KEY", "SIGNING_KEY"],
  ["MAX_TOKENS", "TOKEN"],
  ["DB_PASS", "PASS"],
  ["smtp-pwd", "PWD"],
  ["PASSPORT_URL", undefined],
  ["BYPASS_CACHE", undefined],
  ["LOG_LEVEL", undefined],
  ["DATABASE_HOST", undefined],
])("key %s looks secret because of %s", (key, word) => {
  expect(secretLookingKeyWord(key)).toBe(word);
});

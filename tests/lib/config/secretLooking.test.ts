// lib/config/secretLooking.ts: the heuristics that keep credentials out of the ConfigMap.

import { credentialLookingValue, secretLookingKeyWord } from "../../../lib/config/secretLooking";

test.each([
  ["DATABASE_PASSWORD", "PASSWORD"],
  ["stripe_api_key", "API_KEY"],
  ["JWT_SIGNING_KEY", "SIGNING_KEY"],
  ["MAX_TOKENS", "TOKEN"],
  ["LOG_LEVEL", undefined],
  ["DATABASE_HOST", undefined],
])("key %s looks secret because of %s", (key, word) => {
  expect(secretLookingKeyWord(key)).toBe(word);
});

test.each([
  ["ghp_0123456789abcdefghijABCDEFGHIJ", "a GitHub token (ghp_...)"],
  ["sk-proj-abcdefghijklmnopqrstuvwxyz", "an API secret key (sk-...)"],
  ["-----BEGIN RSA PRIVATE KEY-----\nMIIE", "a PEM private key block"],
  ["postgres://app:pw@db:5432/tasks", "a URL with a password in it"],
  ["AKIAABCDEFGHIJKLMNOP", "an AWS access key id"],
  ["https://api.example.com/v1", undefined],
  ["gpt-4o-mini", undefined],
])("value %j looks like %s", (value, what) => {
  expect(credentialLookingValue(value)).toBe(what);
});

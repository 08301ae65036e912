// Heuristics that keep credentials out of the ConfigMap, which everyone with read access to the
// namespace can read in plaintext. A key match can be overridden explicitly (MAX_TOKENS is
// legitimate config); a value that looks like a credential cannot.

const SECRET_KEY_WORDS = [
  "PASSWORD",
  "PASSWD",
  "PASSPHRASE",
  "SECRET",
  "TOKEN",
  "API_KEY",
  "APIKEY",
  "PRIVATE_KEY",
  "ACCESS_KEY",
  "CREDENTIAL",
  "CLIENT_KEY",
  "SIGNING_KEY",
  "ENCRYPTION_KEY",
];

const CREDENTIAL_VALUES: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}/, what: "a GitHub token (ghp_...)" },
  {
    pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}/,
    what: "a GitHub fine-grained token (github_pat_...)",
  },
  { pattern: /\bsk-[A-Za-z0-9_-]{20,}/, what: "an API secret key (sk-...)" },
  { pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/, what: "a Slack token (xox?-...)" },
  { pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, what: "an AWS access key id" },
  { pattern: /\bdop_v1_[a-f0-9]{32,}/, what: "a DigitalOcean token (dop_v1_...)" },
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: "a PEM private key block" },
  // Bounded repetition: an unbounded scheme or user part backtracks quadratically on a long value.
  {
    pattern: /[a-z][a-z0-9+.-]{0,31}:\/\/[^/\s:@]{1,256}:[^/\s@]{1,256}@/i,
    what: "a URL with a password in it",
  },
];

/** The secret-looking word in a config key (`DB_PASSWORD` → `PASSWORD`), or undefined. */
export function secretLookingKeyWord(key: string): string | undefined {
  const upper = key.toUpperCase();
  return SECRET_KEY_WORDS.find((word) => upper.includes(word));
}

/** What kind of credential a value looks like, or undefined. The value itself is never echoed. */
export function credentialLookingValue(value: string): string | undefined {
  return CREDENTIAL_VALUES.find(({ pattern }) => pattern.test(value))?.what;
}

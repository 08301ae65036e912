// The names that look like they hold a secret, which keeps credentials out of the ConfigMap that
// everyone with read access to the namespace can read in plaintext. A name match can be declared
// not secret (MAX_TOKENS is legitimate config). Values are judged by a detector: detector.ts.

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

// Abbreviations that are secret-looking only as a whole word of the name: DB_PASS and DB_PWD, but
// not PASSPORT_URL, BYPASS_CACHE or COMPASS_HOST.
const SECRET_KEY_ABBREVIATIONS = ["PASS", "PWD", "PW"];

/** The secret-looking word in a config key (`DB_PASSWORD` → `PASSWORD`), or undefined. */
export function secretLookingKeyWord(key: string): string | undefined {
  const upper = key.toUpperCase();
  const words = upper.split(/[^A-Z0-9]+/);
  return (
    SECRET_KEY_WORDS.find((word) => upper.includes(word)) ??
    SECRET_KEY_ABBREVIATIONS.find((word) => words.includes(word))
  );
}

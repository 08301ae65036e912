// The file sets' contents for an offline run (see offlineConfig.ts for the other secrets): a
// placeholder for every declared file the stack file does not hold yet, so a stack can be reviewed
// before its files are set, and, when nothing can be decrypted, the placeholder certificate and
// key for TLS sets, so that the program's TLS check passes (offlineCertificate.ts).

import { configKey } from "../../lib/config/keys";
import { StackValue, isSecureLeaf } from "../../lib/config/stackFile";
import { TLS_FILES, TLS_TYPE } from "../../lib/secretFiles";
import { isPlainObject } from "../../lib/values";
import { PLACEHOLDER_CERTIFICATE, PLACEHOLDER_PRIVATE_KEY } from "./offlineCertificate";
import { SECRET_PLACEHOLDER } from "./programFacts";
import { Decrypt } from "./stackFiles";

const SECRET_FILES = configKey("secretFiles");
const CONTENTS = configKey("secretFileContents");

/** "Ciphertexts" that no real one is, each decrypted to its placeholder content. */
const PLACEHOLDER_CONTENT: Readonly<Record<string, string>> = {
  "offline-placeholder:tls.crt": PLACEHOLDER_CERTIFICATE,
  "offline-placeholder:tls.key": PLACEHOLDER_PRIVATE_KEY,
};

/** `decrypt`, but the placeholders above decrypt to their content. */
export function withPlaceholderContent(decrypt: Decrypt): Decrypt {
  return (ciphertext, fullKey) => PLACEHOLDER_CONTENT[ciphertext] ?? decrypt(ciphertext, fullKey);
}

/**
 * `stackValues` with a `secure:` placeholder for each declared file without content and, with
 * `replaceTls` (nothing can be decrypted), for each TLS file. Nothing is added where the stack
 * holds contents in plaintext, which the program must still refuse.
 */
export function withPlaceholderFiles(
  merged: Readonly<Record<string, StackValue>>,
  stackValues: Readonly<Record<string, StackValue>>,
  replaceTls: boolean,
): Record<string, StackValue> {
  const sets = merged[SECRET_FILES];
  const contents = stackValues[CONTENTS] ?? {};
  if (!isPlainObject(sets) || !isPlainObject(contents) || !allSecure(contents)) {
    return { ...stackValues };
  }
  const result: Record<string, Record<string, StackValue>> = {};
  for (const [name, set] of Object.entries(sets)) {
    const given = isPlainObject(contents[name]) ? contents[name] : {};
    const tls = isPlainObject(set) && set.type === TLS_TYPE;
    const files = tls ? [...TLS_FILES] : isPlainObject(set) ? stringList(set.files) : [];
    result[name] = { ...given };
    for (const file of files) {
      if (tls && (replaceTls || !(file in given))) {
        result[name][file] = { secure: `offline-placeholder:${file}` };
      } else if (!(file in given)) {
        result[name][file] = { secure: SECRET_PLACEHOLDER };
      }
    }
  }
  return Object.keys(result).length === 0
    ? { ...stackValues }
    : { ...stackValues, [CONTENTS]: result };
}

function allSecure(contents: Record<string, unknown>): boolean {
  return Object.values(contents).every(
    (files) => isPlainObject(files) && Object.values(files).every(isSecureLeaf),
  );
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === "string")
    : [];
}

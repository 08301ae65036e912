// A ConfigReader over config the way the engine passes it, for the tests that read one key family
// on its own (tests/lib/config/).

import { ConfigName } from "../../lib/config/keys";
import { ConfigReader } from "../../lib/config/reader";

/** The stack every such reader is for: the fix commands end in `-s review`. */
export const READER_STACK = "review";

/**
 * A reader of stack `review` over `values`: a string as given, anything else as the JSON an
 * object or list key arrives as, undefined as unset; the keys in `encrypted` arrived encrypted.
 */
export function readerOver(
  values: Partial<Record<ConfigName, unknown>>,
  encrypted: readonly ConfigName[] = [],
): ConfigReader {
  const passed = Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => [name, typeof value === "string" ? value : JSON.stringify(value)]);
  return new ConfigReader({
    stack: READER_STACK,
    values: Object.fromEntries(passed) as Partial<Record<ConfigName, string>>,
    isSecret: (name) => encrypted.includes(name),
  });
}

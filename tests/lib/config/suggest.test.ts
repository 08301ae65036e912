// lib/config/suggest.ts: "did you mean" for misspelt names.

import { didYouMean } from "../../../lib/config/suggest";

test("suggests the closest declared name for a typo, and nothing for an unrelated name", () => {
  const declared = ["DATABASE_PASSWORD", "OPENAI_API_KEY"];
  expect(didYouMean("DATABSE_PASSWORD", declared)).toBe("DATABASE_PASSWORD");
  expect(didYouMean("openai_api_key", declared)).toBe("OPENAI_API_KEY");
  expect(didYouMean("SENTRY_DSN", declared)).toBeUndefined();
});

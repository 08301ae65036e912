// A secretlint rule for the credential shapes that secretlint's recommended preset (v13) does not
// report, found by trying the shapes people paste into app config: tests/lib/credentials/detector.test.ts
// tries every one, with and without the preset. The preset stays the detector; this rule is only
// what it lacks, written to secretlint's rule API (@secretlint/types, SecretLintRuleCreator) so
// that both report through the same engine. Each pattern cites where its shape is specified.

/** A run of the base64 alphabet of exactly 40 characters with upper case, lower case and digits. */
const AWS_SECRET_SHAPE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

/** @type {readonly { id: string; what: string; pattern: RegExp }[]} */
const SHAPES = [
  // RFC 7519 section 3.1: three base64url parts, the first two JSON objects (`{"` is `eyJ`).
  {
    id: "JWT",
    what: "a JSON Web Token",
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  },
  // Google API keys are "AIza" and 35 more characters (gitleaks rule gcp-api-key).
  {
    id: "GCP_API_KEY",
    what: "a Google API key",
    pattern: /\bAIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
  },
  // DigitalOcean personal, OAuth and refresh tokens (gitleaks rules digitalocean-pat,
  // digitalocean-access-token, digitalocean-refresh-token): this project's own cloud.
  {
    id: "DIGITALOCEAN_TOKEN",
    what: "a DigitalOcean token",
    pattern: /\bdo[opr]_v1_[a-f0-9]{64}\b/g,
  },
  // Sentry's DSN is https://PUBLIC_KEY@HOST/PROJECT_ID with a 32-digit hex key (Sentry docs,
  // "Data Source Name (DSN)"): it lets anyone send events as the app.
  {
    id: "SENTRY_DSN",
    what: "a Sentry DSN (its key lets anyone send events as the app)",
    pattern: /\bhttps?:\/\/[a-f0-9]{32}(?::[a-f0-9]{32})?@[^/\s@]{1,256}\/\d+/g,
  },
  // RFC 3986 section 3.2.1 userinfo with a password, user name empty or not (redis://:pw@host,
  // which the preset's basicauth and connection-string rules pass). Bounded: an unbounded part
  // backtracks quadratically on a long value.
  {
    id: "URL_PASSWORD",
    what: "a URL with a password in it",
    pattern: /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^/\s:@]{0,256}:[^/\s@]{1,256}@/gi,
  },
  // OpenAI's keys and many others' start with "sk-"; the preset's openai rule reports only the
  // legacy form with "T3BlbkFJ" in it.
  { id: "SK_SECRET_KEY", what: "an API secret key (sk-...)", pattern: /\bsk-[A-Za-z0-9_-]{20,}/g },
  // A credential passed in a query string: OAuth 2.0 bearer tokens as `access_token=` (RFC 6750
  // section 2.3), Google API keys as `key=`, Azure SAS and signed URLs as `sig=`/`signature=`
  // (AWS SigV4 `X-Amz-Signature=`), and the generic names apps use. A long value only (16+ URL
  // characters, so `?key=id` or `?token=1` pass): whatever its format, a credential in a URL that
  // ends up in a probe or a ConfigMap is in every access log and `kubectl describe`.
  {
    id: "CREDENTIAL_IN_QUERY",
    what: "a credential in a query string",
    pattern:
      /[?&;](?:access_token|id_token|refresh_token|token|auth|api_?key|apikey|key|secret|client_secret|password|passwd|pwd|sig|signature|x-amz-signature|x-goog-signature)=[^&#\s]{16,}/gi,
  },
  // The prefix of a kind of credential whose providers chose it to be found (GitHub, "Behind
  // GitHub's new authentication token formats": ghp_ gho_ ghu_ ghs_ ghr_ github_pat_; GitLab
  // glpat-; Slack xox?-; Stripe sk_/rk_ live and test; DigitalOcean do?_v1_), followed by 16 or
  // more token characters. The preset reports only the exact length
  // of each (a GitHub token is ghp_ and 36): one character short, cut or pasted twice, is still a
  // credential, or most of one.
  {
    id: "CREDENTIAL_PREFIX",
    what: "the prefix of a known kind of credential",
    pattern:
      /(?<![A-Za-z0-9])(?:gh[pousr]_|github_pat_|glpat-|xox[abposr]-|[sr]k_(?:live|test)_|do[opr]_v1_)[A-Za-z0-9_-]{16,}/g,
  },
  // A PEM header alone (RFC 7468 section 10): the preset's privatekey rule reports only a whole,
  // decodable key, not a truncated one, which is still a leak.
  {
    id: "PRIVATE_KEY_HEADER",
    what: "a PEM private key",
    pattern: /-----BEGIN [A-Z ]{0,32}PRIVATE KEY-----/g,
  },
];

/** @type {import("@secretlint/types").SecretLintRuleLocalizeMessages} */
const messages = {
  ...Object.fromEntries(SHAPES.map(({ id, what }) => [id, { en: () => `found ${what}` }])),
  AWS_SECRET_ACCESS_KEY: { en: () => "found the shape of an AWS secret access key" },
};

/**
 * AWS secret access keys are 40 characters of base64 (AWS IAM User Guide, "Managing access keys";
 * the preset reports one only after `AWS_SECRET_ACCESS_KEY=`). Mixed case and digits keeps hex
 * digests and words out.
 *
 * @param {string} text
 */
function isAwsSecretShaped(text) {
  return /[A-Z]/.test(text) && /[a-z]/.test(text) && /[0-9]/.test(text);
}

/** @type {import("@secretlint/types").SecretLintRuleCreator} */
export const creator = {
  messages,
  meta: {
    id: "task-api",
    recommended: true,
    type: "scanner",
    supportedContentTypes: ["text"],
  },
  create(context) {
    const t = context.createTranslator(messages);
    return {
      file(source) {
        for (const { id, pattern } of SHAPES) {
          for (const match of source.content.matchAll(pattern)) {
            context.report({ message: t(id), range: [match.index, match.index + match[0].length] });
          }
        }
        for (const match of source.content.matchAll(AWS_SECRET_SHAPE)) {
          if (isAwsSecretShaped(match[0])) {
            const range = /** @type {const} */ ([match.index, match.index + match[0].length]);
            context.report({ message: t("AWS_SECRET_ACCESS_KEY"), range });
          }
        }
      },
    };
  },
};

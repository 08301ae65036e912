// A TLS file set's certificate and key, checked before anything is created: the API server checks
// only that tls.crt and tls.key exist (kubernetes, pkg/apis/core/validation/validation.go,
// ValidateSecret, SecretTypeTLS), so a key that does not match, or a certificate that expired,
// would otherwise be found by the app's clients. Messages give the expiry date (public: a server
// sends its certificate to every client), never any part of the key or the PEM.

import { createPrivateKey, X509Certificate } from "node:crypto";
import { CertificateFacts } from "../secretFiles";

/** Warn this long before expiry: a 90-day certificate is renewed with 30 days left. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CertificateCheck {
  /** What is wrong, each a sentence without content; empty when the pair is usable. */
  readonly problems: readonly string[];
  /** Fine today, but soon not. */
  readonly warnings: readonly string[];
  /** Subject and expiry, when the certificate parsed. */
  readonly facts?: CertificateFacts;
}

/** Checks a PEM certificate (the first of a chain) against its PEM private key, at `now`. */
export function checkCertificate(
  certificatePem: string,
  keyPem: string,
  now: Date,
): CertificateCheck {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch {
    // The error's own message is dropped: it is OpenSSL's, and tells nothing worth the risk.
    return { problems: ["tls.crt is not a PEM certificate"], warnings: [] };
  }
  // `validTo`, a string: `validToDate` is new in Node 22.10 (crypto docs, x509.validToDate).
  const expiry = new Date(certificate.validTo);
  const facts = { subject: certificate.subject, expires: expiry.toISOString() };
  const problems: string[] = [];
  const warnings: string[] = [];
  try {
    if (!certificate.checkPrivateKey(createPrivateKey(keyPem))) {
      problems.push("tls.key is not the private key of the certificate in tls.crt");
    }
  } catch {
    problems.push("tls.key is not a PEM private key");
  }
  const date = expiry.toISOString().slice(0, 10);
  if (expiry.getTime() <= now.getTime()) {
    problems.push(`the certificate expired on ${date}`);
  } else if (expiry.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS) {
    warnings.push(`the certificate expires on ${date}, in less than ${EXPIRY_WARNING_DAYS} days`);
  }
  return { problems, warnings, facts };
}

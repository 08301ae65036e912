// lib/config/tlsCertificate.ts: a certificate and its key, checked with Node's X509Certificate.

import { checkCertificate } from "../../../lib/config/tlsCertificate";
import { TLS_A, TLS_A_FACTS, TLS_B } from "../../support/tls";

const NOW = new Date("2026-12-01T12:00:00Z");
const EXPIRY = new Date("2126-11-07T09:19:48Z");
const DAY = 24 * 60 * 60 * 1000;

test("a matching pair is usable; its subject and expiry are given", () => {
  expect(checkCertificate(TLS_A.crt, TLS_A.key, NOW)).toEqual({
    problems: [],
    warnings: [],
    facts: TLS_A_FACTS,
  });
});

test("a key of another certificate, and a key that is no key, are refused", () => {
  expect(checkCertificate(TLS_A.crt, TLS_B.key, NOW).problems).toEqual([
    "tls.key is not the private key of the certificate in tls.crt",
  ]);
  expect(checkCertificate(TLS_A.crt, "not a key", NOW).problems).toEqual([
    "tls.key is not a PEM private key",
  ]);
});

test("a certificate that is no PEM is refused, and nothing of it is quoted", () => {
  const result = checkCertificate("garbage-cert-8812", TLS_A.key, NOW);
  expect(result).toEqual({ problems: ["tls.crt is not a PEM certificate"], warnings: [] });
});

test("an expired certificate is refused with its expiry date; one expiring within 30 days is a warning", () => {
  expect(checkCertificate(TLS_A.crt, TLS_A.key, new Date(EXPIRY.getTime() + DAY)).problems).toEqual(
    ["the certificate expired on 2126-11-07"],
  );
  const soon = checkCertificate(TLS_A.crt, TLS_A.key, new Date(EXPIRY.getTime() - 10 * DAY));
  expect(soon.problems).toEqual([]);
  expect(soon.warnings).toEqual(["the certificate expires on 2126-11-07, in less than 30 days"]);
  expect(
    checkCertificate(TLS_A.crt, TLS_A.key, new Date(EXPIRY.getTime() - 31 * DAY)).warnings,
  ).toEqual([]);
});

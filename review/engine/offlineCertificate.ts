// What an offline render puts where a TLS file set's certificate and key would be: the stack file
// holds them encrypted, and the program checks them (lib/config/tlsCertificate.ts) before it
// registers anything, so a plain placeholder string would stop every render. This pair was made
// once for this purpose (openssl req -x509 -newkey ec, P-256, 100 years,
// CN=offline-render-placeholder) and is public on purpose: it protects nothing. The render shows
// its subject and expiry as unknown (review/render/offlineCertificates.ts), never as the stack's.

/** The placeholder certificate's subject, by which a render recognises it. */
export const PLACEHOLDER_CERTIFICATE_SUBJECT = "CN=offline-render-placeholder";

export const PLACEHOLDER_CERTIFICATE = [
  "-----BEGIN CERTIFICATE-----",
  "MIIBoTCCAUegAwIBAgIUO1MvD3i/4F8WKylAGvAaOc3gNOIwCgYIKoZIzj0EAwIw",
  "JTEjMCEGA1UEAwwab2ZmbGluZS1yZW5kZXItcGxhY2Vob2xkZXIwIBcNMjYxMjAx",
  "MDkxOTUxWhgPMjEyNjExMDcwOTE5NTFaMCUxIzAhBgNVBAMMGm9mZmxpbmUtcmVu",
  "ZGVyLXBsYWNlaG9sZGVyMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEPcaaoYsh",
  "TgHQmFp1IZDEMwIXeMhiuXVOCfQ5RQs0L4ZEKcd1+1otqb/GbyC/2CKpnADjwvG4",
  "67uBY5y4jDu0MaNTMFEwHQYDVR0OBBYEFAitkyInAaU5jo9yaC6oQ/tl+DoFMB8G",
  "A1UdIwQYMBaAFAitkyInAaU5jo9yaC6oQ/tl+DoFMA8GA1UdEwEB/wQFMAMBAf8w",
  "CgYIKoZIzj0EAwIDSAAwRQIhANBNLvd7ZOeXVaC5EHVwzDqVD5CzjfjmW1V8hGin",
  "/I35AiAUSghVoqjnZxMxHw/OKgKYUAaLbCfFuGpDg6Vzni3CtQ==",
  "-----END CERTIFICATE-----",
  "",
].join("\n");

export const PLACEHOLDER_PRIVATE_KEY = [
  "-----BEGIN PRIVATE KEY-----",
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgW/xPLQ3DiNjHsXtr",
  "WIszLR+YLfw9fMsFbdKjHZjAqQKhRANCAAQ9xpqhiyFOAdCYWnUhkMQzAhd4yGK5",
  "dU4J9DlFCzQvhkQpx3X7Wi2pv8ZvIL/YIqmcAOPC8bjru4FjnLiMO7Qx",
  "-----END PRIVATE KEY-----",
  "",
].join("\n");

// Test certificates (tests/fixtures/tls/, made once with openssl, P-256, valid 100 years from
// 2026-12-01) and the stack config that declares and sets file sets, as `pulumi config set` would.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { StackValue } from "../../lib/config/stackFile";

const fixture = (name: string) =>
  readFileSync(join(__dirname, "..", "fixtures", "tls", name), "utf8");

/** Two certificate/key pairs: CN=task-api-a.example.com and CN=task-api-b.example.com, O=Acme. */
export const TLS_A = { crt: fixture("a.crt"), key: fixture("a.key") };
export const TLS_B = { crt: fixture("b.crt"), key: fixture("b.key") };
/** What the program reads off TLS_A's certificate. */
export const TLS_A_FACTS = {
  subject: "CN=task-api-a.example.com\nO=Acme",
  expires: "2126-11-07T09:19:48.000Z",
};
export const GCP_CREDENTIALS = '{"type": "service_account", "private_key_id": "gcp-test-key-7712"}';

/** A TLS set at /etc/tls and a GCP credentials set at /var/run/gcp, with their contents. */
export function withFileSets(
  tls: { crt: string; key: string } = TLS_A,
  options: { tlsRestart?: boolean; gcp?: string } = {},
): Record<string, StackValue> {
  return {
    "task-api:secretFiles": {
      tls: {
        type: "kubernetes.io/tls",
        mountPath: "/etc/tls",
        ...(options.tlsRestart ? { restartOnChange: true } : {}),
      },
      gcp: { mountPath: "/var/run/gcp", files: ["credentials.json"] },
    },
    "task-api:secretFileContents": {
      tls: { "tls.crt": { secure: tls.crt }, "tls.key": { secure: tls.key } },
      gcp: { "credentials.json": { secure: options.gcp ?? GCP_CREDENTIALS } },
    },
  };
}

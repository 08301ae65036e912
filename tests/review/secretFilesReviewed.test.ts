// What the offline review tools say about file sets: render and env show each set's mount path,
// files, mode and, for TLS, the certificate's subject and expiry, never contents; offline, an
// encrypted certificate is said to be encrypted; diff knows which content changes roll pods.

import {
  effectiveEnvironment,
  formatEnvironmentTable,
} from "../../review/env/effectiveEnvironment";
import { ENCRYPTED_CERTIFICATE } from "../../review/render/offlineCertificates";
import { diffRenderings } from "../../review/diff/renderDiff";
import { formatVerdict } from "../../review/diff/restartVerdict";
import { StackValue } from "../../lib/config/stackFile";
import { removeTempDirs, renderWith } from "../support/offline";
import { GCP_CREDENTIALS, TLS_A, TLS_B, withFileSets } from "../support/tls";

afterAll(removeTempDirs);

const known = (ciphertext: string) => ciphertext;
const TLS_FILE = "secret.task-api-staging.task-api-files-tls.yaml";
const contents = [TLS_A.crt, TLS_A.key, GCP_CREDENTIALS];

test("render, stack file decrypted: each set's Secret, its type, keys as [secret] and the certificate's subject and expiry", async () => {
  const rendering = await renderWith("staging", withFileSets(), known);
  const tls = rendering.files[TLS_FILE];
  expect(tls).toContain("type: kubernetes.io/tls\n");
  expect(tls).toContain('  tls.crt: "[secret]"\n  tls.key: "[secret]"\n');
  expect(tls).toContain(
    '"subject":"CN=task-api-a.example.com\\nO=Acme","expires":"2126-11-07T09:19:48.000Z"',
  );
  const everything = Object.values(rendering.files).join("\n");
  for (const content of [...contents, ...contents.map((c) => Buffer.from(c).toString("base64"))]) {
    expect(everything).not.toContain(content);
  }
});

test("render offline (nothing decrypted): the program's TLS check passes on the placeholder pair, and the certificate is shown as encrypted", async () => {
  const rendering = await renderWith("staging", withFileSets());
  const [environment] = effectiveEnvironment(rendering.objects);
  expect(environment.mounts.map((m) => m.certificate)).toEqual([undefined, ENCRYPTED_CERTIFICATE]);
  expect(rendering.files[TLS_FILE]).not.toContain("offline-render-placeholder");
});

test("env lists the mounted files after the variables", async () => {
  const rendering = await renderWith("staging", withFileSets(TLS_A, { tlsRestart: true }), known);
  const table = formatEnvironmentTable(effectiveEnvironment(rendering.objects));
  expect(table).toContain(
    "\nmounted files:\n" +
      "  /var/run/gcp: credentials.json from Secret task-api-files-gcp (Opaque), mode 0440, read-only; refreshed in place, no restart\n" +
      "  /etc/tls: tls.crt, tls.key from Secret task-api-files-tls (kubernetes.io/tls), mode 0440, read-only; " +
      "certificate CN=task-api-a.example.com, O=Acme, expires 2126-11-07; a change rolls the pods\n",
  );
});

async function diffOf(before: Record<string, StackValue>, after: Record<string, StackValue>) {
  // Left encrypted, as npm run diff leaves them: only the ciphertexts tell a change.
  return diffRenderings(await renderWith("staging", before), await renderWith("staging", after));
}

test("diff: new content of a set without restartOnChange is refreshed in place, no restart", async () => {
  const diff = await diffOf(withFileSets(TLS_A), withFileSets(TLS_B));
  expect(formatVerdict(diff.restart)).toBe("pods will restart: no (no pod template changed)");
  expect(diff.restart.notes).toEqual([
    "secretFileContents.tls.tls.crt re-encrypted: the Secret of file set tls is updated in place and no pod restarts; the kubelet refreshes the mounted files (with its defaults, within about 90 s)",
    "secretFileContents.tls.tls.key re-encrypted: the Secret of file set tls is updated in place and no pod restarts; the kubelet refreshes the mounted files (with its defaults, within about 90 s)",
  ]);
});

test("diff: new content of a set with restartOnChange is a likely restart; adding restartOnChange is a certain one", async () => {
  const diff = await diffOf(
    withFileSets(TLS_A, { tlsRestart: true }),
    withFileSets(TLS_B, { tlsRestart: true }),
  );
  expect(diff.restart.restart).toBe("likely");
  expect(diff.restart.likely[0]).toBe(
    "secretFileContents.tls.tls.crt re-encrypted: file set tls changed, and it asks for a rollout",
  );
  const turnedOn = await diffOf(withFileSets(TLS_A), withFileSets(TLS_A, { tlsRestart: true }));
  expect(turnedOn.restart.restart).toBe("yes");
});

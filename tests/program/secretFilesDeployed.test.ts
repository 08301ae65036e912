// Secrets delivered as files through the whole program (index.ts under the mock runtime): each set
// its own Secret of the right type, mounted read-only and whole, readable by the app's group only;
// a rollout only for a set that asks for one; contents nowhere but in secret properties.

import { StackValue } from "../../lib/config/stackFile";
import { isSecretInput, plain } from "../../review/engine/mockRuntime";
import { findLeaks, nonSecretProperties } from "../support/leakScan";
import { runFailingProgram, runProgram, stackConfig, testSecretsFor } from "../support/program";
import { GCP_CREDENTIALS, TLS_A, TLS_A_FACTS, TLS_B, withFileSets } from "../support/tls";

async function run(changes: Record<string, StackValue> = withFileSets()) {
  const { mocks, outputs } = await runProgram(
    "staging",
    stackConfig("staging", { ...testSecretsFor("staging"), ...changes }),
  );
  const secrets = mocks.ofType("kubernetes:core/v1:Secret");
  const secret = (name: string) => secrets.find((s) => s.inputs.metadata.name === name);
  const template = mocks.single("kubernetes:apps/v1:Deployment").inputs.spec.template;
  return { mocks, outputs, secret, template };
}

test("each set is a Secret of its own: kubernetes.io/tls with tls.crt and tls.key, Opaque otherwise, data secret", async () => {
  const { secret } = await run();
  const tls = secret("task-api-files-tls");
  expect(tls?.inputs.type).toBe("kubernetes.io/tls");
  expect(isSecretInput(tls?.inputs.data)).toBe(true);
  const data = plain<Record<string, string>>(tls?.inputs.data);
  expect(Object.keys(data).sort()).toEqual(["tls.crt", "tls.key"]);
  expect(Buffer.from(data["tls.key"], "base64").toString()).toBe(TLS_A.key);
  const gcp = secret("task-api-files-gcp");
  expect(gcp?.inputs.type).toBe("Opaque");
  expect(Object.keys(plain<object>(gcp?.inputs.data))).toEqual(["credentials.json"]);
});

test("the Secret says what the set is, and for TLS the certificate's subject and expiry, never content", async () => {
  const { secret } = await run();
  expect(
    JSON.parse(secret("task-api-files-tls")?.inputs.metadata.annotations["task-api/secret-files"]),
  ).toEqual({
    mountPath: "/etc/tls",
    files: ["tls.crt", "tls.key"],
    restartOnChange: false,
    certificate: TLS_A_FACTS,
  });
});

test("each set is mounted read-only, whole (no subPath), mode 0440, beside /tmp", async () => {
  const { template } = await run();
  expect(template.spec.volumes).toEqual([
    { name: "tmp", emptyDir: {} },
    { name: "files-gcp", secret: { secretName: "task-api-files-gcp", defaultMode: 0o440 } },
    { name: "files-tls", secret: { secretName: "task-api-files-tls", defaultMode: 0o440 } },
  ]);
  expect(template.spec.containers[0].volumeMounts).toEqual([
    { name: "tmp", mountPath: "/tmp" },
    { name: "files-gcp", mountPath: "/var/run/gcp", readOnly: true },
    { name: "files-tls", mountPath: "/etc/tls", readOnly: true },
  ]);
});

test("a content change rolls nothing by default: the kubelet refreshes mounted files in place", async () => {
  const before = await run();
  const after = await run(withFileSets(TLS_B, { gcp: '{"type": "service_account", "v": 2}' }));
  expect(after.template).toEqual(before.template);
  expect(Object.keys(before.template.metadata.annotations).sort()).toEqual([
    "checksum/config",
    "checksum/secret",
  ]);
});

test("restartOnChange: true adds an HMAC of the set to the pod template, which changes with its content only", async () => {
  const before = await run(withFileSets(TLS_A, { tlsRestart: true }));
  const checksum = before.template.metadata.annotations["checksum/files-tls"];
  expect(checksum).toMatch(/^[0-9a-f]{64}$/);
  const changed = await run(withFileSets(TLS_B, { tlsRestart: true }));
  expect(changed.template.metadata.annotations["checksum/files-tls"]).not.toBe(checksum);
  expect(changed.template.metadata.annotations["checksum/secret"]).toBe(
    before.template.metadata.annotations["checksum/secret"],
  );
  const other = await run(withFileSets(TLS_A, { tlsRestart: true, gcp: "{}" }));
  expect(other.template).toEqual(before.template);
});

test("a key that does not match its certificate stops the program before anything exists, naming the set, never the key", async () => {
  const { error, mocks } = await runFailingProgram(
    "staging",
    stackConfig("staging", {
      ...testSecretsFor("staging"),
      ...withFileSets({ crt: TLS_A.crt, key: TLS_B.key }),
    }),
  );
  expect(error.message).toContain(
    "task-api:secretFileContents.tls: tls.key is not the private key of the certificate in tls.crt",
  );
  expect(error.message).toContain(
    "fix: pulumi config set --secret --raw --path 'secretFileContents.tls[\"tls.crt\"]' -s staging < tls.crt",
  );
  expect(mocks.resources).toEqual([]);
  const key = TLS_B.key.split("\n")[1];
  expect(error.message).not.toContain(key);
});

test("no file content, nor its base64, appears outside a secret property, in outputs or logs", async () => {
  const log = jest.spyOn(process.stdout, "write");
  const errors = jest.spyOn(process.stderr, "write");
  const { mocks, outputs } = await run(withFileSets(TLS_A, { tlsRestart: true }));
  const contents = [TLS_A.key, TLS_A.crt, GCP_CREDENTIALS];
  const needles = [...contents, ...contents.map((c) => Buffer.from(c).toString("base64"))];
  const properties = nonSecretProperties(mocks);
  expect(findLeaks(properties, needles)).toEqual([]);
  expect(findLeaks({ outputs }, needles)).toEqual([]);
  const logs = [...log.mock.calls, ...errors.mock.calls].map(String);
  expect(findLeaks({ logs }, needles)).toEqual([]);
  log.mockRestore();
  errors.mockRestore();
  const data = mocks.ofType("kubernetes:core/v1:Secret").map((s) => s.inputs.data);
  expect(findLeaks({ data }, needles)).toHaveLength(needles.length);
});

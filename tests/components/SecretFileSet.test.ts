// SecretFileSet on its own, under Pulumi's mock runtime: the Secret it registers for one set of
// files, its checksum, and how mountFileSets tells the Deployment to mount each set.

import * as pulumi from "@pulumi/pulumi";
import { SecretFileSet, mountFileSets } from "../../components/SecretFileSet";
import { secretChecksum } from "../../lib/checksum";
import {
  RecordingMocks,
  isSecretInput,
  plain,
  settle,
  valueOf,
} from "../../review/engine/mockRuntime";
import { installProgramMocks } from "../../review/engine/programRun";
import { SECRET_TYPE, decode } from "../support/components";

let mocks: RecordingMocks;
beforeEach(async () => {
  mocks = await installProgramMocks("unit");
});

const KEY = "k".repeat(64);
const FILES = {
  "tls.crt": "-----BEGIN CERTIFICATE-----unit",
  "tls.key": "-----BEGIN PRIVATE KEY-----unit",
};

async function build(args: Partial<ConstructorParameters<typeof SecretFileSet>[1]> = {}) {
  const component = new SecretFileSet("task-api-files-tls", {
    namespace: "ns",
    secretName: "task-api-files-tls",
    type: "kubernetes.io/tls",
    files: FILES,
    checksumKey: KEY,
    annotations: { "task-api/secret-files": "{}" },
    ...args,
  });
  await settle();
  return { component, secret: mocks.single(SECRET_TYPE) };
}

test("is a Secret of the set's type and name, its files base64 under data as a secret input", async () => {
  const { component, secret } = await build();
  expect(secret.inputs.type).toBe("kubernetes.io/tls");
  expect(secret.inputs.metadata).toMatchObject({ name: "task-api-files-tls", namespace: "ns" });
  expect(secret.inputs.metadata.annotations["task-api/secret-files"]).toBe("{}");
  expect(isSecretInput(secret.inputs.data)).toBe(true);
  expect(decode(plain(secret.inputs.data))).toEqual(FILES);
  expect(await valueOf(component.secretName)).toBe("task-api-files-tls");
});

test("its checksum is the HMAC of its type and files under the stack's key, and not secret", async () => {
  const { component } = await build();
  expect(await pulumi.isSecret(component.checksum)).toBe(false);
  expect(await valueOf(component.checksum)).toBe(secretChecksum(KEY, "kubernetes.io/tls", FILES));
  // The type counts: the same files as an Opaque set have another checksum.
  mocks = await installProgramMocks("unit-opaque");
  const opaque = await build({ type: "Opaque" });
  expect(await valueOf(opaque.component.checksum)).toBe(secretChecksum(KEY, "Opaque", FILES));
  expect(await valueOf(opaque.component.checksum)).not.toBe(await valueOf(component.checksum));
});

test("mountFileSets mounts each set by its names, with a checksum only for a set that restarts on change", async () => {
  const parent = new pulumi.ComponentResource("unit:test:Parent", "parent");
  const base = {
    type: "Opaque" as const,
    contents: { "credentials.json": "{}" },
    files: ["credentials.json"],
  };
  const mounts = mountFileSets(
    "task-api",
    [
      { ...base, name: "gcp", mountPath: "/var/run/gcp", restartOnChange: false },
      { ...base, name: "aws", mountPath: "/var/run/aws", restartOnChange: true },
    ],
    { namespace: "ns", checksumKey: KEY },
    parent,
  );
  await settle();
  expect(
    mounts.map(({ volumeName, mountPath, checksum }) => [
      volumeName,
      mountPath,
      checksum?.annotation,
    ]),
  ).toEqual([
    ["files-gcp", "/var/run/gcp", undefined],
    ["files-aws", "/var/run/aws", "checksum/files-aws"],
  ]);
  expect(
    mocks
      .ofType(SECRET_TYPE)
      .map((s) => s.inputs.metadata.name)
      .sort(),
  ).toEqual(["task-api-files-aws", "task-api-files-gcp"]);
});

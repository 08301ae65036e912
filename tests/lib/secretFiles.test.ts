// lib/secretFiles.ts: the annotation on a file set's Secret that describes it without any content
// (written by the program, read back by npm run render and env), and the names a set gives.

import {
  SecretFileSet,
  fileSetNames,
  parseSecretFilesAnnotation,
  secretFilesAnnotation,
} from "../../lib/secretFiles";

const GCP: SecretFileSet = {
  name: "gcp",
  type: "Opaque",
  mountPath: "/var/run/gcp",
  files: ["token.json", "credentials.json"],
  restartOnChange: true,
};
const FACTS = { subject: "CN=shop.example.com", expires: "2027-01-31T00:00:00.000Z" };

test("the annotation says where and which files, sorted, and the certificate only when there is one", () => {
  expect(secretFilesAnnotation(GCP)).toBe(
    '{"mountPath":"/var/run/gcp","files":["credentials.json","token.json"],"restartOnChange":true}',
  );
  expect(JSON.parse(secretFilesAnnotation(GCP, FACTS))).toEqual({
    mountPath: "/var/run/gcp",
    files: ["credentials.json", "token.json"],
    restartOnChange: true,
    certificate: FACTS,
  });
  // The set itself is left as it was.
  expect(GCP.files).toEqual(["token.json", "credentials.json"]);
});

test("an annotation the program wrote reads back as the description it was written from", () => {
  expect(parseSecretFilesAnnotation(secretFilesAnnotation(GCP, FACTS))).toEqual({
    mountPath: "/var/run/gcp",
    files: ["credentials.json", "token.json"],
    restartOnChange: true,
    certificate: FACTS,
  });
});

test.each([
  ["no annotation", undefined],
  ["text that is not JSON", "{mountPath"],
  ["JSON that is not an object", '["/etc/tls"]'],
  ["an object without a mount path", '{"files":["a"]}'],
  ["a mount path that is not a string", '{"mountPath":5}'],
])("%s describes no set", (_what, text) => {
  expect(parseSecretFilesAnnotation(text)).toBeUndefined();
});

test("a set's Secret, volume and checksum annotation are named after the app and the set", () => {
  expect(fileSetNames("task-api", "tls")).toEqual({
    secretName: "task-api-files-tls",
    volumeName: "files-tls",
    checksumAnnotation: "checksum/files-tls",
  });
});

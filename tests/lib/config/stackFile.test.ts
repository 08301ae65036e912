// lib/config/stackFile.ts: the stack file as the program itself reads it.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  isSecureLeaf,
  plaintextLeafNames,
  plaintextLeafPaths,
  readYamlFile,
} from "../../../lib/config/stackFile";

test("plaintextLeafNames lists the plaintext leaves of a stack file's secrets, and none without a file", () => {
  const dir = mkdtempSync(join(tmpdir(), "stack-file-"));
  try {
    writeFileSync(
      join(dir, "Pulumi.mixed.yaml"),
      "config:\n  task-api:secrets:\n    A: {secure: v1:abc}\n    B: plain-value\n    C: {secure: v1:def}\n",
    );
    expect(plaintextLeafNames(dir, "mixed", "task-api:secrets")).toEqual(["B"]);
    expect(plaintextLeafNames(dir, "absent", "task-api:secrets")).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("plaintextLeafPaths lists plaintext leaves at any depth, as SET.FILE for file contents", () => {
  const dir = mkdtempSync(join(tmpdir(), "stack-file-"));
  try {
    writeFileSync(
      join(dir, "Pulumi.mixed.yaml"),
      "config:\n  task-api:secretFileContents:\n    tls:\n      tls.crt: {secure: v1:abc}\n      tls.key: plain-key\n",
    );
    expect(plaintextLeafPaths(dir, "mixed", "task-api:secretFileContents")).toEqual([
      "tls.tls.key",
    ]);
    expect(plaintextLeafPaths(dir, "absent", "task-api:secretFileContents")).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a secure leaf is an object with exactly one string `secure`", () => {
  expect(isSecureLeaf({ secure: "v1:abc" })).toBe(true);
  expect(isSecureLeaf({ secure: "v1:abc", other: 1 })).toBe(false);
  expect(isSecureLeaf({ secure: 1 })).toBe(false);
  expect(isSecureLeaf("v1:abc")).toBe(false);
  expect(isSecureLeaf(null)).toBe(false);
});

test("a YAML syntax error names the file and position, never the offending line", () => {
  const dir = mkdtempSync(join(tmpdir(), "stack-file-"));
  try {
    const file = join(dir, "Pulumi.broken.yaml");
    writeFileSync(file, "config:\n  task-api:secrets: {A: hunter2-in-the-clear\n");
    expect(() => readYamlFile(file)).toThrow(`${file}: not valid YAML at line`);
    expect(() => readYamlFile(file)).not.toThrow(/hunter2/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

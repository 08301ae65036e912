// lib/config/stackFile.ts: the stack file as the program itself reads it.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  MAX_YAML_BYTES,
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

describe("what the YAML parser would print is never printed", () => {
  const SECRET = "hunter2-sk-live-9f8e7d";
  function readError(yaml: string): string {
    const dir = mkdtempSync(join(tmpdir(), "stack-file-"));
    const warnings: unknown[] = [];
    const onWarning = (warning: unknown) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const file = join(dir, "Pulumi.x.yaml");
      writeFileSync(file, yaml);
      try {
        readYamlFile(file);
      } catch (error) {
        return String((error as Error).message);
      }
      throw new Error("expected readYamlFile to refuse the file");
    } finally {
      process.off("warning", onWarning);
      // The parser's process.emitWarning quotes the offending line: it must not have been called.
      expect(warnings).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    }
  }

  test("an unknown tag (!vault) is refused by position, and the parser emits no warning", () => {
    const message = readError(`config:\n  task-api:image: !vault ${SECRET}\n`);
    expect(message).toContain("line 2, column 19 (TAG_RESOLVE_FAILED)");
    expect(message).not.toContain(SECRET);
  });

  test("a key that is a list is refused by position, never as its text", () => {
    const message = readError(`config:\n  ? [${SECRET}, other]\n  : x\n`);
    expect(message).toContain("a key at line 2, column 5 is a list or a map");
    expect(message).not.toContain(SECRET);
  });

  test("a file over the size bound is refused before it is parsed", () => {
    const message = readError(`config:\n  task-api:image: "${"x".repeat(MAX_YAML_BYTES)}"\n`);
    expect(message).toContain(`at most ${MAX_YAML_BYTES} bytes are read`);
  });
});

test("a file read again is parsed anew when edited, and a caller's change to a read stays its own", () => {
  const dir = mkdtempSync(join(tmpdir(), "stack-file-"));
  try {
    const file = join(dir, "Pulumi.dev.yaml");
    writeFileSync(file, "config:\n  task-api:replicas: 2\n");
    const first = readYamlFile(file) as { config: Record<string, unknown> };
    expect(first.config["task-api:replicas"]).toBe(2);
    first.config["task-api:replicas"] = 9;
    expect(readYamlFile(file)).toEqual({ config: { "task-api:replicas": 2 } });
    writeFileSync(file, "config:\n  task-api:replicas: 3\n");
    expect(readYamlFile(file)).toEqual({ config: { "task-api:replicas": 3 } });
    writeFileSync(file, "config: [\n");
    const failures = [1, 2].map(() => {
      try {
        readYamlFile(file);
      } catch (error) {
        return error;
      }
      throw new Error("expected the read to fail");
    });
    for (const failure of failures) {
      expect((failure as Error).message).toContain(`${file}: not valid YAML at line`);
    }
    // Each read fails with an error of its own, whose trace is that read's.
    expect(failures[0]).not.toBe(failures[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// `task-api:secretFileContents`: SET: {FILE: content}, encrypted, matched against the declared file
// sets (secretFilesKey.ts) and, for TLS sets, checked as a certificate and its key (tlsCertificate.ts).
// Contents leave this module only as secret Outputs; messages name sets and files, never content.

import * as pulumi from "@pulumi/pulumi";
import { CertificateFacts, SecretFileSet, TLS_TYPE } from "../secretFiles";
import { isPlainObject } from "../values";
import { fieldPath, removeCommand, removeKeyCommand } from "./commands";
import { configKey } from "./keys";
import { ConfigReader } from "./reader";
import { SecretFileSetSettings } from "./settings";
import { checkCertificate } from "./tlsCertificate";
import { dataSize, MAX_DATA_BYTES } from "../objectData";

const KEY = "secretFileContents";

/**
 * The command that sets one file's content from a file, encrypted, byte for byte: `config set`
 * reads a value from standard input when none is given, and `--raw` keeps its trailing newline
 * (Pulumi CLI, `pulumi config set --help`).
 */
export function setFileContentCommand(set: string, file: string, stack: string): string {
  return `pulumi config set --secret --raw --path '${fieldPath(`${KEY}.${set}`, file)}' -s ${stack} < ${file}`;
}

/** The sets with their contents; every missing, extra, oversized or unusable content recorded. */
export function readSecretFileContents(
  reader: ConfigReader,
  sets: readonly SecretFileSet[],
  warnings: string[],
  now: Date,
): SecretFileSetSettings[] {
  const plain = readPlainContents(reader, sets);
  return sets.flatMap((set) => {
    const files = plain[set.name] ?? {};
    const before = reader.problems.length;
    for (const file of set.files.filter((f) => typeof files[f] !== "string")) {
      reader.fail(
        fieldPath(`${KEY}.${set.name}`, file),
        `the content of ${set.mountPath}/${file} is not set (declared in ${configKey(`secretFiles.${set.name}`)})`,
        setFileContentCommand(set.name, file, reader.stack),
      );
    }
    if (dataSize(files) > MAX_DATA_BYTES) {
      reader.fail(
        `${KEY}.${set.name}`,
        `the files add up to more than the ${MAX_DATA_BYTES} bytes a Secret holds`,
      );
    }
    let certificate: CertificateFacts | undefined;
    if (set.type === TLS_TYPE && reader.problems.length === before) {
      const check = checkCertificate(files["tls.crt"], files["tls.key"], now);
      const where = configKey(fieldPath(KEY, set.name));
      check.problems.forEach((message) =>
        reader.fail(
          `${KEY}.${set.name}`,
          message,
          `${setFileContentCommand(set.name, "tls.crt", reader.stack)} && ${setFileContentCommand(set.name, "tls.key", reader.stack)}`,
        ),
      );
      warnings.push(...check.warnings.map((warning) => `${where}: ${warning}`));
      certificate = check.facts;
    }
    if (reader.problems.length > before) {
      return [];
    }
    const contents = Object.fromEntries(
      set.files.map((file) => [file, pulumi.secret(files[file])]),
    );
    return [{ ...set, contents, ...(certificate ? { certificate } : {}) }];
  });
}

/** The decrypted contents by set and file; a set or file nobody declared is recorded. */
function readPlainContents(
  reader: ConfigReader,
  sets: readonly SecretFileSet[],
): Record<string, Record<string, string>> {
  const text = reader.raw.values[KEY];
  if (text === undefined || text.replace(/\s/g, "") === "{}") {
    return {};
  }
  if (!reader.raw.isSecret(KEY)) {
    reader.fail(
      KEY,
      "is stored in plaintext in the stack file (not encrypted). Treat the files as leaked: " +
        "replace them (a new key, new credentials), remove the key, and set each one again encrypted",
      `${removeKeyCommand(KEY, reader.stack)} && ${setFileContentCommand("SET", "FILE", reader.stack)}   (once per file)`,
    );
    return {};
  }
  for (const path of reader.raw.plaintextFileContents ?? []) {
    const [set, ...file] = path.split(".");
    reader.fail(
      fieldPath(`${KEY}.${set}`, file.join(".")),
      "is stored in plaintext in the stack file, beside encrypted files. Treat it as leaked: " +
        "replace it, then set the new one encrypted",
      setFileContentCommand(set, file.join("."), reader.stack),
    );
  }
  const value = reader.json(KEY);
  if (!isPlainObject(value)) {
    reader.fail(
      KEY,
      "must be an object of SET: {FILE: content}",
      setFileContentCommand("SET", "FILE", reader.stack),
    );
    return {};
  }
  const result: Record<string, Record<string, string>> = {};
  // A set declared with a problem of its own is reported there: its files are not "undeclared",
  // and removing them, as that fix would say, would lose the user's secret.
  const declared = reader.json("secretFiles");
  for (const [setName, files] of Object.entries(value)) {
    const set = sets.find((s) => s.name === setName);
    const setPath = fieldPath(KEY, setName);
    if (set === undefined && isPlainObject(declared) && Object.hasOwn(declared, setName)) {
      continue;
    }
    if (set === undefined || !isPlainObject(files)) {
      reader.fail(
        setPath,
        set === undefined
          ? `no file set "${setName}" is declared in ${configKey("secretFiles")}`
          : "must be an object of FILE: content",
        removeCommand(setPath, reader.stack),
      );
      continue;
    }
    result[setName] = {};
    for (const [file, content] of Object.entries(files)) {
      const path = fieldPath(`${KEY}.${setName}`, file);
      if (!set.files.includes(file)) {
        reader.fail(
          path,
          `set "${setName}" declares no file "${file}" (it has ${set.files.join(", ")})`,
          removeCommand(path, reader.stack),
        );
      } else if (typeof content !== "string" || content === "") {
        reader.fail(
          path,
          "must be the file's content, not empty",
          setFileContentCommand(setName, file, reader.stack),
        );
      } else {
        result[setName][file] = content;
      }
    }
  }
  return result;
}

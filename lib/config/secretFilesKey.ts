// `task-api:secretFiles`: the file sets, NAME: {type, mountPath, files, restartOnChange}, read and
// checked. Their contents come from the encrypted `task-api:secretFileContents`
// (secretFileContents.ts). Every problem names its key and the command that fixes it.

import { isDataKey, isDns1123Label } from "../names";
import { FileSetType, SecretFileSet, TLS_FILES, TLS_TYPE } from "../secretFiles";
import { isPlainObject } from "../values";
import { fieldPath, removeCommand, setPlaintextCommand } from "./commands";
import { ConfigReader, Json } from "./reader";
import { didYouMean } from "./suggest";

const KEY = "secretFiles";
const FIELDS = ["type", "mountPath", "files", "restartOnChange"];
const TYPES: readonly FileSetType[] = ["Opaque", TLS_TYPE];
/** A set's name is part of its Secret's and volume's names (lib/secretFiles.ts, fileSetNames). */
const MAX_SET_NAME = 40;

/** The file sets of the stack, sorted by name; a set with a problem is left out. */
export function readSecretFileSets(reader: ConfigReader): SecretFileSet[] {
  const value = reader.json(KEY);
  if (value === undefined) {
    return [];
  }
  if (!isPlainObject(value)) {
    reader.fail(
      KEY,
      "must be an object of NAME: {type, mountPath, files, restartOnChange}",
      setPlaintextCommand(`${KEY}.tls.mountPath`, "/etc/tls", reader.stack),
    );
    return [];
  }
  const sets = Object.entries(value)
    .map(([name, entry]) => readSet(reader, name, entry))
    .filter((set): set is SecretFileSet => set !== undefined)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  return sets.filter((set) => !overlapsAnother(reader, set, sets));
}

function readSet(reader: ConfigReader, name: string, entry: Json): SecretFileSet | undefined {
  const path = fieldPath(KEY, name);
  if (!isDns1123Label(name) || name.length > MAX_SET_NAME) {
    return reader.fail(
      path,
      `"${name}" is not a valid set name (lowercase letters, digits and '-', at most ${MAX_SET_NAME} characters): it names the set's Secret and volume`,
      removeCommand(path, reader.stack),
    );
  }
  if (!isPlainObject(entry)) {
    return reader.fail(
      path,
      "must be {type, mountPath, files, restartOnChange}",
      setPlaintextCommand(`${path}.mountPath`, `/etc/${name}`, reader.stack),
    );
  }
  const before = reader.problems.length;
  for (const field of Object.keys(entry).filter((f) => !FIELDS.includes(f))) {
    const suggestion = didYouMean(field, FIELDS);
    reader.fail(
      `${path}.${field}`,
      `unknown field "${field}"; a file set has only ${FIELDS.join(", ")}` +
        (suggestion ? ` (did you mean ${suggestion}?)` : ""),
      removeCommand(`${path}.${field}`, reader.stack),
    );
  }
  const type = readType(reader, path, entry.type);
  const mountPath = readMountPath(reader, path, name, entry.mountPath);
  const files = type === undefined ? undefined : readFiles(reader, path, type, entry.files);
  const restartOnChange = entry.restartOnChange ?? false;
  if (typeof restartOnChange !== "boolean") {
    reader.fail(
      `${path}.restartOnChange`,
      "must be true or false",
      setPlaintextCommand(`${path}.restartOnChange`, "true", reader.stack),
    );
  }
  if (reader.problems.length > before || !type || !mountPath || !files) {
    return undefined;
  }
  return { name, type, mountPath, files, restartOnChange: restartOnChange === true };
}

function readType(
  reader: ConfigReader,
  path: string,
  value: Json | undefined,
): FileSetType | undefined {
  const type = value ?? "Opaque";
  if (typeof type === "string" && (TYPES as readonly string[]).includes(type)) {
    return type as FileSetType;
  }
  return reader.fail(
    `${path}.type`,
    `must be Opaque (any files) or ${TLS_TYPE} (tls.crt and tls.key)${reader.shown(KEY, type)}`,
    setPlaintextCommand(`${path}.type`, TLS_TYPE, reader.stack),
  );
}

function readMountPath(
  reader: ConfigReader,
  path: string,
  name: string,
  value: Json | undefined,
): string | undefined {
  if (
    typeof value === "string" &&
    /^(\/[A-Za-z0-9._-]+)+$/.test(value) &&
    !value.split("/").some((part) => part === "." || part === "..") &&
    value !== "/tmp" &&
    !value.startsWith("/tmp/")
  ) {
    return value;
  }
  return reader.fail(
    `${path}.mountPath`,
    `must be an absolute directory such as /etc/${name}, not /tmp (the app's scratch volume)${reader.shown(KEY, value)}`,
    setPlaintextCommand(`${path}.mountPath`, `/etc/${name}`, reader.stack),
  );
}

function readFiles(
  reader: ConfigReader,
  path: string,
  type: FileSetType,
  value: Json | undefined,
): readonly string[] | undefined {
  if (type === TLS_TYPE) {
    const given = Array.isArray(value) ? [...value].sort() : value;
    if (value === undefined || JSON.stringify(given) === JSON.stringify([...TLS_FILES])) {
      return TLS_FILES;
    }
    return reader.fail(
      `${path}.files`,
      `a ${TLS_TYPE} set always holds tls.crt and tls.key; leave files out`,
      removeCommand(`${path}.files`, reader.stack),
    );
  }
  const files = Array.isArray(value) ? value : [];
  if (
    files.length > 0 &&
    files.every((file) => typeof file === "string" && isDataKey(file)) &&
    new Set(files).size === files.length
  ) {
    return files as string[];
  }
  return reader.fail(
    `${path}.files`,
    "must list the file names, each once (letters, digits, '-', '_' and '.'), e.g. [credentials.json]",
    setPlaintextCommand(`${path}.files[0]`, "credentials.json", reader.stack),
  );
}

/** Two sets mounted at the same directory, or one inside the other, would hide each other. */
function overlapsAnother(
  reader: ConfigReader,
  set: SecretFileSet,
  sets: readonly SecretFileSet[],
): boolean {
  const other = sets.find(
    (o) =>
      o.name < set.name &&
      (o.mountPath === set.mountPath ||
        o.mountPath.startsWith(`${set.mountPath}/`) ||
        set.mountPath.startsWith(`${o.mountPath}/`)),
  );
  if (other) {
    reader.fail(
      `${fieldPath(KEY, set.name)}.mountPath`,
      `${set.mountPath} overlaps the mount of set "${other.name}" (${other.mountPath}); give each set a directory of its own`,
      setPlaintextCommand(
        `${fieldPath(KEY, set.name)}.mountPath`,
        `/etc/${set.name}`,
        reader.stack,
      ),
    );
  }
  return other !== undefined;
}

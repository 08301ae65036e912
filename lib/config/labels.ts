// `task-api:selectorLabels`, a label map, checked with the API server's rules for label keys and
// values (lib/names.ts), each problem with the command that fixes it.

import { isLabelKey, isLabelValue } from "../names";
import { isPlainObject, setOwn } from "../values";
import { fieldPath, removeCommand, setCommand } from "./commands";
import { ConfigName } from "./keys";
import { isShowableName, unshownNameProblem } from "./quoting";
import { ConfigReader } from "./reader";

/** The Deployment's selector labels; undefined (the program's own) when unset or empty. */
export function readSelectorLabels(reader: ConfigReader): Record<string, string> | undefined {
  return readLabels(reader, "selectorLabels");
}

/** An object of label keys to label values, e.g. `app: task-api`; empty (the default) is unset. */
function readLabels(reader: ConfigReader, name: ConfigName): Record<string, string> | undefined {
  const value = reader.json(name);
  if (value === undefined || (isPlainObject(value) && Object.keys(value).length === 0)) {
    return undefined;
  }
  if (!isPlainObject(value)) {
    return reader.fail(
      name,
      "must be an object of labels, e.g. app: task-api",
      `${removeCommand(name, reader.stack)} && ${setCommand(`${name}.app`, "task-api", reader.stack)}`,
    );
  }
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    const path = fieldPath(name, key);
    if (!isShowableName(key)) {
      reader.report(unshownNameProblem(name, reader.stack));
    } else if (!isLabelKey(key)) {
      reader.fail(
        path,
        `"${key}" is not a valid label key (an optional DNS subdomain and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)`,
        removeCommand(path, reader.stack),
      );
    } else if (typeof item !== "string" || !isLabelValue(item)) {
      reader.fail(
        path,
        `must be a label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)${reader.shown(name, item)}`,
        setCommand(path, "task-api", reader.stack),
      );
    } else {
      setOwn(result, key, item);
    }
  }
  return result;
}

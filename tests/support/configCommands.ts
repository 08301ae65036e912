// What the fix commands the checks print do to a stack's config, for the tests that follow them:
// `pulumi config set [--secret|--plaintext] [--path] [--type T] KEY [VALUE]` and
// `pulumi config rm [--path] KEY`, joined by `&&`, as Pulumi applies them (pulumi/pulumi
// sdk/go/common/resource/config PropertyPath: `a.b`, `a["b"]`, `a[0]`; a list index one past
// the end appends). A command that is not one of these fails the test.

import { StackValue } from "../../lib/config/stackFile";

/** What the user types where a command prompts (`--secret` without a value) or says VALUE. */
export interface Answers {
  readonly secret: string;
  readonly value?: string;
}

/** The stack values after running `commands` (one fix: `A && B && ...`). */
export function applyCommands(
  values: Readonly<Record<string, StackValue>>,
  commands: string,
  answers: Answers,
): Record<string, StackValue> {
  const next = structuredClone(values) as Record<string, StackValue>;
  for (const command of commands.split(" && ")) {
    applyCommand(next, command.trim(), answers);
  }
  return next;
}

function applyCommand(values: Record<string, StackValue>, command: string, answers: Answers) {
  const words = shellWords(command);
  const [program, group, verb, ...rest] = words;
  expect([program, group]).toEqual(["pulumi", "config"]);
  const flags = new Set(rest.filter((word) => word.startsWith("--")));
  const args = rest.filter(
    (word, index) =>
      !word.startsWith("-") && rest[index - 1] !== "--type" && rest[index - 1] !== "-s",
  );
  expect(rest[rest.indexOf("-s") + 1]).toBe("staging");
  const [key, value] = args;
  const path = flags.has("--path") ? parsePath(key) : [key];
  const fullPath = String(path[0]).includes(":") ? path : [`task-api:${path[0]}`, ...path.slice(1)];
  if (verb === "rm") {
    removeAt(values, fullPath);
    return;
  }
  expect(verb).toBe("set");
  if (flags.has("--secret")) {
    expect(value).toBeUndefined();
    setAt(values, fullPath, { secure: answers.secret });
    return;
  }
  expect(value).toBeDefined();
  const given = value === "VALUE" ? (answers.value ?? fail("no answer for VALUE")) : value;
  setAt(values, fullPath, rest.includes("--type") || flags.has("--path") ? coerced(given) : given);
}

/**
 * A value as `--path` or `--type` stores it: "true", "false" and base-10 integers without a
 * leading zero become a boolean or a number (pulumi/pulumi sdk/go/common/resource/config/object.go,
 * coerce).
 */
function coerced(value: string): StackValue {
  if (value === "true" || value === "false") {
    return value === "true";
  }
  return /^(0|-?[1-9][0-9]*)$/.test(value) ? Number(value) : value;
}

function fail(message: string): never {
  throw new Error(message);
}

/** A POSIX shell's words of a command that uses only single quotes, as commands.ts writes them. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  for (const match of command.matchAll(/(?:'((?:[^']|'\\'')*)'|(\S+))/g)) {
    words.push(match[1] !== undefined ? match[1].replace(/'\\''/g, "'") : match[2]);
  }
  return words;
}

function parsePath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\["([^"]*)"\]|\[(\d+)\]/g)) {
    segments.push(match[3] !== undefined ? Number(match[3]) : (match[2] ?? match[1]));
  }
  return segments;
}

type Container = Record<string, StackValue> | StackValue[];

function setAt(values: Record<string, StackValue>, path: (string | number)[], value: StackValue) {
  let parent: Container = values;
  path.slice(0, -1).forEach((segment, index) => {
    const child = (parent as Record<string, StackValue>)[segment as string];
    if (child === undefined || child === null || typeof child !== "object") {
      const created: Container = typeof path[index + 1] === "number" ? [] : {};
      (parent as Record<string, StackValue>)[segment as string] = created;
      parent = created;
    } else {
      parent = child as Container;
    }
  });
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === "number") {
    expect(last).toBeLessThanOrEqual(parent.length);
  }
  parent[last as string] = value;
}

function removeAt(values: Record<string, StackValue>, path: (string | number)[]) {
  let parent: Container | undefined = values;
  for (const segment of path.slice(0, -1)) {
    parent = (parent as Record<string, StackValue>)[segment as string] as Container | undefined;
    expect(parent).toBeDefined();
  }
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === "number") {
    parent.splice(last, 1);
  } else {
    delete (parent as Record<string, StackValue>)[last as string];
  }
}

// What the review commands (render, env, diff) share: argument parsing, the project they look at,
// and how they fail. The program's own errors (bad config) are printed as the program words them,
// without a stack trace that would bury the list of problems. Light on purpose: a command reads its
// arguments with this alone, and loads the SDK and the program only once they are right.

import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_DIR } from "./engine/programFacts";
import { listStacks } from "./engine/stackFiles";
import { didYouMean } from "../lib/config/suggest";
import { isUserFacingError } from "../lib/userFacingError";
import { UsageError } from "./usageError";

/** Parses `STACK [--option VALUE]... [--flag]...`; each option is a string, each flag a switch. */
export function parseCommandLine<Option extends string, Flag extends string = never>(
  usage: string,
  options: readonly Option[],
  flags: readonly Flag[] = [],
): { stack: string; options: Partial<Record<Option, string>>; flags: ReadonlySet<Flag> } {
  const parsed = parseStackArguments(usage, options, () => PROJECT_DIR, flags);
  if (parsed.stacks.length !== 1) {
    throw new UsageError(`usage: ${usage}`);
  }
  return { stack: parsed.stacks[0], options: parsed.options, flags: parsed.flags };
}

/** Parses `[--option VALUE]... [--flag]...` of a command that takes no stack, as the others do. */
export function parseOptions<Option extends string, Flag extends string = never>(
  usage: string,
  options: readonly Option[],
  flags: readonly Flag[] = [],
): Partial<Record<Option, string>> & { readonly flags: ReadonlySet<Flag> } {
  const parsed = parseStackArguments(usage, options, () => PROJECT_DIR, flags);
  if (parsed.stacks.length > 0) {
    throw new UsageError(`takes no arguments but options\nusage: ${usage}`);
  }
  return { ...parsed.options, flags: parsed.flags };
}

/** `--help` or `-h` among the arguments: the usage goes to stdout and the command exits 0. */
export function helpRequested(usage: string, args: readonly string[]): boolean {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`usage: ${usage}\n`);
    return true;
  }
  return false;
}

/**
 * Parses `[STACK...] [--option VALUE]...`: `--help` ends the command with the usage, an unknown
 * option gets "did you mean", and each stack must be a name (Pulumi's rule, never a path such as
 * x/../../tmp/y) with a Pulumi.STACK.yaml in `stacksDir` (given the parsed options).
 */
export function parseStackArguments<Option extends string, Flag extends string = never>(
  usage: string,
  options: readonly Option[],
  stacksDir: (values: Partial<Record<Option, string>>) => string,
  flags: readonly Flag[] = [],
): { stacks: string[]; options: Partial<Record<Option, string>>; flags: ReadonlySet<Flag> } {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    throw new HelpRequested(`usage: ${usage}`);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...Object.fromEntries(options.map((name) => [name, { type: "string" as const }])),
        ...Object.fromEntries(flags.map((name) => [name, { type: "boolean" as const }])),
      },
    });
  } catch (error) {
    const unknown = /^Unknown option '--([^']+)'/.exec((error as Error).message)?.[1];
    const suggestion =
      unknown === undefined ? undefined : didYouMean(unknown, [...options, ...flags]);
    const problem =
      unknown === undefined
        ? (error as Error).message
        : `unknown option --${unknown}${suggestion ? `; did you mean --${suggestion}?` : ""}`;
    throw new UsageError(`${problem}\nusage: ${usage}`);
  }
  const values = Object.fromEntries(
    Object.entries(parsed.values).filter(([, value]) => typeof value === "string"),
  ) as Partial<Record<Option, string>>;
  const set = new Set(flags.filter((flag) => parsed.values[flag] === true));
  const dir = stacksDir(values);
  for (const stack of parsed.positionals) {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack) || stack === "." || stack === "..") {
      throw new UsageError(
        `"${stack}" is not a stack name (letters, digits, '-', '_' and '.')\nusage: ${usage}`,
      );
    }
    if (!existsSync(join(dir, `Pulumi.${stack}.yaml`))) {
      throw new UsageError(
        `no stack "${stack}" here (Pulumi.${stack}.yaml); stacks: ${listStacks(dir).join(", ")}`,
      );
    }
  }
  return { stacks: parsed.positionals, options: values, flags: set };
}

/** `--OPTION DIR` names a folder that exists; otherwise a one-line UsageError. */
export function existingFolder(option: string, dir: string): string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`--${option} ${dir}: no such folder`);
  }
  return dir;
}

/**
 * `--OPTION DIR` as a folder to write into: made if missing, one level at a time (Node's
 * recursive mkdir never returns on a path under /proc), or a one-line UsageError saying why not.
 */
export function writableFolder(option: string, dir: string): string {
  const path = resolve(dir);
  const missing: string[] = [];
  let existing = path;
  while (!existsSync(existing)) {
    missing.unshift(existing);
    existing = dirname(existing);
  }
  const refuse = (why: string) => new UsageError(`--${option} ${dir}: ${why}`);
  if (!statSync(existing).isDirectory()) {
    throw refuse(existing === path ? "exists and is not a folder" : `${existing} is not a folder`);
  }
  try {
    missing.forEach((folder) => mkdirSync(folder));
    accessSync(path, constants.W_OK);
  } catch (error) {
    throw refuse(`cannot write there (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  return path;
}

/** `--help`: the usage goes to stdout and the command exits 0. */
class HelpRequested extends Error {}

/** Runs a command, exiting non-zero with a readable message when it fails. */
export function runCommand(main: () => Promise<void>): void {
  // Through a promise, so that an error main throws before its first await is handled alike.
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      if (error instanceof HelpRequested) {
        process.stdout.write(`${error.message}\n`);
        return;
      }
      process.stderr.write(
        `${isUserFacingError(error) ? error.message : error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exitCode = UsageError.isInstance(error) ? 2 : 1;
    });
}

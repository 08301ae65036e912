// What the review commands (render, env, diff) share: argument parsing, the project they look at,
// and how they fail. The program's own errors (bad config) are printed as the program words them,
// without a stack trace that would bury the list of problems.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_DIR } from "./engine/programFacts";
import { listStacks } from "./engine/stackFiles";
import { InvalidConfigError } from "../lib/config/problems";
import { InvalidManifestsError } from "./render";
import { UsageError } from "./usageError";

/** Errors whose message is the whole story for the user. */
function isUserError(error: unknown): error is Error {
  return (
    InvalidConfigError.isInstance(error) ||
    InvalidManifestsError.isInstance(error) ||
    UsageError.isInstance(error)
  );
}

/** Parses `STACK [--option VALUE]...`; each option is a string. */
export function parseCommandLine<Option extends string>(
  usage: string,
  options: readonly Option[],
): { stack: string; options: Partial<Record<Option, string>> } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: Object.fromEntries(options.map((name) => [name, { type: "string" as const }])),
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: ${usage}`);
  }
  if (parsed.positionals.length !== 1) {
    throw new UsageError(`usage: ${usage}`);
  }
  const stack = parsed.positionals[0];
  if (!existsSync(join(PROJECT_DIR, `Pulumi.${stack}.yaml`))) {
    const stacks = listStacks(PROJECT_DIR);
    throw new UsageError(
      `no stack "${stack}" here (Pulumi.${stack}.yaml); stacks: ${stacks.join(", ")}`,
    );
  }
  return {
    stack,
    options: parsed.values as Partial<Record<Option, string>>,
  };
}

/** Runs a command, exiting non-zero with a readable message when it fails. */
export function runCommand(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(
      `${isUserError(error) ? error.message : error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = UsageError.isInstance(error) ? 2 : 1;
  });
}

import * as pulumi from "@pulumi/pulumi";
import { userFacingError } from "./userFacingError";

/** One thing wrong with the input, said so that the user can fix it without reading code. */
export interface Problem {
  /** Where: the config key, e.g. `task-api:secrets.DATABASE_PASSWORD`. */
  readonly key: string;
  /** What is wrong. Never contains a secret value or anything derived from one. */
  readonly message: string;
  /** The exact command (or edit) that fixes it. */
  readonly fix?: string;
}

/**
 * Every problem found in the input, raised at once before any resource is registered.
 *
 * A `RunError` because the engine prints its message without a JavaScript stack trace, which
 * would only hide the list from the user.
 */
export class InvalidConfigError extends userFacingError(pulumi.RunError, "InvalidConfigError") {
  constructor(
    readonly problems: readonly Problem[],
    context: string,
  ) {
    super(formatProblems(problems, context));
  }
}

/** Renders problems as a numbered list, each with its key, message and fix. */
export function formatProblems(
  problems: readonly Problem[],
  context: string,
  outcome = "nothing was deployed",
): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const lines = [`${count} in ${context}; ${outcome}.`, ""];
  problems.forEach((problem, index) => {
    lines.push(`  ${index + 1}. ${problem.key}: ${problem.message}`);
    if (problem.fix) {
      lines.push(`     fix: ${problem.fix}`);
    }
  });
  return lines.join("\n");
}

/** Throws `InvalidConfigError` when there is any problem; does nothing otherwise. */
export function throwIfProblems(problems: readonly Problem[], context: string): void {
  if (problems.length > 0) {
    throw new InvalidConfigError(problems, context);
  }
}

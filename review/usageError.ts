// An error in how a command was called: its arguments, or a checkout that lacks what they name. Its
// message is the whole story, so the commands print it without a stack trace (and exit 2).

import { hasBrand } from "../lib/values";
import { USER_FACING_ERROR } from "../lib/userFacingError";

const USAGE_ERROR = Symbol.for("task-api:UsageError");

export class UsageError extends Error {
  /** Recognises one from any load of this module (see lib/values.ts, hasBrand). */
  static isInstance(value: unknown): value is UsageError {
    return hasBrand(value, USAGE_ERROR);
  }

  /** The brand `isInstance` looks for. */
  readonly [USAGE_ERROR] = true;

  /** Printed as its message alone (lib/userFacingError.ts). */
  readonly [USER_FACING_ERROR] = true;

  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

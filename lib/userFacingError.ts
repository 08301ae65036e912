// An error whose message is the whole story for the user: the commands print it without a stack
// trace, which would bury a list of problems (review/cli.ts). Each such class carries this brand
// beside its own (see values.ts, hasBrand), so that a command recognises one without loading the
// module that defines it: the commands read their arguments before the SDK and the program load,
// and answer --help or a typo at once.

import { hasBrand } from "./values";

export const USER_FACING_ERROR = Symbol.for("task-api:user-facing-error");

/** Whether `value` is an error to print as its message alone. */
export function isUserFacingError(value: unknown): value is Error {
  return hasBrand(value, USER_FACING_ERROR);
}

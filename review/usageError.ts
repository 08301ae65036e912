// An error in how a command was called: its arguments, or a checkout that lacks what they name. Its
// message is the whole story, so the commands print it without a stack trace (and exit 2).

import { userFacingError } from "../lib/userFacingError";

export class UsageError extends userFacingError(Error, "UsageError") {}

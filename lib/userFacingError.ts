// An error whose message is the whole story for the user: the commands print it without a stack
// trace, which would bury a list of problems (review/cli.ts), and so does the engine for the
// program's own (a pulumi.RunError). Each such class is made here, so that every one carries two
// brands (see values.ts, hasBrand): its own, which its `isInstance` looks for, and the brand
// that makes it user-facing, which a command recognises without loading the module that defines
// the class: the commands read their arguments before the SDK and the program load, and answer
// --help or a typo at once.

import { hasBrand } from "./values";

export const USER_FACING_ERROR = Symbol.for("task-api:user-facing-error");

/** Whether `value` is an error to print as its message alone. */
export function isUserFacingError(value: unknown): value is Error {
  return hasBrand(value, USER_FACING_ERROR);
}

// A mixin's base class takes any arguments: TypeScript requires the constructor type of a mixin
// base to be `new (...args: any[]) => ...` (handbook, "Mixins", constrained mixins).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ErrorClass = new (...args: any[]) => Error;

/**
 * The base of a user-facing error class named `name`, extending `Base` (Error, or pulumi.RunError
 * for an error the engine prints as it is): `class StackFileError extends
 * userFacingError(Error, "StackFileError") {}`. Its brand is `Symbol.for("task-api:NAME")`.
 */
export function userFacingError<Base extends ErrorClass>(Base: Base, name: string) {
  const brand = Symbol.for(`task-api:${name}`);
  return class UserFacingError extends Base {
    /** Recognises one from any load of the module that defines it (values.ts, hasBrand). */
    static isInstance<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
      return hasBrand(value, brand);
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mixin's rule, above
    constructor(...args: any[]) {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- passed on as given
      super(...args);
      this.name = name;
      Object.defineProperty(this, brand, { value: true });
      Object.defineProperty(this, USER_FACING_ERROR, { value: true });
    }
  };
}

// What a problem message may quote of what the stack set. Messages land in terminals, CI logs and
// pull-request comments, so a value is quoted only when it cannot be a credential pasted into the
// wrong key: short, not credential-shaped, no `user@` or `user:password@` in a URL. Anything else
// is described by its kind and never shown.

import { isPlainObject } from "../values";
import { configKey } from "./keys";
import { Problem } from "../problems";
import { credentialLookingValue } from "../credentials/detector";

const MAX_QUOTED_LENGTH = 200;

// A name is shown when it looks like a name: a Kubernetes data key, label key or env var name.
const NAME = /^[A-Za-z0-9_][-A-Za-z0-9_./]{0,252}$/;

/** Whether a name (a field, a secret's or a setting's name) may be printed. */
export function isShowableName(name: string): boolean {
  return NAME.test(name) && credentialLookingValue(name) === undefined;
}

/**
 * The problem of a name that may not be printed (see isShowableName), reported at the key or
 * field that holds it: the name itself appears nowhere, not even in a fix command, so the fix is
 * to edit the stack file.
 */
export function unshownNameProblem(parentPath: string, stack: string): Problem {
  return {
    key: configKey(parentPath),
    message: `has a name that is not shown (it may hold a credential, e.g. NAME=value) and is not valid here; remove it from Pulumi.${stack}.yaml`,
  };
}

/** Whether a string may be printed: see the file comment. */
export function isShowableText(text: string): boolean {
  return (
    text.length <= MAX_QUOTED_LENGTH &&
    credentialLookingValue(text) === undefined &&
    !/:\/\/[^/\s]*@/.test(text)
  );
}

/** The value as a message may show it: quoted when it is safe to, else what kind of value it is. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") {
    return isShowableText(value) ? JSON.stringify(value) : "a value that is not shown";
  }
  if (typeof value === "number" || typeof value === "boolean" || value === null) {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `a list of ${value.length}`;
  }
  if (isPlainObject(value)) {
    const fields = Object.keys(value);
    if (fields.length === 0) {
      return "an empty object";
    }
    return fields.every(isShowableName) ? `an object with ${fields.join(", ")}` : "an object";
  }
  return "a value that is not shown";
}

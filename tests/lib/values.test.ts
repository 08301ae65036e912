// lib/values.ts: the plain-object check, the code-point compare and the error brands.

import { InvalidConfigError } from "../../lib/problems";
import { compareCodePoints, hasBrand, isPlainObject } from "../../lib/values";

test("a plain object is an object that is neither null nor a list", () => {
  expect(isPlainObject({})).toBe(true);
  expect(isPlainObject({ a: 1 })).toBe(true);
  expect(isPlainObject([])).toBe(false);
  expect(isPlainObject(null)).toBe(false);
  expect(isPlainObject("{}")).toBe(false);
  expect(isPlainObject(undefined)).toBe(false);
});

test("strings compare by code unit, not by locale: upper case before lower case", () => {
  const sorted = ["b", "a", "B", "ä", "A"].sort(compareCodePoints);
  expect(sorted).toEqual(["A", "B", "a", "b", "ä"]);
  expect(compareCodePoints("x", "x")).toBe(0);
});

test("a brand is recognised on any object that carries it, and on nothing else", () => {
  const brand = Symbol.for("task-api:test-brand");
  expect(hasBrand({ [brand]: true }, brand)).toBe(true);
  expect(hasBrand({ [brand]: "yes" }, brand)).toBe(false);
  expect(hasBrand({}, brand)).toBe(false);
  expect(hasBrand(null, brand)).toBe(false);
});

test("InvalidConfigError is recognised by its brand, also from another load of its module", () => {
  const error = new InvalidConfigError([{ key: "task-api:image", message: "is required" }], "x");
  expect(InvalidConfigError.isInstance(error)).toBe(true);
  expect(InvalidConfigError.isInstance(new Error(error.message))).toBe(false);
  let copy: typeof InvalidConfigError | undefined;
  jest.isolateModules(() => {
    copy = (require("../../lib/problems") as { InvalidConfigError: typeof InvalidConfigError })
      .InvalidConfigError;
  });
  expect(copy).toBeDefined();
  expect(copy).not.toBe(InvalidConfigError);
  expect(InvalidConfigError.isInstance(new copy!([], "another load"))).toBe(true);
});

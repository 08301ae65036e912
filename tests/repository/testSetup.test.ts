// How the test suite runs (jest.config.js, tests/support/unmappedSdkStacks.js): the SDK's own
// stack traces are left unmapped, and every other one still points at the TypeScript.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";

test("a trace taken in a test is mapped to the line of the TypeScript", () => {
  const stack = new Error("here").stack ?? ""; // the marked line
  const line = readFileSync(__filename, "utf8")
    .split("\n")
    .findIndex((text) => text.includes("// the marked line"));
  expect(stack).toContain(`${join("tests", "repository", "testSetup.test.ts")}:${line + 1}:`);
});

test("a trace the SDK takes is written as V8 writes it, frame by frame, without source maps", () => {
  const sdkFrame = {
    getFileName: () => "/p/node_modules/@pulumi/pulumi/runtime/debuggable.js",
    toString: () =>
      "debuggablePromise (/p/node_modules/@pulumi/pulumi/runtime/debuggable.js:250:80)",
  };
  const ourFrame = {
    getFileName: () => "/p/index.ts",
    toString: () => "Object.<anonymous> (/p/index.ts:9:1)",
  };
  const prepare = Error.prepareStackTrace as (error: Error, sites: object[]) => string;
  expect(prepare(new Error("boom"), [sdkFrame, ourFrame])).toBe(
    "Error: boom\n" +
      "    at debuggablePromise (/p/node_modules/@pulumi/pulumi/runtime/debuggable.js:250:80)\n" +
      "    at Object.<anonymous> (/p/index.ts:9:1)",
  );
});

test("of a trace the SDK takes, the 10 frames Node keeps outside Jest are written, not Jest's 100", () => {
  const frames = Array.from({ length: 100 }, (_, index) => ({
    getFileName: () => "/p/node_modules/@pulumi/pulumi/runtime/debuggable.js",
    toString: () => `frame${index} (/p/node_modules/@pulumi/pulumi/runtime/debuggable.js:1:1)`,
  }));
  const prepare = Error.prepareStackTrace as (error: Error, sites: object[]) => string;
  const lines = prepare(new Error("boom"), frames).split("\n");
  expect(lines).toHaveLength(11);
  expect(lines[10]).toBe(
    "    at frame9 (/p/node_modules/@pulumi/pulumi/runtime/debuggable.js:1:1)",
  );
});

test("an error the SDK throws still names the test file that made it fail, its lines unmapped", () => {
  let stack = "";
  try {
    new pulumi.Config("task-api").require("noSuchKey");
  } catch (error) {
    stack = (error as Error).stack ?? "";
  }
  expect(stack).toContain("noSuchKey");
  expect(stack).toContain(join("tests", "repository", "testSetup.test.ts"));
});

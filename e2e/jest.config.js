// The end-to-end tests: one file runs its scenarios in order against one stack, so one worker and
// no time limit per test beyond what a real `pulumi up` may need.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: "..",
  roots: ["<rootDir>/e2e"],
  testMatch: ["**/*.e2e.test.ts"],
  testEnvironment: "node",
  // tsc --noEmit type-checks these files in npm test; here they are only transpiled.
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: { isolatedModules: true } }] },
  maxWorkers: 1,
  testTimeout: 600000,
};

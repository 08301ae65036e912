/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  // Loading @pulumi/kubernetes is the slow part of every test file; two workers match CI's 2 cores.
  maxWorkers: 2,
  testTimeout: 30000,
};

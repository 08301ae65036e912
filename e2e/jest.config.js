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
  // Above the provider's wait for a Deployment's rollout (pulumi-kubernetes,
  // provider/pkg/await/deployment.go: DefaultDeploymentTimeoutMins = 10), which every `up` of the
  // e2e stack does: a rollout that never finishes fails the `up` with the provider's own message,
  // naming the pods' errors, before Jest gives up on the test without one.
  testTimeout: 900000,
};

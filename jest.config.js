// GitHub's own workflow parser and expression engine (@actions/workflow-parser, @actions/expressions)
// ship only ES modules, and the parser imports its schema JSON without an import attribute, so Node
// cannot load it as is (actions/languageservices#387). Jest compiles those two packages to CommonJS
// like our own code; the mapper points at their files because their package "exports" offer only
// the "import" condition, which Jest's CommonJS resolver does not use.
const GITHUB_PARSER = "@actions/(workflow-parser|expressions)";

/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  // Loading @pulumi/kubernetes is the slow part of every test file; two workers match CI's 2 cores.
  maxWorkers: 2,
  testTimeout: 30000,
  setupFiles: ["<rootDir>/tests/support/lazySdkModules.js"],
  // After the environment, once Jest has installed source-map-support.
  setupFilesAfterEnv: ["<rootDir>/tests/support/unmappedSdkStacks.js"],
  transform: {
    // tsconfig.json sets isolatedModules, so ts-jest transpiles each file alone, without checking
    // types a second time: `tsc --noEmit` (npm test's first step) checks them, once, and
    // isolatedModules makes it refuse what a file-by-file transpile would get wrong.
    "^.+\\.ts$": "ts-jest",
    [`/node_modules/${GITHUB_PARSER}/.+\\.js$`]: [
      "ts-jest",
      {
        tsconfig: {
          allowJs: true,
          module: "commonjs",
          target: "ES2022",
          esModuleInterop: true,
          isolatedModules: true,
        },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!${GITHUB_PARSER}/)`],
  moduleNameMapper: {
    [`^${GITHUB_PARSER}$`]: "<rootDir>/node_modules/@actions/$1/dist/index.js",
    [`^${GITHUB_PARSER}/(.+)$`]: "<rootDir>/node_modules/@actions/$1/dist/$2.js",
  },
};

// typescript-eslint with type information, so that floating promises and unused expressions
// (the classic `expect(x).toBeDefined;`) fail the lint step of `npm test`.
import eslint from "@eslint/js";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import { readFileSync } from "node:fs";
import tseslint from "typescript-eslint";

// The direction of imports (README, Project layout): the program (index.ts, components/, lib/) is
// what `pulumi up` runs, so it never imports the review tooling, the tests, e2e, the npm-script
// entry points or the benchmark, nor a devDependency (not installed where only the dependencies
// are); and lib/ never imports components/, which are built from it. Matched on the import's text:
// every import inside the repository is relative.
const { devDependencies } = JSON.parse(
  readFileSync(new URL("./package.json", import.meta.url), "utf8"),
);
const escape = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const PROGRAM_BOUNDARY = [
  {
    regex: "^(\\./|(\\.\\./)+)(review|tests|e2e|scripts|bench|policy|startup)(/|$)",
    message:
      "The program (index.ts, components/, lib/) never imports the review tooling, the tests, " +
      "e2e, scripts, bench, the policy pack or the start-up: they are built on it, not the " +
      "other way round.",
  },
  {
    // Measured in docs/benchmarks.md; tests/startup/startup.test.ts holds it for a render.
    regex: "^@pulumi/(kubernetes|digitalocean)$",
    message:
      "Import the module of what is used (@pulumi/kubernetes/core/v1, apps/v1, provider; " +
      "@pulumi/digitalocean/getKubernetesCluster): the package index of @pulumi/kubernetes loads " +
      "every API group and helm, yaml and kustomize with glob at run time (about 110 modules and " +
      "40 ms of every run), and the two indexes' typings are 850 files for tsc and eslint to read.",
  },
  {
    regex: `^(${Object.keys(devDependencies).map(escape).join("|")})(/|$)`,
    message:
      "The program (index.ts, components/, lib/) never imports a devDependency: `pulumi up` " +
      "runs it where only the dependencies need to be installed.",
  },
];
const LIB_BOUNDARY = {
  regex: "^(\\./|(\\.\\./)+)components(/|$)",
  message: "lib/ never imports components/: the components are built from lib/, not the reverse.",
};

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "bin/",
      "coverage/",
      "rendered/",
      ".stryker-tmp/",
      "eslint.config.mjs",
      "jest.config.js",
      "e2e/jest.config.js",
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-expressions": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-duplicate-imports": "error",
    },
  },
  {
    // No import circles: a module's dependencies can be read, tested and loaded before it. Our
    // imports are relative and name no extension, which Node's resolution with ours finds.
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".js", ".mjs"] })],
      "import-x/extensions": [".ts", ".js", ".mjs"],
      // How the rule reads the modules an import leads to: TypeScript with TypeScript's parser.
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
    },
    rules: { "import-x/no-cycle": "error" },
  },
  {
    files: ["index.ts", "components/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: PROGRAM_BOUNDARY }] },
  },
  {
    files: ["lib/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [...PROGRAM_BOUNDARY, LIB_BOUNDARY] }],
    },
  },
  {
    // What the end-to-end run cannot prove: its Node.js language host is the release of sdk/v3
    // v3.68.0 (the newest the Go module proxy serves; docs/e2e.md, "The Node.js language host").
    // Its monitor proxy answers Unimplemented for RegisterStackTransform,
    // RegisterStackInvokeTransform, RegisterResourceHook, RegisterErrorHook and RegisterPackage
    // (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/proxy.go at v3.68.0), it passes the SDK
    // no --root-directory (main.go, constructArguments), and the resource and invoke options
    // `transforms`, `invokeTransforms` and `hooks` postdate its protocol. The program uses none
    // of them; a use would pass `npm test` and fail, or go unproven, under that host.
    files: ["index.ts", "components/**/*.ts", "lib/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        ...[
          "MemberExpression[property.name=/^(registerStackTransform|registerResourceTransform|registerInvokeTransform|registerStackInvokeTransform|registerResourceHook|registerErrorHook|registerPackage|getRootDirectory)$/]",
          "Identifier[name=/^(ResourceHook|ErrorHook)$/]",
          "Property[key.name=/^(transforms|invokeTransforms|hooks)$/]",
        ].map((selector) => ({
          selector,
          message:
            "Not in the end-to-end run's Node.js language host (sdk/v3 v3.68.0, the newest the " +
            "Go module proxy serves): npm run e2e could not prove it (docs/e2e.md, The Node.js " +
            "language host).",
        })),
      ],
    },
  },
  {
    files: ["tests/**/*.ts"],
    rules: {
      // jest's expect(...).rejects and mock-runtime plumbing need these.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
  {
    // Plain CommonJS, type-checked by tsc through checkJs: how the npm scripts start
    // (startup/run.js), the benchmark's memory probe (bench/peakMemory.js), jest's set-up
    // of the SDK (tests/support/lazySdkModules.js), what the e2e run's language host starts
    // (e2e/harness/hostRuntimeOptions.js), the policy pack's start (policy/startup.js), all of which run
    // before any TypeScript, and the e2e's plain Pulumi programs (e2e/fixtures/).
    files: [
      "startup/*.js",
      "bench/*.js",
      "tests/support/*.js",
      "e2e/harness/hostRuntimeOptions.js",
      "policy/*.js",
      "e2e/fixtures/*/index.js",
    ],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
        __filename: "readonly",
        process: "readonly",
        jest: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-require-imports": "off",
      // Functions taken out of node:path and node:fs, which use no `this`.
      "@typescript-eslint/unbound-method": "off",
    },
  },
);

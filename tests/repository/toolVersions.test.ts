// Laptops and CI run the same tools: one Node major (.nvmrc, read by nvm and by
// actions/setup-node) and one Pulumi CLI version (the `pulumi` npm package, a lazy installer whose
// version is the CLI version, and `.pulumi-version`, read by pulumi/actions).

import {
  isAtLeast,
  packageJson,
  packageLock,
  readRepoFile,
  versionFile,
} from "../support/repository";
import { parse } from "yaml";

// Object-typed config in Pulumi.yaml (`type: object`, used by task-api:config and others) is
// type-checked from this CLI version on; older CLIs reject the project file.
const OLDEST_CLI = "3.187.0";

const cliDependency = packageJson().devDependencies?.pulumi ?? "";

test("the Pulumi CLI devDependency is one exact version, not a range", () => {
  expect(cliDependency).toMatch(/^\d+\.\d+\.\d+$/);
});

test(".pulumi-version, which the workflows install, names the devDependency's CLI version", () => {
  expect(versionFile(".pulumi-version")).toBe(cliDependency);
});

test("the lock file installs that same CLI version for npx pulumi", () => {
  expect(packageLock().packages["node_modules/pulumi"]?.version).toBe(cliDependency);
});

test(`the pinned CLI is ${OLDEST_CLI} or later (object-typed config in Pulumi.yaml)`, () => {
  expect(isAtLeast(cliDependency, OLDEST_CLI)).toBe(true);
});

test(".nvmrc names one Node major that package.json engines allows", () => {
  const major = versionFile(".nvmrc");
  expect(major).toMatch(/^\d+$/);
  // engines is kept in the one form `>=N` so that this check needs no semver range parser.
  const minimum = /^>=(\d+)$/.exec(packageJson().engines?.node ?? "")?.[1];
  expect(minimum).toBeDefined();
  expect(Number(major)).toBeGreaterThanOrEqual(Number(minimum));
});

test("@types/node is the oldest Node major engines allows, so code typed against it runs there", () => {
  const minimum = /^>=(\d+)$/.exec(packageJson().engines?.node ?? "")?.[1];
  const declared = /^\^(\d+)\.\d+\.\d+$/.exec(packageJson().devDependencies?.["@types/node"] ?? "");
  const installed = packageLock().packages["node_modules/@types/node"]?.version ?? "";
  expect(minimum).toMatch(/^\d+$/);
  expect(declared?.[1]).toBe(minimum);
  expect(installed.split(".")[0]).toBe(minimum);
});

test("the type check runs once, in npm test: the engine starts the program as the npm scripts do, transpiling only", () => {
  // With `typescript: true`, Pulumi's Node.js host registers ts-node, which type-checks the whole
  // program on every run unless told otherwise (pulumi/pulumi sdk/nodejs/cmd/run/run.ts), and
  // compiles every file again each time: startup/engineMain.js starts it from the compile
  // cache instead. It is package.json's `main`, not Pulumi.yaml's: there the engine would run the
  // program, and look for its plugins, in startup/ (pulumi/pulumi pkg/engine/project.go).
  const project = parse(readRepoFile("Pulumi.yaml")) as {
    main?: string;
    runtime?: { options?: { typescript?: boolean } };
  };
  expect(project.main).toBeUndefined();
  expect(project.runtime?.options?.typescript).toBe(false);
  expect(packageJson().main).toBe("startup/engineMain.js");
  const scripts = packageJson().scripts ?? {};
  expect(scripts.test.startsWith("npm run build && ")).toBe(true);
  expect(scripts.build).toMatch(/^tsc --noEmit /);
});

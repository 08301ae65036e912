// The packages the program (index.ts, components/, lib/) imports, read from its import declarations.
// jestProgramLoader (program.ts) runs a fresh copy of the program for each run but hands it the
// test's own instance of each of these: the SDK's mock runtime is then the test's, and a package
// such as yaml or @pulumi/kubernetes/core/v1 is loaded once per test file rather than once per run.
// Read from the sources, so that a new import is shared too, not loaded afresh without a word.

import { readFileSync, readdirSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { PROJECT_DIR } from "../../review/engine/programFacts";

const PROGRAM_SOURCES = ["index.ts", "components", "lib"];

// `import ... from "x"` and `export ... from "x"`, not `import type` (erased when compiled).
const IMPORT = /^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+"([^"]+)"/gm;

function sourceFiles(path: string): string[] {
  if (path.endsWith(".ts")) {
    return [path];
  }
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() || entry.name.endsWith(".ts") ? sourceFiles(join(path, entry.name)) : [],
  );
}

/** Every package specifier the program imports at run time, e.g. `@pulumi/kubernetes/core/v1`. */
export function programPackages(): string[] {
  const specifiers = PROGRAM_SOURCES.flatMap((source) => sourceFiles(join(PROJECT_DIR, source)))
    .flatMap((file) => [...readFileSync(file, "utf8").matchAll(IMPORT)].map((match) => match[1]))
    .filter((specifier) => !specifier.startsWith(".") && !isBuiltin(specifier));
  return [...new Set(specifiers)].sort();
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || builtinModules.includes(specifier);
}

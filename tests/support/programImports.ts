// What index.ts imports, read from the import declarations of the program (index.ts, components/,
// lib/). jestProgramLoader (program.ts) runs index.ts afresh for each run of the program, as the
// engine runs it once per process, but hands it the test's own instance of everything it imports:
// its components and lib modules, which hold no state but caches, and every package, so the SDK's
// mock runtime is the test's, and each module is loaded once per test file rather than once per
// run (139 runs in the suite). Read from the sources, so that a new import is shared too.

import { readFileSync, readdirSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
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
    .flatMap(imports)
    .filter((specifier) => !specifier.startsWith(".") && !isBuiltin(specifier));
  return [...new Set(specifiers)].sort();
}

/** The project's own modules index.ts imports, as absolute paths without extension. */
export function entryModules(): string[] {
  const entry = join(PROJECT_DIR, "index.ts");
  return imports(entry)
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => resolve(dirname(entry), specifier));
}

function imports(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(IMPORT)].map((match) => match[1]);
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || builtinModules.includes(specifier);
}

// @ts-check
// How the npm scripts and the engine (engineMain.js) run TypeScript without ts-node: a `require`
// hook for `.ts` files that transpiles each file with TypeScript's own `transpileModule` (what
// ts-node's --transpile-only does; the type check is `tsc --noEmit`, in `npm test`) and keeps the
// JavaScript in node_modules/.cache/task-api-ts/, named by a digest of everything the output
// depends on: the file's text, tsconfig.json, the TypeScript version and this file. An edited file
// has another digest, so stale JavaScript can never run; `npm ci` empties the cache with
// node_modules. The path is left out (the source map names the file relative to itself), so the
// unchanged files of the git snapshot `npm run diff` renders in a temporary directory are hits too.
// On a hit TypeScript is not even loaded (about 0.4 s of every start; issue 13).
//
// The hook is the one Node offers CommonJS loaders, `require.extensions`: documented as
// deprecated (https://nodejs.org/api/modules.html#requireextensions) but kept, and what ts-node
// and @babel/register hook as well.
// Each output carries its source map inline. The npm scripts leave it unused: mapping every stack
// trace costs a fifth of a render's CPU, because the SDK takes one for every promise and resource
// (docs/benchmarks.md), and users see the review commands' errors without one; for .ts positions in
// the trace of a crash there, run with NODE_OPTIONS=--enable-source-maps
// (https://nodejs.org/api/cli.html#--enable-source-maps). Under the engine, whose host maps every
// trace anyway, engineMain.js hands the maps over (compiledOutput).

"use strict";

const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require("node:fs");
const { dirname, join } = require("node:path");

/**
 * The JavaScript each `.ts` file loaded in this process ran as, by its path.
 * @type {Map<string, string>}
 */
const compiledOutputs = new Map();

/**
 * The JavaScript `fileName` ran as, with its source map inline, if this process loaded it through
 * the hook: what a stack trace's positions in that file refer to.
 * @param {string} fileName
 * @returns {string | undefined}
 */
function compiledOutput(fileName) {
  return compiledOutputs.get(fileName);
}

/**
 * Installs the hook: `.ts` files required from now on are compiled for `projectDir`'s tsconfig.json
 * (one configuration for every file, as ts-node uses, so a git snapshot `npm run diff` renders is
 * compiled alike).
 * @param {string} projectDir
 */
function installCompileCache(projectDir) {
  const tsconfig = join(projectDir, "tsconfig.json");
  const cacheDir = join(projectDir, "node_modules", ".cache", "task-api-ts");
  const typescriptPackage = require.resolve("typescript/package.json");
  const salt = createHash("sha256")
    .update(readFileSync(__filename))
    .update(readFileSync(typescriptPackage))
    .update(readFileSync(tsconfig))
    .digest();

  /** @type {import("typescript").CompilerOptions | undefined} */
  let options;
  /** @param {string} source @param {string} fileName */
  const transpile = (source, fileName) => {
    // Loaded only when a file is not in the cache yet.
    const ts = require("typescript");
    if (options === undefined) {
      const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
      const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, projectDir);
      // As ts-node overrides them: JavaScript out, nothing else; the map inline, for Node to read
      // when source maps are enabled.
      options = {
        ...parsed.options,
        noEmit: false,
        declaration: false,
        sourceMap: false,
        inlineSourceMap: true,
        // Unset, the map names the source by its bare name: the output is the same wherever the
        // file is.
        outDir: undefined,
        rootDir: undefined,
      };
    }
    const { outputText, diagnostics = [] } = ts.transpileModule(source, {
      fileName,
      compilerOptions: options,
      reportDiagnostics: true,
    });
    // Only the file's own: a complaint about the compiler options (no file) is tsc's to report.
    const inFile = diagnostics.filter((diagnostic) => diagnostic.file !== undefined);
    if (inFile.length > 0) {
      throw syntaxError(ts, inFile, projectDir);
    }
    return outputText;
  };

  require.extensions[".ts"] = (module, fileName) => {
    const source = readFileSync(fileName, "utf8");
    const digest = createHash("sha256").update(salt).update(source).digest("hex");
    const cached = join(cacheDir, digest.slice(0, 2), `${digest}.js`);
    let output;
    try {
      output = readFileSync(cached, "utf8");
    } catch {
      output = transpile(source, fileName);
      store(cached, output);
    }
    compiledOutputs.set(fileName, output);
    // `_compile` is how every require hook hands Node the code (ts-node's index.ts does too).
    /** @type {NodeJS.Module & { _compile(code: string, fileName: string): void }} */ (
      module
    )._compile(output, fileName);
  };
}

/**
 * The error of a file TypeScript cannot parse (transpiling reports only syntax errors), named as
 * ts-node names it: Pulumi's host prints a `TSError`'s message, which says where, without the
 * stack (pulumi/pulumi sdk/nodejs/cmd/run/run.ts). Without it, Node would fail on the JavaScript
 * emitted around the error, at a line of that JavaScript. Paths are the project's, e.g.
 * `index.ts(12,5)`, wherever the process runs.
 * @param {typeof import("typescript")} ts
 * @param {readonly import("typescript").Diagnostic[]} diagnostics
 * @param {string} projectDir
 */
function syntaxError(ts, diagnostics, projectDir) {
  const error = new Error(
    ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (fileName) => fileName,
      getCurrentDirectory: () => projectDir,
      getNewLine: () => "\n",
    }),
  );
  error.name = "TSError";
  return error;
}

/**
 * Keeps `output` at `file`. Written aside and renamed, so that a parallel process (two renders,
 * jest's workers) reads no file or a whole one; a cache that cannot be written (a read-only
 * node_modules) only costs the next run the compile again.
 * @param {string} file
 * @param {string} output
 */
function store(file, output) {
  const partial = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(partial, output);
    renameSync(partial, file);
  } catch {
    rmSync(partial, { force: true });
  }
}

module.exports = { compiledOutput, installCompileCache };

// @ts-check
// The Pulumi SDK requires, when it loads, libraries an offline render never calls: the TypeScript
// compiler and npm's installer, Arborist, with normalize-package-data and upath (function
// serialisation: runtime/closure/, typescript-shim.js), execa and js-yaml (the Automation API:
// automation/), and OpenTelemetry's API (trace context for the engine's RPCs: runtime/settings.js).
// Together half of a compiled render's start (0.48 to 0.24 s, docs/benchmarks.md), most of it
// TypeScript and Arborist (issue 13). All are used only inside functions, so the SDK gets
// stand-ins that load the real library on first use. Whatever the SDK touches, it gets from the real library; if a
// release stops requiring one, nothing happens here, and if one uses it while loading, it loads
// then. tests/startup/startup.test.ts shows that a render loads none of them, and that the SDK
// gets the real TypeScript when it serialises a function.
//
// The hook is Module._load, which require-in-the-middle (OpenTelemetry's instrumentation) hooks as
// well: Node has no public synchronous require hook before module.registerHooks (Node 22.15).

"use strict";

const Module = require("node:module");
const { dirname, sep } = require("node:path");

/** The libraries, by the name the SDK requires them with. */
const LAZY = [
  "typescript",
  "@npmcli/arborist",
  "normalize-package-data",
  "upath",
  "execa",
  "js-yaml",
  "@opentelemetry/api",
];

/**
 * @typedef {Record<string | symbol, unknown>} ModuleExports
 * @typedef {(request: string, parent: NodeJS.Module | undefined, isMain: boolean) => unknown} Load
 * @typedef {{ _load: Load, _resolveFilename(request: string, parent: NodeJS.Module | undefined, isMain: boolean): string }} Loader
 */

/**
 * A stand-in for a module: an object whose every property is the real module's, loaded on first
 * use. It says it is an ES module's namespace, so that TypeScript's import helpers (`__importStar`,
 * `__importDefault`) hand it on untouched instead of copying its keys, which would load it; its
 * `default` is then the module itself, as those helpers would make it.
 * @param {() => ModuleExports} load
 * @returns {ModuleExports}
 */
function lazyModule(load) {
  /** @type {ModuleExports | undefined} */
  let real;
  const module = () => (real ??= load());
  return new Proxy(
    {},
    {
      get(_, key) {
        if (key === "__esModule") return true;
        const exports = module();
        return key === "default" && !exports.__esModule ? exports : exports[key];
      },
      has: (_, key) => key in module(),
      set: (_, key, value) => Reflect.set(module(), key, value),
      ownKeys: () => Reflect.ownKeys(module()),
      getOwnPropertyDescriptor(_, key) {
        const descriptor = Reflect.getOwnPropertyDescriptor(module(), key);
        // A proxy may not report a non-configurable property its (empty) target lacks.
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
}

/**
 * Hands the SDK under `projectDir`'s node_modules a stand-in for each of LAZY.
 * @param {string} projectDir
 */
function installLazySdkModules(projectDir) {
  const sdk =
    dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [projectDir] })) + sep;
  /** @type {Map<string, ModuleExports>} */
  const standIns = new Map();
  const loader = /** @type {Loader} */ (/** @type {unknown} */ (Module));
  const load = loader._load;
  /** @type {Load} */
  loader._load = function (request, parent, isMain) {
    if (!LAZY.includes(request) || !parent?.filename?.startsWith(sdk)) {
      return load.call(this, request, parent, isMain);
    }
    // Resolved now, so that a missing library fails here as a plain require would (the SDK's
    // typescript-shim.js falls back to a vendored copy then).
    const file = loader._resolveFilename(request, parent, isMain);
    let standIn = standIns.get(file);
    if (standIn === undefined) {
      standIn = lazyModule(
        () => /** @type {ModuleExports} */ (load.call(this, request, parent, isMain)),
      );
      standIns.set(file, standIn);
    }
    return standIn;
  };
}

module.exports = { LAZY, installLazySdkModules, lazyModule };

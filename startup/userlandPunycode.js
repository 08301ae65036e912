// @ts-check
// The schema check's validator (kubernetes-models, through ajv-formats-draft2019's idn-hostname
// format) requires Node's built-in `punycode`, deprecated with a warning on every run since
// Node 21 (DEP0040, https://nodejs.org/api/deprecations.html#DEP0040): `npm run render` on the
// Node this project asks for printed a DeprecationWarning. The library declares the userland
// package, the same code, as its dependency, but a bare `require("punycode")` always gets the
// built-in; its maintainer no longer answers (luzlab/ajv-formats-draft2019#28). The userland
// package's README says to require it as `punycode/`: libraries under node_modules get that.

"use strict";

const Module = require("node:module");
const { sep } = require("node:path");

/**
 * @typedef {(request: string, parent: NodeJS.Module | undefined, isMain: boolean) => unknown} Load
 * @typedef {{ _load: Load, _resolveFilename(request: string, parent: NodeJS.Module | undefined, isMain: boolean): string }} Loader
 */

function installUserlandPunycode() {
  const loader = /** @type {Loader} */ (/** @type {unknown} */ (Module));
  const load = loader._load;
  /** @type {Load} */
  loader._load = function (request, parent, isMain) {
    if (request === "punycode" && parent?.filename?.includes(`${sep}node_modules${sep}`)) {
      const userland = resolvedOrUndefined(() =>
        loader._resolveFilename("punycode/", parent, isMain),
      );
      if (userland !== undefined) {
        return load.call(this, userland, parent, isMain);
      }
      // A library without the userland package installed gets the built-in, as before.
    }
    return load.call(this, request, parent, isMain);
  };
}

/**
 * @param {() => string} resolve
 * @returns {string | undefined}
 */
function resolvedOrUndefined(resolve) {
  try {
    return resolve();
  } catch {
    return undefined;
  }
}

module.exports = { installUserlandPunycode };

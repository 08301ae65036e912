// @ts-check
// package.json's `main`: what the policy runner (@pulumi/pulumi cmd/run-policy-pack, started by
// the CLI for `--policy-pack`) loads. It installs the program's start-up (startup: compiled
// TypeScript from a cache), so the pack's TypeScript, and the program's judges it imports from
// lib/, load as fast as the program does, then the pack. The runner has registered ts-node for
// `.ts` before this file runs; the start-up's hook replaces it.

"use strict";

const { installStartup } = require("../startup/installStartup");

installStartup();
// Node tries the registered extensions, `.ts` among them, after `.js`: index.ts.
require("./index");

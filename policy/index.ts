// The pack as the engine runs it (package.json's `main`, startup.js, loads this file): serving
// its policies to the engine starts here. The policies themselves are in policies.ts, which the
// tests and the offline review (scripts/policy.ts) load without starting a server.

import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, { policies });

// lib/config/keys.ts: the config keys the program reads are exactly those Pulumi.yaml declares.

import { join } from "node:path";
import { CONFIG_KEYS, PROJECT, SECRET_CONFIG, configKey } from "../../../lib/config/keys";
import { readYamlFile } from "../../../lib/config/stackFile";
import { PROJECT_DIR } from "../../../review/engine/programFacts";

const project = readYamlFile(join(PROJECT_DIR, "Pulumi.yaml")) as {
  name: string;
  config: Record<string, { secret?: boolean }>;
};

test("the project name is Pulumi.yaml's, the prefix of every key", () => {
  expect(PROJECT).toBe(project.name);
  expect(configKey("image")).toBe(`${project.name}:image`);
});

test("CONFIG_KEYS are exactly the keys Pulumi.yaml declares for the project, each once", () => {
  const declared = Object.keys(project.config)
    .filter((key) => key.startsWith(`${PROJECT}:`))
    .map((key) => key.slice(PROJECT.length + 1));
  expect(declared.length).toBeGreaterThan(0);
  expect(new Set(CONFIG_KEYS).size).toBe(CONFIG_KEYS.length);
  expect([...CONFIG_KEYS].sort()).toEqual(declared.sort());
});

test("the secret keys are exactly the keys whose values are secrets", () => {
  // The type checker guarantees they are config keys; this is the list itself: a key added to it
  // or dropped from it changes what is searched for credentials and what may be encrypted.
  expect([...SECRET_CONFIG].sort()).toEqual(["registryToken", "secretFileContents", "secrets"]);
});

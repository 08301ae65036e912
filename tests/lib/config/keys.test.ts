// lib/config/keys.ts: the config keys the program reads are exactly those Pulumi.yaml declares.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { nonEmpty } from "../../support/nonEmpty";
import { CONFIG_KEYS, KEYS, PROJECT, SECRET_CONFIG, configKey } from "../../../lib/config/keys";
import {
  DEFAULT_APP_NAME,
  DEFAULT_PORT,
  DEFAULT_ROLLOUT_TIMEOUT_SECONDS,
} from "../../../lib/defaults";
import { readYamlFile } from "../../../lib/config/stackFile";
import { PROJECT_DIR } from "../../../review/engine/programFacts";

const project = readYamlFile(join(PROJECT_DIR, "Pulumi.yaml")) as {
  name: string;
  config: Record<
    string,
    { type?: string; items?: { type: string }; default?: unknown; description?: string }
  >;
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

test.each(CONFIG_KEYS)(
  "Pulumi.yaml declares %s as the table says: type, items, default",
  (name) => {
    const declared = project.config[configKey(name)];
    const spec: { type: string; default?: unknown } = KEYS[name];
    expect(declared.type).toBe(spec.type);
    // Every list is a list of names.
    expect(declared.items).toEqual(spec.type === "array" ? { type: "string" } : undefined);
    expect("default" in declared).toBe("default" in spec);
    expect(declared.default).toEqual(spec.default);
    expect(declared.description?.length ?? 0).toBeGreaterThan(0);
  },
);

test("the table's defaults are the program's own", () => {
  expect(KEYS.appName.default).toBe(DEFAULT_APP_NAME);
  expect(KEYS.port.default).toBe(DEFAULT_PORT);
  expect(KEYS.rolloutTimeoutSeconds.default).toBe(DEFAULT_ROLLOUT_TIMEOUT_SECONDS);
});

test("each key's owning module exists in lib/config and names the key", () => {
  for (const name of nonEmpty(CONFIG_KEYS)) {
    const file = join(__dirname, "..", "..", "..", "lib", "config", `${KEYS[name].module}.ts`);
    expect({ name, exists: existsSync(file) }).toEqual({ name, exists: true });
    expect({ name, names: readFileSync(file, "utf8").includes(`"${name}"`) }).toEqual({
      name,
      names: true,
    });
  }
});

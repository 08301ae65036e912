// review/render/stableYaml.ts: rendered YAML that every reader takes as written.

import { parse } from "yaml";
import { stableYaml } from "../../../review/render/stableYaml";

test.each([
  "on",
  "off",
  "yes",
  "no",
  "y",
  "n",
  "Y",
  "NO",
  "~",
  "12:30",
  "0o17",
  "1_000",
  "true",
  "1e3",
])("%s stays a string for a YAML 1.1 reader (kubectl) and a YAML 1.2 one", (text) => {
  const yaml = stableYaml({ data: { KEY: text } });
  expect(yaml).toBe(`data:\n  KEY: "${text}"\n`);
  expect(parse(yaml, { version: "1.1" })).toEqual({ data: { KEY: text } });
  expect(parse(yaml, { version: "1.2" })).toEqual({ data: { KEY: text } });
});

test("plain text stays plain, and a key a 1.1 reader would take for a boolean is quoted", () => {
  expect(stableYaml({ data: { LOG_LEVEL: "info", VERSION: "1.5.0" } })).toBe(
    "data:\n  LOG_LEVEL: info\n  VERSION: 1.5.0\n",
  );
  expect(stableYaml({ n: "x" })).toBe('"n": x\n');
});

test("keys come in a fixed order at every level, whatever the input order", () => {
  expect(stableYaml({ metadata: { b: "1", a: "2" }, kind: "ConfigMap", apiVersion: "v1" })).toBe(
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  a: "2"\n  b: "1"\n',
  );
});

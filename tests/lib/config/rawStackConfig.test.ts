// lib/config/rawStackConfig.ts: what the checks are handed, from what an engine passes and from
// Pulumi.STACK.yaml, the one builder of index.ts and of `npm run check:stacks`.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { EngineView, rawStackConfig } from "../../../lib/config/rawStackConfig";
import { removeTempDirs, tempDir } from "../../support/offline";

let dir: string;

beforeEach(() => {
  dir = tempDir("raw-stack-config-");
});

afterAll(removeTempDirs);

/** An engine that passes `values` (full keys), the keys in `secret` encrypted. */
function engine(values: Record<string, string>, secret: string[] = []): EngineView {
  return {
    stack: "review",
    get: (key) => values[key],
    isSecret: (key) => secret.includes(key),
    stackFileDir: dir,
    digitalOceanTokenExported: false,
  };
}

test("values are keyed by config name, and secrecy is asked by the full key", () => {
  const raw = rawStackConfig(
    engine({ "task-api:image": "ghcr.io/acme/app:1.0.0", "task-api:secrets": "{}" }, [
      "task-api:secrets",
    ]),
  );
  expect(raw.stack).toBe("review");
  expect(raw.values.image).toBe("ghcr.io/acme/app:1.0.0");
  expect(raw.values.namespace).toBeUndefined();
  expect(raw.isSecret("secrets")).toBe(true);
  expect(raw.isSecret("image")).toBe(false);
});

test.each([
  [{}, [], "missing"],
  [{ "digitalocean:token": "dop_v1_x" }, [], "plaintext"],
  [{ "digitalocean:token": "dop_v1_x" }, ["digitalocean:token"], "secret"],
])("the DigitalOcean token in the stack: %j encrypted %j is %s", (values, secret, expected) => {
  const raw = rawStackConfig(engine(values, secret));
  expect(raw.digitalOceanToken).toEqual({ environment: false, stack: expected });
});

test("the exported token is passed on as the engine view says", () => {
  const raw = rawStackConfig({ ...engine({}), digitalOceanTokenExported: true });
  expect(raw.digitalOceanToken?.environment).toBe(true);
});

test("the stack file's plaintext leaves of secrets and secretFileContents, and only theirs", () => {
  writeFileSync(
    join(dir, "Pulumi.review.yaml"),
    [
      "config:",
      "  task-api:secrets:",
      "    API_KEY: in-plaintext",
      "    DATABASE_PASSWORD:",
      "      secure: v1:AAAA",
      "  task-api:secretFileContents:",
      "    tls:",
      "      tls.key: in-plaintext",
      "      tls.crt:",
      "        secure: v1:AAAA",
      "  task-api:config:",
      "    LOG_LEVEL: debug",
      "",
    ].join("\n"),
  );
  const raw = rawStackConfig(engine({}));
  expect(raw.plaintextSecretNames).toEqual(["API_KEY"]);
  expect(raw.plaintextFileContents).toEqual(["tls.tls.key"]);
});

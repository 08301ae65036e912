// The raw config the checks read (RawStackConfig), built from what an engine passes: one builder
// for the program under the real engine (index.ts) and for `npm run check:stacks` under the
// offline one (review/stackFileChecks.ts), so that both judge the same input the same way.

import { CONFIG_KEYS, configKey } from "./keys";
import { RawStackConfig } from "./settings";
import { plaintextLeafNames, plaintextLeafPaths } from "./stackFile";

export interface EngineView {
  readonly stack: string;
  /** The value of a full key (`task-api:image`, `digitalocean:token`), as the engine passes it. */
  get(key: string): string | undefined;
  /** Whether the engine received a full key encrypted. */
  isSecret(key: string): boolean;
  /** Where Pulumi.STACK.yaml is: the engine tells a whole key secret, the file tells each leaf. */
  readonly stackFileDir: string;
  /** DIGITALOCEAN_TOKEN or DIGITALOCEAN_ACCESS_TOKEN is set (not empty), as the provider reads it. */
  readonly digitalOceanTokenExported: boolean;
}

export function rawStackConfig(engine: EngineView): RawStackConfig {
  const { stack, stackFileDir } = engine;
  const token = engine.get("digitalocean:token");
  return {
    stack,
    values: Object.fromEntries(CONFIG_KEYS.map((name) => [name, engine.get(configKey(name))])),
    isSecret: (name) => engine.isSecret(configKey(name)),
    digitalOceanToken: {
      environment: engine.digitalOceanTokenExported,
      stack:
        token === undefined
          ? "missing"
          : engine.isSecret("digitalocean:token")
            ? "secret"
            : "plaintext",
    },
    plaintextSecretNames: plaintextLeafNames(stackFileDir, stack, configKey("secrets")),
    plaintextFileContents: plaintextLeafPaths(stackFileDir, stack, configKey("secretFileContents")),
  };
}

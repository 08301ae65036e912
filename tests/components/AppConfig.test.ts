// AppConfig on its own, under Pulumi's mock runtime: the Kubernetes objects it registers.

import * as pulumi from "@pulumi/pulumi";
import { AppConfig } from "../../components";
import { InvalidConfigError } from "../../lib/config/problems";
import { RecordingMocks, settle, valueOf } from "../../review/engine/mockRuntime";
import { installProgramMocks } from "../../review/engine/programRun";
import { CONFIG_MAP_TYPE } from "../support/components";

let mocks: RecordingMocks;
beforeEach(async () => {
  mocks = await installProgramMocks("unit");
});

describe("AppConfig", () => {
  async function build(args: Partial<ConstructorParameters<typeof AppConfig>[1]> = {}) {
    const component = new AppConfig("task-api-config", {
      namespace: "ns",
      settings: { LOG_LEVEL: "debug", DATABASE_HOST: "db" },
      defaults: { NODE_ENV: "production", LOG_LEVEL: "info" },
      ...args,
    });
    await settle();
    return { component, configMap: mocks.single(CONFIG_MAP_TYPE) };
  }

  test("is a ConfigMap named task-api-config with the settings over the defaults", async () => {
    const { configMap } = await build();
    expect(configMap.inputs.metadata).toMatchObject({ name: "task-api-config", namespace: "ns" });
    expect(configMap.inputs.data).toEqual({
      NODE_ENV: "production",
      LOG_LEVEL: "debug",
      DATABASE_HOST: "db",
    });
  });

  test("drops a default whose key the Secret sets", async () => {
    const { configMap } = await build({ overriddenKeys: ["NODE_ENV"] });
    expect(configMap.inputs.data).not.toHaveProperty("NODE_ENV");
  });

  test("exposes a plain checksum of its data", async () => {
    const { component } = await build();
    expect(await pulumi.isSecret(component.checksum)).toBe(false);
    expect(await valueOf(component.checksum)).toMatch(/^[0-9a-f]{64}$/);
  });

  test("refuses a secret-looking key and says to move it to secrets", async () => {
    expect(
      () => new AppConfig("c", { namespace: "ns", settings: { STRIPE_API_KEY: "x" } }),
    ).toThrow(/STRIPE_API_KEY.*looks like a secret[\s\S]*secrets\.STRIPE_API_KEY/);
    await settle();
    expect(mocks.resources).toHaveLength(0);
  });

  test("refuses a value that looks like a credential, without echoing it", () => {
    const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    let error: unknown;
    try {
      new AppConfig("c", { namespace: "ns", settings: { GITHUB: token } });
    } catch (e) {
      error = e;
    }
    expect(InvalidConfigError.isInstance(error)).toBe(true);
    expect(String(error)).toMatch(
      /secretlint finds a credential in the value \(github\/GITHUB_TOKEN\)/,
    );
    expect(String(error)).not.toContain(token);
  });

  test("accepts MAX_TOKENS only when declared as not secret", async () => {
    expect(() => new AppConfig("c", { namespace: "ns", settings: { MAX_TOKENS: "1024" } })).toThrow(
      /MAX_TOKENS/,
    );
    const { configMap } = await build({
      settings: { MAX_TOKENS: "1024" },
      nonSecretKeys: ["MAX_TOKENS"],
    });
    expect(configMap.inputs.data.MAX_TOKENS).toBe("1024");
  });
});

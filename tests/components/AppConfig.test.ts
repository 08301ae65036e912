// AppConfig on its own, under Pulumi's mock runtime: the Kubernetes objects it registers.

import * as pulumi from "@pulumi/pulumi";
import { AppConfig } from "../../components";
import { InvalidConfigError } from "../../lib/problems";
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

  test("refuses a key that is no variable name, naming the argument, before registering anything", async () => {
    expect(
      () => new AppConfig("c", { namespace: "ns", settings: { "LOG-LEVEL": "info" } }),
    ).toThrow(/args\.settings\.LOG-LEVEL/);
    await settle();
    expect(mocks.resources).toHaveLength(0);
  });

  test("is refused as an InvalidConfigError, all problems at once", () => {
    let error: unknown;
    try {
      new AppConfig("c", { namespace: "ns", settings: { A: "x\0", "B.C": "y" } });
    } catch (e) {
      error = e;
    }
    expect(InvalidConfigError.isInstance(error)).toBe(true);
    expect(String(error)).toMatch(/args\.settings\.A[\s\S]*NUL byte/);
    expect(String(error)).toMatch(/args\.settings\.B\.C/);
  });
});

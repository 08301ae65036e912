// ConfiguredApp on its own, under Pulumi's mock runtime: the Kubernetes objects it registers.

import { ConfiguredApp } from "../../components";
import { RecordingMocks, settle, valueOf } from "../../review/engine/mockRuntime";
import { installProgramMocks } from "../../review/engine/programRun";
import { SECRET_TYPE, CONFIG_MAP_TYPE, Obj } from "../support/components";
import { nonEmpty } from "../support/nonEmpty";

let mocks: RecordingMocks;
beforeEach(async () => {
  mocks = await installProgramMocks("unit");
});

describe("ConfiguredApp", () => {
  const args = {
    namespace: "ns",
    image: "ghcr.io/acme/task-api:1.4.2",
    config: { LOG_LEVEL: "debug" },
    secrets: { DATABASE_PASSWORD: "db-pass-unit" },
    registry: {
      server: "ghcr.io",
      secretName: "ghcr-secret",
      credentials: { username: "u", password: "ghp_unit" },
    },
  };

  test("models the four objects in one namespace and exposes their names", async () => {
    const app = new ConfiguredApp("task-api", args);
    await settle();
    expect(
      mocks
        .ofType(SECRET_TYPE)
        .map((s) => s.inputs.metadata.name)
        .sort(),
    ).toEqual(["ghcr-secret", "task-api-secrets"]);
    expect(mocks.single(CONFIG_MAP_TYPE).inputs.metadata.name).toBe("task-api-config");
    for (const resource of nonEmpty(mocks.resources.filter((r) => r.custom && r.inputs.metadata))) {
      expect((resource.inputs.metadata as Obj).namespace).toBe("ns");
    }
    expect(await valueOf(app.deploymentName)).toBe("task-api");
    expect(await valueOf(app.pullSecretName)).toBe("ghcr-secret");
    expect(await valueOf(app.configChecksum)).toMatch(/^[0-9a-f]{64}$/);
  });

  test("passes the port to the app as PORT through the ConfigMap", async () => {
    new ConfiguredApp("task-api", { ...args, port: 9000 });
    await settle();
    expect(mocks.single(CONFIG_MAP_TYPE).inputs.data.PORT).toBe("9000");
  });

  test("refuses a key set in both config and secrets, naming both places", async () => {
    expect(
      () =>
        new ConfiguredApp("task-api", {
          ...args,
          config: { DATABASE_PASSWORD: "x" },
        }),
    ).toThrow(/args\.config\.DATABASE_PASSWORD and args\.secrets\.DATABASE_PASSWORD/);
    await settle();
    expect(mocks.resources).toHaveLength(0);
  });

  test("refuses an explicit env entry that would shadow a config value", () => {
    expect(
      () => new ConfiguredApp("task-api", { ...args, fieldEnv: { LOG_LEVEL: "metadata.name" } }),
    ).toThrow(/LOG_LEVEL" would silently shadow the value from config/);
  });

  test("registers no pull secret for a public image", async () => {
    const app = new ConfiguredApp("task-api", { ...args, registry: undefined });
    await settle();
    expect(mocks.ofType(SECRET_TYPE)).toHaveLength(1);
    expect(await valueOf(app.pullSecretName)).toBeUndefined();
  });
});

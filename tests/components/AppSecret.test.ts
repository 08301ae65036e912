// AppSecret on its own, under Pulumi's mock runtime: the Kubernetes objects it registers.

import * as pulumi from "@pulumi/pulumi";
import { AppSecret } from "../../components";
import {
  RecordingMocks,
  isSecretInput,
  plain,
  settle,
  valueOf,
} from "../../review/engine/mockRuntime";
import { installProgramMocks } from "../../review/engine/programRun";
import { RANDOM_PASSWORD } from "../../review/engine/programFacts";
import { SECRET_TYPE, decode } from "../support/components";

let mocks: RecordingMocks;
beforeEach(async () => {
  mocks = await installProgramMocks("unit");
});

describe("AppSecret", () => {
  const data = { DATABASE_PASSWORD: "hunter2-db", OPENAI_API_KEY: "sk-unit-test-key-123456789012" };

  async function build(args: Partial<ConstructorParameters<typeof AppSecret>[1]> = {}) {
    const component = new AppSecret("task-api-secrets", { namespace: "ns", data, ...args });
    await settle();
    return { component, secret: mocks.single(SECRET_TYPE) };
  }

  test("is an Opaque Secret named task-api-secrets in the given namespace", async () => {
    const { component, secret } = await build();
    expect(secret.inputs.type).toBe("Opaque");
    expect(secret.inputs.metadata).toMatchObject({ name: "task-api-secrets", namespace: "ns" });
    expect(await valueOf(component.secretName)).toBe("task-api-secrets");
  });

  test("holds every value base64-encoded under data, as a secret input", async () => {
    const { secret } = await build();
    expect(isSecretInput(secret.inputs.data)).toBe(true);
    expect(decode(plain(secret.inputs.data))).toEqual(data);
    expect(secret.inputs.stringData).toBeUndefined();
  });

  test("keeps values secret even when they are passed as plain strings", async () => {
    const { secret } = await build({ data: { TOKEN_LIKE: "plain-in" } });
    expect(isSecretInput(secret.inputs.data)).toBe(true);
  });

  test("takes a name given explicitly", async () => {
    const { secret } = await build({ secretName: "other-secrets" });
    expect(secret.inputs.metadata.name).toBe("other-secrets");
  });

  test("exposes a non-secret 64-hex checksum keyed by a random key of 64 letters and digits", async () => {
    const { component } = await build();
    expect(await pulumi.isSecret(component.checksum)).toBe(false);
    expect(await valueOf(component.checksum)).toMatch(/^[0-9a-f]{64}$/);
    expect(mocks.single(RANDOM_PASSWORD).inputs).toEqual({ length: 64, special: false });
  });

  test("makes its key with RandomPassword, whose id is not its value: pulumi-random's RandomBytes id is its base64, in plaintext in state", async () => {
    await build();
    expect(mocks.ofType("random:index/randomBytes:RandomBytes")).toEqual([]);
    expect(mocks.ofType(RANDOM_PASSWORD)).toHaveLength(1);
  });

  describe("with generated secrets", () => {
    const generated = {
      WEBHOOK_SECRET: { length: 48, rotation: "" },
      SESSION_KEY: { length: 64, rotation: "2027-01" },
    };

    test("makes one RandomPassword each, letters and digits, the rotation its keeper", async () => {
      await build({ generated });
      const passwords = mocks.ofType(RANDOM_PASSWORD).filter((p) => p.name.includes("generated"));
      expect(passwords.map((p) => [p.name, p.inputs])).toEqual([
        [
          "task-api-secrets-generated-WEBHOOK_SECRET",
          { length: 48, special: false, keepers: { rotation: "" } },
        ],
        [
          "task-api-secrets-generated-SESSION_KEY@2027-01",
          { length: 64, special: false, keepers: { rotation: "2027-01" } },
        ],
      ]);
      expect(mocks.ofType("random:index/randomBytes:RandomBytes")).toEqual([]);
    });

    test("puts each value beside the typed ones in the same secret data", async () => {
      const { secret } = await build({ generated });
      expect(isSecretInput(secret.inputs.data)).toBe(true);
      const values = decode(plain(secret.inputs.data));
      expect(Object.keys(values).sort()).toEqual([
        "DATABASE_PASSWORD",
        "OPENAI_API_KEY",
        "SESSION_KEY",
        "WEBHOOK_SECRET",
      ]);
      expect(values.SESSION_KEY).toMatch(/^[A-Za-z0-9]{64}$/);
      expect(values.WEBHOOK_SECRET).toMatch(/^[A-Za-z0-9]{48}$/);
    });

    test("names them, with length and rotation and no value, in an annotation of the Secret", async () => {
      const { secret } = await build({ generated });
      expect(secret.inputs.metadata.annotations["task-api/generated-secrets"]).toBe(
        '{"SESSION_KEY":{"length":64,"rotation":"2027-01"},"WEBHOOK_SECRET":{"length":48,"rotation":""}}',
      );
    });

    test("has no annotation without generated secrets", async () => {
      const { secret } = await build();
      expect(Object.keys(secret.inputs.metadata.annotations)).toEqual(["pulumi.com/patchForce"]);
    });
  });
});

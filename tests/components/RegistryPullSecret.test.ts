// RegistryPullSecret on its own, under Pulumi's mock runtime: the Kubernetes objects it registers.

import { RegistryPullSecret } from "../../components";
import { RecordingMocks, isSecretInput, plain, settle } from "../../review/engine/mockRuntime";
import { installProgramMocks } from "../../review/engine/programRun";
import { SECRET_TYPE, decode } from "../support/components";

let mocks: RecordingMocks;
beforeEach(async () => {
  mocks = await installProgramMocks("unit");
});

describe("RegistryPullSecret", () => {
  async function build(args: Partial<ConstructorParameters<typeof RegistryPullSecret>[1]> = {}) {
    new RegistryPullSecret("pull", {
      namespace: "ns",
      server: "ghcr.io",
      credentials: { username: "acme-deploy", password: "ghp_unitTestToken" },
      secretName: "ghcr-secret",
      ...args,
    });
    await settle();
    return mocks.single(SECRET_TYPE);
  }

  test("is a kubernetes.io/dockerconfigjson Secret named ghcr-secret", async () => {
    const secret = await build();
    expect(secret.inputs.type).toBe("kubernetes.io/dockerconfigjson");
    expect(secret.inputs.metadata).toMatchObject({ name: "ghcr-secret", namespace: "ns" });
  });

  test("holds auths.<server> with username, password and auth = base64(user:token), as secret", async () => {
    const secret = await build();
    expect(isSecretInput(secret.inputs.data)).toBe(true);
    const data = decode(plain(secret.inputs.data));
    expect(Object.keys(data)).toEqual([".dockerconfigjson"]);
    expect(JSON.parse(data[".dockerconfigjson"])).toEqual({
      auths: {
        "ghcr.io": {
          username: "acme-deploy",
          password: "ghp_unitTestToken",
          auth: Buffer.from("acme-deploy:ghp_unitTestToken").toString("base64"),
        },
      },
    });
  });

  test("takes a ready dockerconfig document (DigitalOcean) and keeps it secret", async () => {
    const document = JSON.stringify({ auths: { "registry.digitalocean.com": { auth: "eA==" } } });
    const secret = await build({
      server: "registry.digitalocean.com",
      credentials: { dockerConfigJson: document },
    });
    expect(secret.inputs.type).toBe("kubernetes.io/dockerconfigjson");
    expect(isSecretInput(secret.inputs.data)).toBe(true);
    expect(decode(plain(secret.inputs.data))[".dockerconfigjson"]).toBe(document);
  });

  test("cannot be made Opaque, even by an argument the type checker refuses", async () => {
    const secret = await build({
      // @ts-expect-error -- there is no `type` argument: `tsc` fails if one is ever added.
      type: "Opaque",
    });
    expect(secret.inputs.type).toBe("kubernetes.io/dockerconfigjson");
  });
});

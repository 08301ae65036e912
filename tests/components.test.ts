// Each component on its own, under Pulumi's mock runtime: the Kubernetes objects it registers.

import * as pulumi from "@pulumi/pulumi";
import {
  AppConfig,
  AppDeployment,
  AppSecret,
  ConfiguredApp,
  RegistryPullSecret,
} from "../components";
import { InvalidConfigError } from "../lib/problems";
import {
  RANDOM_PASSWORD,
  RecordingMocks,
  installMocks,
  isSecretInput,
  plain,
  settle,
  valueOf,
} from "../lib/mockRuntime";

const SECRET_TYPE = "kubernetes:core/v1:Secret";
const CONFIG_MAP_TYPE = "kubernetes:core/v1:ConfigMap";
const DEPLOYMENT_TYPE = "kubernetes:apps/v1:Deployment";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes JSON
type Obj = Record<string, any>;
let mocks: RecordingMocks;

beforeEach(async () => {
  mocks = await installMocks("unit");
});

function decode(data: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
}

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
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(String(error)).toMatch(/GitHub token/);
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

describe("AppDeployment", () => {
  async function build(args: Partial<ConstructorParameters<typeof AppDeployment>[1]> = {}) {
    new AppDeployment("task-api", {
      namespace: "ns",
      image: "ghcr.io/acme/task-api:1.4.2",
      replicas: 3,
      configMapName: "task-api-config",
      secretName: "task-api-secrets",
      pullSecretName: "ghcr-secret",
      checksums: { config: "c".repeat(64), secret: "s".repeat(64) },
      selectorLabels: { "app.kubernetes.io/name": "task-api" },
      ...args,
    });
    await settle();
    const deployment = mocks.single(DEPLOYMENT_TYPE);
    const spec = deployment.inputs.spec as Obj;
    return {
      deployment,
      spec,
      pod: spec.template.spec as Obj,
      container: spec.template.spec.containers[0] as Obj,
    };
  }

  test("lists the ConfigMap, then the Secret, in envFrom", async () => {
    const { container } = await build();
    expect(container.envFrom).toEqual([
      { configMapRef: { name: "task-api-config" } },
      { secretRef: { name: "task-api-secrets" } },
    ]);
  });

  test("names the pull secret in imagePullSecrets", async () => {
    const { pod } = await build();
    expect(pod.imagePullSecrets).toEqual([{ name: "ghcr-secret" }]);
  });

  test("has no imagePullSecrets for a public image", async () => {
    const { pod } = await build({ pullSecretName: undefined });
    expect(pod.imagePullSecrets).toBeUndefined();
  });

  test("annotates the pod template with checksum/config and checksum/secret", async () => {
    const { spec } = await build();
    expect(spec.template.metadata.annotations).toEqual({
      "checksum/config": "c".repeat(64),
      "checksum/secret": "s".repeat(64),
    });
  });

  test("has no checksum annotations when restarts on change are off", async () => {
    const { spec } = await build({ checksums: undefined });
    expect(spec.template.metadata.annotations).toBeUndefined();
  });

  test("rolls without downtime: maxUnavailable 0, maxSurge 1", async () => {
    const { spec } = await build();
    expect(spec.strategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    expect(spec.replicas).toBe(3);
  });

  test("probes readiness and liveness over HTTP on the named port", async () => {
    const { container } = await build({
      port: 3000,
      probes: { readinessPath: "/ready", livenessPath: "/live" },
    });
    expect(container.ports).toEqual([{ name: "http", containerPort: 3000, protocol: "TCP" }]);
    expect(container.readinessProbe.httpGet).toEqual({ path: "/ready", port: "http" });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/live", port: "http" });
  });

  test("sets resource requests and limits", async () => {
    const { container } = await build();
    expect(container.resources).toEqual({
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "500m", memory: "256Mi" },
    });
  });

  test("runs a hardened pod", async () => {
    const { pod, container } = await build();
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
  });

  test("puts only Downward API fields in env", async () => {
    const { container } = await build({ fieldEnv: { POD_NAME: "metadata.name" } });
    expect(container.env).toEqual([
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
    ]);
  });

  test("selects pods by the selector labels only", async () => {
    const { spec } = await build({ labels: { "app.kubernetes.io/version": "1.4.2" } });
    expect(spec.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "task-api" });
    expect(spec.template.metadata.labels).toEqual({
      "app.kubernetes.io/name": "task-api",
      "app.kubernetes.io/version": "1.4.2",
    });
  });
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
    for (const resource of mocks.resources.filter((r) => r.custom && r.inputs.metadata)) {
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
    ).toThrow(/config\.DATABASE_PASSWORD and task-api:secrets\.DATABASE_PASSWORD/);
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

// AppDeployment on its own, under Pulumi's mock runtime: the Kubernetes objects it registers.

import { AppDeployment } from "../../components";
import { RecordingMocks, settle } from "../../review/engine/mockRuntime";
import { installProgramMocks } from "../../review/engine/programRun";
import { DEPLOYMENT_TYPE, Obj } from "../support/components";

let mocks: RecordingMocks;
beforeEach(async () => {
  mocks = await installProgramMocks("unit");
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

  test("bounds the wait for its rollout: customTimeouts create and update, 300 s by default", async () => {
    const { deployment } = await build();
    expect(deployment.customTimeouts).toEqual({ create: "300s", update: "300s" });
    expect(deployment.inputs.metadata.annotations).not.toHaveProperty("pulumi.com/skipAwait");
  });

  test("waits for its rollout as long as rolloutTimeoutSeconds says, and no longer", async () => {
    const { deployment } = await build({ rolloutTimeoutSeconds: 60 });
    expect(deployment.customTimeouts).toEqual({ create: "60s", update: "60s" });
  });

  test("without awaitRollout it skips the wait and sets no timeout for it", async () => {
    const { deployment } = await build({ awaitRollout: false, rolloutTimeoutSeconds: 60 });
    expect(deployment.inputs.metadata.annotations).toMatchObject({
      "pulumi.com/skipAwait": "true",
    });
    expect(deployment.customTimeouts).toEqual({});
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

// The node (e2e/harness/node.ts) in a cluster of its own (e2e/harness/podCluster.ts): the app's image pulled from
// the cluster's registry (e2e/harness/registry.ts) with a pull secret through containerd's hosts.toml, its pods Running
// and Ready (the kubelet's HTTP probes reach the pod addresses), `kubectl exec` and `kubectl logs`
// through the kubelet, and a stop that leaves no process, mount, cgroup or bridge behind.

import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ControlPlane } from "./harness/controlPlane";
import { KubeNode } from "./harness/node";
import { PodCluster, startPodCluster } from "./harness/podCluster";
import { e2eEnvironment } from "./harness/pulumiCli";
import { ImageRegistry } from "./harness/registry";

const e2e = e2eEnvironment();
const dir = join(e2e.workDir, "node");
const NAMESPACE = "node-e2e";
const account = { username: "e2e-puller", password: randomBytes(12).toString("hex") };
const IMAGE = "ghcr.io/acme/task-api:1.5.0";
let cluster: PodCluster | undefined;
let controlPlane: ControlPlane;
let registry: ImageRegistry;
let node: KubeNode;
const summary: string[] = [];

/** kubectl as operators run it, without blocking the event loop (the control plane's logs). */
function kubectl(args: readonly string[], input?: string): Promise<{ ok: boolean; out: string }> {
  const child = spawn(
    e2e.binaries.kubectl,
    [
      `--kubeconfig=${controlPlane.kubeconfig}`,
      `--cache-dir=${join(dir, "kubectl-cache")}`,
      ...args,
    ],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stdin.end(input ?? "");
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ ok: code === 0, out: out.trim() })),
  );
}

const KERNEL_TUNABLES = ["vm/overcommit_memory", "kernel/panic", "kernel/panic_on_oops"];
const readTunables = () =>
  KERNEL_TUNABLES.map((name) => `${name}=${readFileSync(`/proc/sys/${name}`, "utf8").trim()}`);
let tunablesBefore: string[];

beforeAll(async () => {
  tunablesBefore = readTunables();
  // The registry's hosts.toml is written before containerd starts; the pause image comes from our
  // registry too, as registry.k8s.io's.
  cluster = await startPodCluster(join(dir, "cluster"), e2e.binaries, { accounts: [account] });
  ({ controlPlane, registry, node } = cluster);
  summary.push(
    `node Ready ${(node.timings.readyMs / 1000).toFixed(1)} s after start (containerd answering` +
      ` after ${(node.timings.containerdMs / 1000).toFixed(1)} s)`,
  );
});

afterAll(async () => {
  await cluster?.stop();
  process.stdout.write(`\nthe node, what was observed:\n- ${summary.join("\n- ")}\n`);
});

test("a Deployment of the app, pulled with its pull secret through hosts.toml, runs and is Ready", async () => {
  const auth = Buffer.from(`${account.username}:${account.password}`).toString("base64");
  const dockerConfig = JSON.stringify({ auths: { "ghcr.io": { auth } } });
  const manifest = `
apiVersion: v1
kind: Namespace
metadata: { name: ${NAMESPACE}, labels: { pod-security.kubernetes.io/enforce: restricted } }
---
apiVersion: v1
kind: Secret
metadata: { name: ghcr-secret, namespace: ${NAMESPACE} }
type: kubernetes.io/dockerconfigjson
data: { .dockerconfigjson: ${Buffer.from(dockerConfig).toString("base64")} }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: task-api, namespace: ${NAMESPACE} }
spec:
  replicas: 2
  selector: { matchLabels: { app: task-api } }
  template:
    metadata: { labels: { app: task-api } }
    spec:
      imagePullSecrets: [{ name: ghcr-secret }]
      securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: RuntimeDefault } }
      containers:
        - name: app
          image: ${IMAGE}
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /healthz, port: http }, periodSeconds: 1 }
          livenessProbe: { httpGet: { path: /healthz, port: http } }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
`;
  const applied = Date.now();
  expect((await kubectl(["apply", "-f", "-"], manifest)).ok).toBe(true);
  const rollout = await kubectl([
    `--namespace=${NAMESPACE}`,
    "rollout",
    "status",
    "deployment/task-api",
    "--timeout=120s",
  ]);
  expect(rollout).toMatchObject({ ok: true });
  summary.push(`2 pods Ready ${((Date.now() - applied) / 1000).toFixed(1)} s after kubectl apply`);

  const pods = await controlPlane.client.list(`/api/v1/namespaces/${NAMESPACE}/pods`);
  expect(pods).toHaveLength(2);
  for (const pod of pods as unknown as {
    spec: { nodeName: string };
    status: { phase: string; podIP: string };
  }[]) {
    expect(pod.spec.nodeName).toBe(node.name);
    expect(pod.status.phase).toBe("Running");
    // On the node's bridge: the host reaches it, and nothing it sends has a route beyond.
    expect(pod.status.podIP.startsWith(node.podSubnet.replace(/0\/24$/, ""))).toBe(true);
  }
  // The registry saw the account's credentials for the app (a first request without, as
  // containerd asks, then with), and none for the public pause image.
  const pulls = registry.pulls().filter((pull) => pull.ref === IMAGE);
  expect(pulls.some((pull) => pull.username === account.username && pull.status === 200)).toBe(
    true,
  );
  summary.push(
    `registry: ${registry
      .pulls()
      .map((pull) => `${pull.ref.replace(/@sha256:(.{12}).*/, "@$1")} ${pull.auth} ${pull.status}`)
      .join(", ")}`,
  );
});

test("kubectl exec and kubectl logs reach the container through the kubelet", async () => {
  const exec = await kubectl([
    `--namespace=${NAMESPACE}`,
    "exec",
    "deployment/task-api",
    "--",
    "/task-api",
    "-h",
  ]);
  // The image holds the app's binary and nothing else: its usage (exit 2, the flag package's)
  // can only come from inside the container.
  summary.push(`kubectl exec: ${exec.out.split("\n")[0]}`);
  expect(exec.out).toMatch(/^Usage of \/task-api:/);
  const logs = await kubectl([`--namespace=${NAMESPACE}`, "logs", "deployment/task-api"]);
  expect(logs.ok).toBe(true);
  // The kubelet's readiness probes, as the app logs them.
  expect(logs.out).toMatch(/"path":"\/healthz","status":200/);
});

test("stopping the node leaves no process, mount, cgroup or bridge, and the host's kernel settings as they were", async () => {
  const { containerd, kubelet } = node.pids;
  const stopped = Date.now();
  await node.stop();
  summary.push(`node stopped in ${((Date.now() - stopped) / 1000).toFixed(1)} s`);
  const alive = (pid: number) => {
    try {
      return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
    } catch {
      return false;
    }
  };
  expect([kubelet, containerd].filter(alive)).toEqual([]);
  const ofNode = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(node.dir);
      } catch {
        return false;
      }
    });
  expect(ofNode).toEqual([]);
  const mounts = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter((line) => line.includes(node.dir) || / \/var\/lib\/kubelet/.test(line));
  expect(mounts).toEqual([]);
  const cgroups = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter((line) => / - cgroup2? /.test(line))
    .map((line) => join(line.split(" ")[4], node.cgroupRoot))
    .filter((path) => {
      try {
        readdirSync(path);
        return true;
      } catch {
        return false;
      }
    });
  expect(cgroups).toEqual([]);
  expect(spawnSync("ip", ["link", "show", node.bridge]).status).not.toBe(0);
  expect(readTunables()).toEqual(tunablesBefore);
});

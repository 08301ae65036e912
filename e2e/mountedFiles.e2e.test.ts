// Issue 21, scenario 4 "Mounted files": a secret file set (task-api:secretFiles) as the app's
// process sees it, read from inside the running pods over the node's bridge (the test app's
// /files and /version) and from this machine, where the pods' processes run: the mode, owner and
// group docs/configuration.md#secrets-as-files documents, the content set, the mount read-only;
// a new content refreshed in place by the kubelet within its sync period, the containers kept;
// and, with restartOnChange, one rollout whose new pods hold the new content from their start.
// This file starts its own cluster (e2e/harness/ownTestbed.ts) and namespace.

import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AppCluster, PodObject } from "./harness/cluster";
import { containerPids } from "./harness/node";
import { OwnTestbed, startOwnTestbed } from "./harness/ownTestbed";
import { E2E_STACK } from "./harness/project";
import { PulumiCli, e2eEnvironment } from "./harness/pulumiCli";

const e2e = e2eEnvironment();
const NAMESPACE = "task-api-files";
const stackArgs = ["--stack", E2E_STACK, "--non-interactive"];
const MOUNT = "/etc/tls";
/** docs/configuration.md#secrets-as-files: every file 0440, group the pod's fsGroup, 10001. */
const DOCUMENTED_MODE = 0o440;
const APP_ID = 10001;
/**
 * The kubelet of e2e/harness/node.ts sets neither `syncFrequency` nor
 * `configMapAndSecretChangeDetectionStrategy`: upstream defaults, 1m and Watch. Upstream
 * ("Mounted Secrets are updated automatically", kubernetes.io/docs/concepts/configuration/secret):
 * the delay can be as long as the kubelet sync period plus the cache propagation delay (with
 * Watch, the watch's propagation). The pod workers requeue a pod at the sync period jittered by up
 * to half of it (pkg/kubelet: wait.Jitter(resyncInterval, 0.5)), hence 1.5 x 60 s, plus a
 * margin for the watch and the 1 s sync loop.
 */
const SYNC_FREQUENCY = 60;
const REFRESH_BOUND = SYNC_FREQUENCY * 1.5 + 10;
const secrets: Record<string, string> = {
  DATABASE_PASSWORD: `e2e-db-${randomBytes(8).toString("hex")}`,
  OPENAI_API_KEY: `sk-e2e-${randomBytes(8).toString("hex")}`,
};
const registryLogin = {
  server: "ghcr.io",
  username: "e2e-files",
  token: `ghp_${randomBytes(12).toString("hex")}`,
};
let testbed: OwnTestbed | undefined;
let cli: PulumiCli;
let cluster: AppCluster;
const summary: string[] = [];

const up = () => cli.ok(["up", "--yes", ...stackArgs]);
const sha = (value: Buffer | string | undefined) =>
  value === undefined ? "absent" : createHash("sha256").update(value).digest("hex").slice(0, 16);
const seconds = (since: number) => (Date.now() - since) / 1000;

/** The certificates of the unit tests (tests/fixtures/tls/, P-256, valid until 2126). */
const pair = (name: string) => ({
  crt: readFileSync(join(__dirname, "..", "tests", "fixtures", "tls", `${name}.crt`), "utf8"),
  key: readFileSync(join(__dirname, "..", "tests", "fixtures", "tls", `${name}.key`), "utf8"),
});
const TLS_A = pair("a");
const TLS_B = pair("b");
type Pair = typeof TLS_A;
const digests = (tls: Pair) => ({ "tls.crt": sha(tls.crt), "tls.key": sha(tls.key) });

/** docs/configuration.md, "Secrets as files": each file from stdin, encrypted, byte for byte. */
async function setTlsFiles(tls: Pair): Promise<void> {
  for (const [file, content] of [
    ["tls.crt", tls.crt],
    ["tls.key", tls.key],
  ]) {
    const path = `secretFileContents.tls["${file}"]`;
    await cli.ok(["config", "set", "--secret", "--raw", "--path", path, ...stackArgs], {
      input: content,
    });
  }
}
const setPlain = (path: string, value: string) => cli.setPlain(path, value, stackArgs);

interface MountedFile {
  readonly path: string;
  readonly type: string;
  readonly link?: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly content?: string;
  readonly error?: string;
}

/** GET http://POD_IP:8080/PATH from this machine (the node's bridge), with a 2 s limit. */
async function getPod<T>(pod: PodObject, path: string): Promise<T | undefined> {
  try {
    const response = await fetch(`http://${pod.status?.podIP}:8080${path}`, {
      signal: AbortSignal.timeout(2000),
    });
    return response.status === 200 ? ((await response.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}
const mounted = (pod: PodObject) =>
  getPod<MountedFile[]>(pod, `/files?dir=${encodeURIComponent(MOUNT)}`);
/** The SHA-256 (prefix) of tls.crt and tls.key as the app read them: never the content itself. */
async function seenDigests(pod: PodObject): Promise<Record<string, string>> {
  const files = (await mounted(pod)) ?? [];
  const of = (name: string) => {
    const content = files.find((f) => f.path === name)?.content;
    return content === undefined ? "absent" : sha(Buffer.from(content, "base64"));
  };
  return { "tls.crt": of("tls.crt"), "tls.key": of("tls.key") };
}

type Status = { containerID?: string; restartCount: number };
const statusOf = (pod: PodObject) => pod.status?.containerStatuses?.[0] as Status | undefined;
const containerId = (pod: PodObject) => statusOf(pod)?.containerID ?? "none";
const short = (id: string) => id.replace(/^containerd:\/\//, "").slice(0, 12);
const describePods = (pods: readonly PodObject[]) =>
  pods.map((pod) => `${pod.metadata.name} (${short(containerId(pod))})`).join(", ");
const byName = (pods: readonly PodObject[]) =>
  [...pods].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));

/**
 * The mount options of MOUNT as the container's process has it: its /proc/PID/mountinfo, read on
 * this machine (the pods' processes run here). The process is the one whose cgroup names the
 * container's ID.
 */
function mountOptions(pod: PodObject): string | undefined {
  for (const pid of containerPids(containerId(pod))) {
    try {
      const line = readFileSync(`/proc/${pid}/mountinfo`, "utf8")
        .split("\n")
        .find((l) => l.split(" ")[4] === MOUNT);
      if (line !== undefined) {
        return line.split(" ")[5];
      }
    } catch {
      continue;
    }
  }
  return undefined;
}

beforeAll(async () => {
  testbed = await startOwnTestbed(e2e, join(e2e.workDir, "mounted-files"), NAMESPACE, {
    secrets,
    registryUser: registryLogin.username,
    registryToken: registryLogin.token,
  });
  ({ cli, cluster } = testbed);
  await setPlain("secretFiles.tls.type", "kubernetes.io/tls");
  await setPlain("secretFiles.tls.mountPath", MOUNT);
  await setTlsFiles(TLS_A);
});

afterAll(async () => {
  process.stdout.write(
    `e2e mounted files: what was observed:\n${summary.map((l) => `  ${l}`).join("\n")}\n`,
  );
  await testbed?.stop();
});

test("a file set is mounted read-only with the documented mode and group, readable by the app's user", async () => {
  const first = await up();
  const pods = byName(await cluster.settledPods());
  expect(pods).toHaveLength(2);
  const problems: string[] = [];
  const seen: string[] = [];
  for (const pod of pods) {
    const name = pod.metadata.name;
    const identity = await getPod<{ uid: number; gid: number; groups: number[] }>(pod, "/version");
    const files = (await mounted(pod)) ?? [];
    const listed = files
      .filter((f) => !f.path.startsWith(".."))
      .map((f) => f.path)
      .sort();
    if (listed.join(",") !== "tls.crt,tls.key") {
      problems.push(`${name}: ${MOUNT} lists ${listed.join(",")}`);
    }
    // The app runs as 10001, not root: it reads the root-owned files through their group.
    if (identity?.uid !== APP_ID || !identity.groups.includes(APP_ID)) {
      problems.push(`${name}: /version ${JSON.stringify(identity)}`);
    }
    for (const file of ["tls.crt", "tls.key"]) {
      const entry = files.find((f) => f.path === file);
      if (
        entry?.type !== "file" ||
        entry.mode !== DOCUMENTED_MODE ||
        entry.uid !== 0 ||
        entry.gid !== APP_ID
      ) {
        problems.push(
          `${name}: ${file} ${entry?.type} mode ${entry?.mode.toString(8)} ${entry?.uid}:${entry?.gid}`,
        );
      }
      // The app read it (its content is in the answer), as uid 10001 with group 10001.
      if (entry?.content === undefined || entry.error !== undefined) {
        problems.push(`${name}: ${file} unreadable by the app: ${entry?.error}`);
      }
    }
    const digestsSeen = await seenDigests(pod);
    if (JSON.stringify(digestsSeen) !== JSON.stringify(digests(TLS_A))) {
      problems.push(`${name}: content differs from what was set`);
    }
    const spec = pod.spec as unknown as {
      containers: { volumeMounts?: { mountPath: string; readOnly?: boolean }[] }[];
    };
    const specMount = spec.containers[0].volumeMounts?.find((m) => m.mountPath === MOUNT);
    const options = mountOptions(pod);
    if (specMount?.readOnly !== true || !options?.split(",").includes("ro")) {
      problems.push(
        `${name}: mount readOnly ${specMount?.readOnly}, process's mount options ${options}`,
      );
    }
    const crt = files.find((f) => f.path === "tls.crt");
    seen.push(
      `${name}: uid ${identity?.uid} gid ${identity?.gid} groups ${identity?.groups.join(" ")}; tls.crt -> ${crt?.link} mode 0${crt?.mode.toString(8)} ${crt?.uid}:${crt?.gid}, tls.key likewise; sha256 ${digestsSeen["tls.crt"]}/${digestsSeen["tls.key"]} = a.crt/a.key; spec readOnly ${specMount?.readOnly}, mountinfo ${options}`,
    );
  }
  expect(problems).toEqual([]);
  summary.push(`first up ${first.seconds.toFixed(1)} s; ${seen.join("; ")}`);
});

test("a new certificate appears inside the running pods within the kubelet's sync period, with the same containers", async () => {
  const before = byName(await cluster.settledPods());
  const replicaSets = (await cluster.replicaSets()).length;
  await setTlsFiles(TLS_B);
  const updated = await up();
  const ended = Date.now();
  const want = JSON.stringify(digests(TLS_B));
  const latency = new Map<string, number>();
  const deadline = ended + (REFRESH_BOUND + 30) * 1000;
  while (latency.size < before.length && Date.now() < deadline) {
    for (const pod of before.filter((p) => !latency.has(p.metadata.name))) {
      if (JSON.stringify(await seenDigests(pod)) === want) {
        latency.set(pod.metadata.name, seconds(ended));
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const after = byName((await cluster.pods()) as PodObject[]);
  const figures = before
    .map((pod) => `${pod.metadata.name} ${latency.get(pod.metadata.name)?.toFixed(1) ?? "never"} s`)
    .join(", ");
  summary.push(
    `B set, up ${updated.seconds.toFixed(1)} s; new content seen after up's end: ${figures} (bound ${REFRESH_BOUND} s); containers before ${describePods(before)}, after ${describePods(after)}; restartCount ${after.map((p) => statusOf(p)?.restartCount).join(" ")}; new ReplicaSets ${(await cluster.replicaSets()).length - replicaSets}`,
  );
  expect(latency.size).toBe(before.length);
  expect(Math.max(...latency.values())).toBeLessThanOrEqual(REFRESH_BOUND);
  expect(after.map((pod) => pod.metadata.name)).toEqual(before.map((pod) => pod.metadata.name));
  expect(after.map(containerId)).toEqual(before.map(containerId));
  expect(after.map((pod) => statusOf(pod)?.restartCount)).toEqual(before.map(() => 0));
  expect((await cluster.replicaSets()).length).toBe(replicaSets);
});

test("a set with restartOnChange: true gets exactly one rollout and the new pods hold the new files", async () => {
  // Turning it on adds checksum/files-tls to the template: a rollout of its own, before the change.
  await setPlain("secretFiles.tls.restartOnChange", "true");
  await up();
  const before = byName(await cluster.settledPods());
  const replicaSets = (await cluster.replicaSets()).length;
  await setTlsFiles(TLS_A);
  const updated = await up();
  const after = byName(await cluster.settledPods());
  const made = (await cluster.replicaSets()).length - replicaSets;
  // Read at once, no polling: the kubelet wrote the volume before the container started.
  const stale: string[] = [];
  for (const pod of after) {
    if (JSON.stringify(await seenDigests(pod)) !== JSON.stringify(digests(TLS_A))) {
      stale.push(pod.metadata.name);
    }
  }
  summary.push(
    `restartOnChange on, B -> A: up ${updated.seconds.toFixed(1)} s; new ReplicaSets ${made}; pods before ${describePods(before)}, after ${describePods(after)}; stale right after up: ${stale.length}`,
  );
  expect(made).toBe(1);
  expect(after).toHaveLength(before.length);
  expect(after.some((pod) => before.some((b) => b.metadata.uid === pod.metadata.uid))).toBe(false);
  expect(stale).toEqual([]);
});

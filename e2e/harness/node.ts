// A Kubernetes node on this machine for the end-to-end run: Debian's containerd (1.6) and runc,
// driven over CRI by a kubelet built from the same k8s.io/kubernetes as the control plane, each
// pod on a bridge of the node's own with no route off the machine. What it makes is its own and
// named after the node (its folder holds containerd's root, state and socket and the kubelet's
// root; then a cgroup root, a bridge, a subnet, ports), so two runs can each have one; stopping it
// deletes its pods while the kubelet still runs, stops the kubelet, then containerd, and removes
// what they leave (mounts, cgroups, the bridge), also after a crash (the next node cleans up after
// a dead one). docs/e2e.md, "The node": what it installs, the traps, what runs share.

import { ChildProcess, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmdirSync,
  statfsSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { ControlPlane } from "./controlPlane";
import { startDaemon, stopDaemon, tailLog, waitForDaemon } from "./daemon";
import { NODE_PACKAGES, installCommand, missingNodePackages } from "./debianPackages";
import { CertificateAuthority } from "./pki";
import { freePort } from "./ports";
import { RUN_MARKER_VARIABLE } from "./runProcesses";

/**
 * The node's name, and so the address its kubelet reports: the kubelet refuses a loopback
 * `--node-ip` ("nodeIP can't be loopback address") and skips loopback addresses a host name
 * resolves to, taking the default route's interface instead; a host name that is an IP address
 * is used as the InternalIP as it is (pkg/kubelet/nodestatus/setters.go, NodeAddress).
 */
export const NODE_NAME = "127.0.0.1";

/** Where Debian's containernetworking-plugins puts the plugins. */
const CNI_BIN_DIR = "/usr/lib/cni";

/** Records of the nodes on this machine, and what the first of them found of the host. */
const RECORDS_DIR = "/run/task-api-e2e-nodes";
const HOST_FILE = join(RECORDS_DIR, "host.json");

/**
 * Kernel settings the kubelet sets on start when they differ (pkg/kubelet/cm/
 * container_manager_linux.go, setupKernelTunables; `protectKernelDefaults: true` would make it
 * refuse to start instead): put back when the last node stops.
 */
const KERNEL_TUNABLES = [
  "vm/overcommit_memory",
  "vm/panic_on_oom",
  "kernel/panic",
  "kernel/panic_on_oops",
  "kernel/keys/root_maxkeys",
  "kernel/keys/root_maxbytes",
];

/**
 * Folders outside the node's own that the kubelet, containerd or mount(8) make, shared by every
 * node: removed when the last node stops if the first found them absent, and if empty by then.
 * /var/log/containers holds the kubelet's links to container logs; /var/lib/cni the CNI result
 * cache (libcni's default, which containerd 1.6 cannot move); /run/containerd/s the shims' sockets
 * (containerd's default state folder, wherever its state is); /var/lib/kubelet/device-plugins the
 * device manager's socket, kubelet.sock, whatever the kubelet's root (its path is a constant of
 * k8s.io/kubelet's deviceplugin API); /run/mount libmount's lock of the mount table.
 */
const SHARED_DIRS = [
  "/var/log/containers",
  "/var/lib/cni/results",
  "/var/lib/cni",
  "/run/containerd/s",
  "/run/containerd",
  "/var/lib/kubelet/device-plugins",
  "/var/lib/kubelet",
  "/run/mount",
];

/** The device manager's socket, left behind by every kubelet that stops. */
const DEVICE_MANAGER_SOCKET = "/var/lib/kubelet/device-plugins/kubelet.sock";

export interface NodeOptions {
  /** The kubelet and kubectl built by `npm run e2e:tools` (kubectl deletes pods and the Node). */
  readonly binaries: { readonly kubelet: string; readonly kubectl: string };
  /**
   * The pause image every pod sandbox runs: the reference containerd's CRI uses for it, and either
   * an archive that `ctr images import` loads at start (an OCI image layout or docker-archive
   * tarball whose image is named `ref`, e.g. by `io.containerd.image.name`) or none, when
   * `registryHosts` sends `ref`'s host to a registry that serves it (the CRI pulls it for the
   * first pod, with no credentials). No registry off the machine is reachable.
   */
  readonly sandboxImage: { readonly ref: string; readonly archive?: string };
  /**
   * containerd's hosts.toml for each registry host, written to `registryConfigDir`/HOST/hosts.toml
   * before containerd starts (e.g. `ghcr.io` mapped to a registry on loopback). More can be written
   * there later: containerd reads the folder on each pull.
   */
  readonly registryHosts?: Readonly<Record<string, string>>;
}

export interface KubeNode {
  /** The Node object's name, also its InternalIP: 127.0.0.1. */
  readonly name: string;
  readonly dir: string;
  /** containerd's CRI and API socket (`ctr --address`, `crictl --runtime-endpoint unix://...`). */
  readonly containerdSocket: string;
  /** containerd's `config_path`: one folder per registry host, each with a hosts.toml. */
  readonly registryConfigDir: string;
  /** The pods' subnet, on the node's bridge, which holds its first address. */
  readonly podSubnet: string;
  readonly bridge: string;
  /** The cgroup the kubelet puts pods under (`cgroupRoot`), in every hierarchy. */
  readonly cgroupRoot: string;
  /** Milliseconds from start to containerd answering, and to the Node being Ready and untainted. */
  readonly timings: { readonly containerdMs: number; readonly readyMs: number };
  /** The pids of containerd and the kubelet, for a memory figure. */
  readonly pids: { readonly containerd: number; readonly kubelet: number };
  /** Loads an image archive into the namespace the kubelet uses (k8s.io). */
  importImage(archive: string): void;
  /**
   * Deletes every pod bound to the node (the kubelet still running, so that it stops their
   * containers, unmounts their volumes and releases their addresses), stops the kubelet, deletes
   * the Node, stops containerd, then removes whatever is left. Safe to call twice.
   */
  stop(): Promise<void>;
}

interface NodeRecord {
  readonly id: string;
  /** The process that started the node, with its start time (a pid alone may be reused). */
  readonly owner: { readonly pid: number; readonly startTime: string };
  readonly dir: string;
  readonly cgroupRoot: string;
  readonly bridge: string;
  readonly network: string;
  readonly containerdSocket: string;
  readonly subnet: string;
  readonly pids: { containerd?: number; kubelet?: number };
}

interface HostState {
  readonly kernelTunables: Record<string, string>;
  /** Which of SHARED_DIRS did not exist before the first node. */
  readonly absentDirs: readonly string[];
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    // Field 22, starttime; fields after COMM, which ends at the last ")", start at 3.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function cmdlineOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
}

function run(command: string, args: readonly string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: "utf8", env: nodeEnvironment() });
  return {
    ok: !result.error && result.status === 0,
    output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error?.message ?? ""}`.trim(),
  };
}

function runOrThrow(command: string, args: readonly string[]): string {
  const result = run(command, args);
  if (!result.ok) {
    throw new Error(`${command} ${args.join(" ")}: ${result.output}`);
  }
  return result.output;
}

/** PATH with the system folders, where containerd finds runc and its shim and the kubelet mount. */
function nodeEnvironment(): NodeJS.ProcessEnv {
  const system = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
  const path = [...(process.env.PATH ?? "").split(":").filter(Boolean), ...system];
  return { ...process.env, PATH: [...new Set(path)].join(":") };
}

/**
 * The processes on this machine of a container (its ID, with or without `containerd://`): those
 * whose cgroup path names it, as runc names each container's cgroup after its ID.
 */
export function containerPids(containerId: string): number[] {
  const id = containerId.replace(/^containerd:\/\//, "");
  if (id === "") {
    return [];
  }
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cgroup`, "utf8").includes(id);
      } catch {
        return false;
      }
    })
    .map(Number);
}

// ---- cgroups ------------------------------------------------------------------------------------

/** Every cgroup hierarchy mounted here (v1 controllers, a v2 or hybrid `unified` one). */
function cgroupMounts(): string[] {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => line.split(" "))
    .filter((fields) => {
      const separator = fields.indexOf("-");
      return separator > 0 && ["cgroup", "cgroup2"].includes(fields[separator + 1]);
    })
    .map((fields) => fields[4]);
}

function isCgroupV2(): boolean {
  // CGROUP2_SUPER_MAGIC; a v1 or hybrid host has a tmpfs there.
  return statfsSync("/sys/fs/cgroup").type === 0x63677270;
}

/** Makes the cgroup root in each v1 hierarchy (the kubelet checks it exists) or in the v2 one. */
function makeCgroupRoot(cgroupRoot: string): void {
  if (isCgroupV2()) {
    mkdirSync(join("/sys/fs/cgroup", cgroupRoot), { recursive: true });
    return;
  }
  for (const mount of cgroupMounts()) {
    if (mount.endsWith("/unified")) {
      continue;
    }
    const path = join(mount, cgroupRoot);
    mkdirSync(path, { recursive: true });
    // A new v1 cpuset has no CPUs and no memory nodes: no process could join it.
    for (const file of ["cpuset.cpus", "cpuset.mems"]) {
      if (existsSync(join(path, file)) && readFileSync(join(path, file), "utf8").trim() === "") {
        writeFileSync(join(path, file), readFileSync(join(mount, file), "utf8"));
      }
    }
  }
}

/** The cgroup root's folders in every hierarchy, deepest first. */
function cgroupDirs(cgroupRoot: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        walk(join(dir, entry.name));
      }
    }
    found.push(dir);
  };
  for (const mount of cgroupMounts()) {
    walk(join(mount, cgroupRoot));
  }
  return found;
}

function pidsInCgroups(cgroupRoot: string): number[] {
  const pids = new Set<number>();
  for (const dir of cgroupDirs(cgroupRoot)) {
    try {
      for (const line of readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n")) {
        if (line) {
          pids.add(Number(line));
        }
      }
    } catch {
      // Removed meanwhile.
    }
  }
  return [...pids];
}

// ---- records of the nodes on this machine -------------------------------------------------------

function readRecords(): NodeRecord[] {
  if (!existsSync(RECORDS_DIR)) {
    return [];
  }
  return readdirSync(RECORDS_DIR)
    .filter((name) => name.startsWith("node-") && name.endsWith(".json"))
    .flatMap((name) => {
      try {
        return [JSON.parse(readFileSync(join(RECORDS_DIR, name), "utf8")) as NodeRecord];
      } catch {
        return [];
      }
    });
}

function recordFile(id: string): string {
  return join(RECORDS_DIR, `node-${id}.json`);
}

function writeRecord(record: NodeRecord): void {
  mkdirSync(RECORDS_DIR, { recursive: true });
  writeFileSync(recordFile(record.id), `${JSON.stringify(record, null, 2)}\n`);
}

function ownerAlive(record: NodeRecord): boolean {
  return startTimeOf(record.owner.pid) === record.owner.startTime;
}

/** What the first node finds of the host, kept until the last one stops. */
function rememberHost(): void {
  mkdirSync(RECORDS_DIR, { recursive: true });
  const state: HostState = {
    kernelTunables: Object.fromEntries(
      KERNEL_TUNABLES.map((name) => [name, readFileSync(`/proc/sys/${name}`, "utf8").trim()]),
    ),
    absentDirs: SHARED_DIRS.filter((dir) => !existsSync(dir)),
  };
  try {
    writeFileSync(HOST_FILE, `${JSON.stringify(state, null, 2)}\n`, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
      throw error;
    }
  }
}

/** Puts back what the kubelet changed and removes the shared folders the nodes made. */
function restoreHost(report: (line: string) => void): void {
  if (existsSync(HOST_FILE)) {
    putBack(JSON.parse(readFileSync(HOST_FILE, "utf8")) as HostState, report);
    removeFile(HOST_FILE);
  }
  try {
    rmdirSync(RECORDS_DIR);
  } catch {
    // A node is starting, or none ever did.
  }
}

function putBack(state: HostState, report: (line: string) => void): void {
  for (const [name, value] of Object.entries(state.kernelTunables)) {
    const now = readFileSync(`/proc/sys/${name}`, "utf8").trim();
    if (now !== value) {
      writeFileSync(`/proc/sys/${name}`, value);
      report(`put back ${name.replace(/\//g, ".")} = ${value} (the kubelet had set ${now})`);
    }
  }
  if (state.absentDirs.includes(dirname(DEVICE_MANAGER_SOCKET))) {
    removeFile(DEVICE_MANAGER_SOCKET);
  }
  for (const dir of state.absentDirs) {
    try {
      rmdirSync(dir);
    } catch {
      // Not empty (someone else's now) or gone.
    }
  }
}

// ---- teardown -----------------------------------------------------------------------------------

/** Mount points at or under `dir`, the last mounted first. */
function mountsUnder(dir: string): string[] {
  const points = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split(" ")[4].replace(/\\040/g, " "));
  return points.filter((point) => point === dir || point.startsWith(`${dir}/`)).reverse();
}

/** The shims serving this node's containerd (each runs with `-address SOCKET`). */
function shimPids(containerdSocket: string): number[] {
  return readdirSync("/proc")
    .map(Number)
    .filter((pid) => {
      if (!Number.isInteger(pid)) {
        return false;
      }
      const args = cmdlineOf(pid);
      const at = args.indexOf("-address");
      return at >= 0 && args[at + 1] === containerdSocket && args[0].includes("containerd-shim");
    });
}

/**
 * Ends and removes what a node leaves once its kubelet and containerd are stopped (or dead): any
 * process still there (theirs if alive, the shims, whatever is in the pods' cgroups), every mount
 * under its folder (the kubelet's root, bound onto itself; volumes; container root filesystems;
 * network namespaces), its cgroups deepest first, its bridge, its links and sockets in the shared
 * folders; then, if it was the last node, the host as it was. Synchronous, so that it can run as
 * the process exits. Returns what it had to do, one line each.
 */
function cleanUp(record: NodeRecord): string[] {
  const done = cleanUpNode(record);
  // The last node puts the host back (after any node whose process died without cleaning up).
  const others = readRecords();
  if (!others.some(ownerAlive)) {
    for (const other of others) {
      done.push(`node ${other.id} (${other.dir}), whose process is gone:`, ...cleanUpNode(other));
    }
    restoreHost((line) => done.push(line));
  }
  return done;
}

/** Steps 1 to 5 of cleanUp, for one node, and its record removed. */
function cleanUpNode(record: NodeRecord): string[] {
  const done: string[] = [];
  const report = (line: string) => done.push(line);
  // 1. Processes: the kubelet and containerd if they still run (checked to be this node's: a pid
  // may have been reused), the shims, then everything in the pods' cgroups.
  for (let attempt = 0; attempt < 50; attempt++) {
    const own = [record.pids.kubelet, record.pids.containerd].filter(
      (pid): pid is number =>
        pid !== undefined && cmdlineOf(pid).some((arg) => arg.includes(record.dir)),
    );
    const left = [
      ...own,
      ...shimPids(record.containerdSocket),
      ...pidsInCgroups(record.cgroupRoot),
    ];
    if (left.length === 0) {
      break;
    }
    if (attempt === 0) {
      report(
        `killed ${left.map((pid) => `${readFileSafe(`/proc/${pid}/comm`)} (pid ${pid})`).join(", ")}`,
      );
    }
    for (const pid of left) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Gone already.
      }
    }
    sleepSync(100);
  }
  // 2. Mounts under the node's folder, the last mounted first; lazily if one is still busy.
  for (let attempt = 0; attempt < 5; attempt++) {
    const mounts = mountsUnder(record.dir);
    if (mounts.length === 0) {
      break;
    }
    if (attempt === 0) {
      report(`unmounted ${mounts.length} mounts under ${record.dir}`);
    }
    for (const point of mounts) {
      if (!run("umount", [point]).ok) {
        run("umount", ["--lazy", point]);
      }
    }
  }
  // 3. The pods' cgroups, deepest first: a cgroup is removed once its processes are gone.
  for (let attempt = 0; attempt < 20; attempt++) {
    const dirs = cgroupDirs(record.cgroupRoot);
    if (dirs.length === 0) {
      break;
    }
    for (const dir of dirs) {
      try {
        rmdirSync(dir);
      } catch {
        // Busy for a moment after its last process, or gone.
      }
    }
    sleepSync(attempt === 0 ? 0 : 100);
  }
  // 4. The bridge (the pods' veth ends went with their network namespaces).
  if (run("ip", ["link", "show", record.bridge]).ok) {
    const deleted = run("ip", ["link", "delete", record.bridge]);
    report(
      deleted.ok ? `deleted bridge ${record.bridge}` : `bridge ${record.bridge}: ${deleted.output}`,
    );
  }
  // 5. What it left in the shared folders: links to its container logs, CNI results, shim sockets.
  for (const link of listDir("/var/log/containers")) {
    const path = join("/var/log/containers", link);
    if (linkTarget(path).startsWith(`${record.dir}/`)) {
      removeFile(path);
    }
  }
  // A result whose sandbox is this node's network namespace: the bridge's, and the loopback's
  // (named cni-loopback-ID-lo) that a sandbox killed rather than stopped never had deleted.
  for (const file of listDir("/var/lib/cni/results")) {
    const path = join("/var/lib/cni/results", file);
    if (file.startsWith(`${record.network}-`) || readFileSafe(path).includes(`"${record.dir}/`)) {
      removeFile(path);
    }
  }
  const tasks = join(record.dir, "containerd", "state", "io.containerd.runtime.v2.task", "k8s.io");
  for (const id of listDir(tasks)) {
    // runtime/v2/shim/util.go, SocketAddress: /run/containerd/s/sha256(address/namespace/id).
    const hash = createHash("sha256").update(join(record.containerdSocket, "k8s.io", id));
    removeFile(join("/run/containerd/s", hash.digest("hex")));
  }
  removeFile(recordFile(record.id));
  return done;
}

/** Removes a file if it is there (another node's teardown may be removing it too). */
function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already.
  }
}

function linkTarget(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "";
  }
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return "?";
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Cleans up after every node whose starting process is gone (killed with SIGKILL, or a Jest worker
 * ended by a signal): run by each new node before it starts, and callable by a runner when its
 * work is done. Returns what it did, one line each.
 */
export function cleanUpAbandonedNodes(): string[] {
  const abandoned = readRecords().filter((record) => !ownerAlive(record));
  const done: string[] = [];
  for (const record of abandoned) {
    done.push(`node ${record.id} (${record.dir}), whose process is gone:`, ...cleanUpNode(record));
  }
  if (readRecords().length === 0) {
    restoreHost((line) => done.push(line));
  }
  return done;
}

/** This process's nodes not stopped yet: torn down as it exits, whatever the reason. */
const running = new Map<string, { record: NodeRecord; children: ChildProcess[] }>();

process.on("exit", () => {
  for (const { record, children } of running.values()) {
    for (const child of children) {
      child.kill("SIGKILL");
    }
    cleanUp(record);
  }
});

// ---- start --------------------------------------------------------------------------------------

/** A /24 of 10.244.0.0/16 no route, address or other node of this machine uses. */
function pickSubnet(): string {
  const toNumber = (ip: string) =>
    ip.split(".").reduce((sum, part) => sum * 256 + Number(part), 0) >>> 0;
  const taken = [
    ...run("ip", ["-4", "-o", "route", "show", "table", "all"]).output.split("\n"),
    ...run("ip", ["-4", "-o", "address", "show"]).output.split("\n"),
    ...readRecords().map((record) => record.subnet),
  ]
    .flatMap((line) => [...line.matchAll(/(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?/g)])
    .map(([, ip, bits]) => ({ start: toNumber(ip), bits: Number(bits ?? 32) }))
    .filter(({ bits }) => bits > 0);
  const overlaps = (start: number, bits: number) =>
    taken.some((other) => {
      const shortest = Math.min(bits, other.bits);
      const mask = shortest === 0 ? 0 : (~0 << (32 - shortest)) >>> 0;
      return (start & mask) >>> 0 === (other.start & mask) >>> 0;
    });
  const thirds = [...Array(256).keys()].sort(() => Math.random() - 0.5);
  for (const third of thirds) {
    if (!overlaps(toNumber(`10.244.${third}.0`), 24)) {
      return `10.244.${third}.0/24`;
    }
  }
  throw new Error("no free /24 in 10.244.0.0/16 for the pods");
}

function startNodeDaemon(
  name: string,
  binary: string,
  args: readonly string[],
  logDir: string,
  env: NodeJS.ProcessEnv = nodeEnvironment(),
): ChildProcess {
  return startDaemon(name, binary, args, logDir, env);
}

const stopNodeDaemon = (child: ChildProcess) => stopDaemon(child, 15_000);

/** The missing Debian packages and binaries, as one message, or undefined when all are there. */
function missingPrerequisites(): string | undefined {
  const { missing, unknown } = missingNodePackages();
  const binaries = [
    "/usr/bin/containerd",
    "/usr/bin/ctr",
    "/usr/bin/containerd-shim-runc-v2",
    ...["bridge", "host-local", "loopback"].map((plugin) => join(CNI_BIN_DIR, plugin)),
  ].filter((path) => !existsSync(path));
  if ((missing.length === 0 || unknown) && binaries.length === 0) {
    return undefined;
  }
  const names = unknown ? NODE_PACKAGES.map((p) => p.name) : missing;
  return (
    `the node needs ${names.join(", ")}${binaries.length ? ` (missing: ${binaries.join(", ")})` : ""}:` +
    ` npm run e2e:tools installs them (as root: apt-get update && ${installCommand(names).join(" ")})`
  );
}

function containerdConfig(
  dir: string,
  socket: string,
  sandboxImage: string,
  registryConfigDir: string,
): string {
  const runc = run("sh", ["-c", "command -v runc"]).output || "runc";
  return `# Written by e2e/harness/node.ts: everything of this containerd's under ${dir}.
version = 2
root = "${join(dir, "containerd", "root")}"
state = "${join(dir, "containerd", "state")}"
# Snapshotters this machine has no use for; each would log why it cannot load.
disabled_plugins = [
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
]

[grpc]
  address = "${socket}"

[plugins."io.containerd.internal.v1.opt"]
  path = "${join(dir, "containerd", "opt")}"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${sandboxImage}"
  # Root without CAP_SYS_RESOURCE cannot lower an oom_score_adj, which the kubelet asks for every
  # sandbox (-998); runc then fails with "can't get final child's PID from pipe: EOF". This keeps
  # each container's at least containerd's own.
  restrict_oom_score_adj = true
  # Pods' network namespaces under the state folder, not /var/run/netns, which nodes would share.
  netns_mounts_under_state_dir = true
  # kubectl exec, attach and port-forward go through this; on loopback, any free port.
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "${runc}"
        # No systemd here: cgroupfs, as the kubelet's cgroupDriver.
        SystemdCgroup = false
        Root = "${join(dir, "containerd", "runc")}"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "${CNI_BIN_DIR}"
    conf_dir = "${join(dir, "cni", "net.d")}"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "${registryConfigDir}"
`;
}

/** The bridge plugin on a bridge made beforehand with the subnet's first address. */
function cniConfig(network: string, bridge: string, subnet: string, ipamDir: string): string {
  return `${JSON.stringify(
    {
      cniVersion: "1.0.0",
      name: network,
      plugins: [
        {
          type: "bridge",
          bridge,
          // The bridge already holds the gateway address, so the host reaches the pods (the
          // kubelet's HTTP probes); the plugin is not to add one, turn on IP forwarding or
          // masquerade, and the pods get no default route: nothing they send leaves the machine.
          isGateway: false,
          isDefaultGateway: false,
          ipMasq: false,
          hairpinMode: false,
          ipam: { type: "host-local", ranges: [[{ subnet }]], routes: [], dataDir: ipamDir },
        },
      ],
    },
    null,
    2,
  )}\n`;
}

/**
 * Starts a node for `controlPlane` in `dir`: containerd, the pause image, the kubelet; resolves
 * once the Node is Ready and schedulable. On failure, everything started is stopped and removed.
 */
export async function startNode(
  controlPlane: ControlPlane,
  dir: string,
  options: NodeOptions,
): Promise<KubeNode> {
  if (!controlPlane.runsPods) {
    throw new Error("the control plane runs no scheduler: start it with kubeScheduler");
  }
  if (process.getuid?.() !== 0) {
    throw new Error("a node needs root (containerd, runc, mounts, cgroups, a bridge)");
  }
  const missing = missingPrerequisites();
  if (missing) {
    throw new Error(missing);
  }
  const logDir = controlPlane.logDir;
  const abandoned = cleanUpAbandonedNodes();
  if (abandoned.length > 0) {
    writeFileSync(join(logDir, "node-teardown.log"), `${abandoned.join("\n")}\n`, { flag: "a" });
  }
  const started = Date.now();
  const id = randomBytes(3).toString("hex");
  const containerdSocket = join(dir, "containerd.sock");
  const record: NodeRecord = {
    id,
    owner: { pid: process.pid, startTime: startTimeOf(process.pid) ?? "" },
    dir,
    cgroupRoot: `/task-api-e2e-${id}`,
    bridge: `taskapi-${id}`,
    network: `task-api-e2e-${id}`,
    containerdSocket,
    subnet: pickSubnet(),
    pids: {},
  };
  const registryConfigDir = join(dir, "certs.d");
  for (const sub of ["containerd", "cni/net.d", "cni/ipam", "kubelet", "pki", "pod-logs"]) {
    mkdirSync(join(dir, sub), { recursive: true });
  }
  mkdirSync(registryConfigDir, { recursive: true });
  for (const [host, toml] of Object.entries(options.registryHosts ?? {})) {
    mkdirSync(join(registryConfigDir, host), { recursive: true });
    writeFileSync(join(registryConfigDir, host, "hosts.toml"), toml);
  }
  // The record first: from here on, another run sees a live node and leaves the host as it is.
  writeRecord(record);
  rememberHost();
  const children: ChildProcess[] = [];
  running.set(id, { record, children });

  let stopped = false;
  const stop = async () => {
    if (stopped) {
      return;
    }
    stopped = true;
    const [containerd, kubelet] = children;
    const kubectl = (...args: string[]) =>
      run(options.binaries.kubectl, [
        `--kubeconfig=${controlPlane.kubeconfig}`,
        // Not ~/.kube/cache.
        `--cache-dir=${join(dir, "kubectl-cache")}`,
        // An API server that answers no more (its etcd gone) must not hold the teardown.
        "--request-timeout=10s",
        ...args,
      ]);
    if (kubelet && kubelet.exitCode === null && kubelet.signalCode === null) {
      // Cordoned first, so that a ReplicaSet's replacement for a deleted pod stays Pending.
      kubectl("cordon", NODE_NAME);
      kubectl(
        "delete",
        "pods",
        "--all-namespaces",
        `--field-selector=spec.nodeName=${NODE_NAME}`,
        "--grace-period=1",
        "--wait=false",
      );
      const path = `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${NODE_NAME}`)}`;
      for (let waited = 0; waited < 60_000; waited += 250) {
        const pods = await controlPlane.client.list(path).catch(() => []);
        if (pods.length === 0) {
          break;
        }
        await sleep(250);
      }
      await stopNodeDaemon(kubelet);
      kubectl("delete", "node", NODE_NAME, "--wait=false");
    } else if (kubelet) {
      await stopNodeDaemon(kubelet);
    }
    if (containerd) {
      await stopNodeDaemon(containerd);
    }
    const done = cleanUp(record);
    running.delete(id);
    if (done.length > 0) {
      writeFileSync(join(logDir, "node-teardown.log"), `${done.join("\n")}\n`, { flag: "a" });
    }
  };

  try {
    // The network: a bridge with the subnet's first address, so that the host has a route to
    // the pods (the kubelet's probes) and the pods none beyond it.
    const gateway = record.subnet.replace(/0\/24$/, "1/24");
    runOrThrow("ip", ["link", "add", "name", record.bridge, "type", "bridge"]);
    runOrThrow("ip", ["address", "add", gateway, "dev", record.bridge]);
    runOrThrow("ip", ["link", "set", record.bridge, "up"]);
    writeFileSync(
      join(dir, "cni", "net.d", "10-task-api-e2e.conflist"),
      cniConfig(record.network, record.bridge, record.subnet, join(dir, "cni", "ipam")),
    );
    makeCgroupRoot(record.cgroupRoot);

    // containerd, then the pause image.
    const containerdToml = join(dir, "containerd", "config.toml");
    writeFileSync(
      containerdToml,
      containerdConfig(dir, containerdSocket, options.sandboxImage.ref, registryConfigDir),
    );
    // Without the run's marker (e2e/harness/runProcesses.ts): containerd hands its environment to the
    // shims it starts (containerd 1.6, runtime/v2/shim/util.go, Command: os.Environ()), which
    // daemonize and are re-parented to PID 1, so a marked shim would be one of the run's orphans,
    // which e2e/lifecycle.e2e.test.ts ends after killing a CLI, pods and all. The node's own
    // teardown ends containerd and its shims (cleanUpNode), also after a crash.
    const unmarked = nodeEnvironment();
    delete unmarked[RUN_MARKER_VARIABLE];
    const containerd = startNodeDaemon(
      "containerd",
      "/usr/bin/containerd",
      [`--config=${containerdToml}`],
      logDir,
      unmarked,
    );
    children.push(containerd);
    record.pids.containerd = containerd.pid;
    writeRecord(record);
    const ctr = (...args: string[]) =>
      run("/usr/bin/ctr", [`--address=${containerdSocket}`, "--namespace=k8s.io", ...args]);
    await waitForDaemon("containerd", 30, containerd, join(logDir, "containerd.log"), () =>
      Promise.resolve(ctr("version").ok),
    );
    const cri = ctr("plugins", "ls")
      .output.split("\n")
      .find((line) => /\bcri\b/.test(line));
    if (!cri?.trim().endsWith("ok")) {
      throw new Error(
        `containerd's CRI plugin did not load (${cri ?? "absent"}); log:\n${tailLog(join(logDir, "containerd.log"))}`,
      );
    }
    const containerdMs = Date.now() - started;
    const importImage = (archive: string) => {
      const imported = ctr("images", "import", archive);
      if (!imported.ok) {
        throw new Error(`ctr images import ${archive}: ${imported.output}`);
      }
    };
    if (options.sandboxImage.archive) {
      importImage(options.sandboxImage.archive);
      const images = ctr("images", "list", "--quiet").output.split("\n");
      if (!images.includes(options.sandboxImage.ref)) {
        throw new Error(
          `${options.sandboxImage.archive} holds no image named ${options.sandboxImage.ref} (containerd has: ${images.join(", ")})`,
        );
      }
    }

    // The kubelet: its certificates from the control plane's authority, its configuration.
    const pki = join(dir, "pki");
    const clientCert = {
      cert: join(pki, "kubelet-client.crt"),
      key: join(pki, "kubelet-client.key"),
    };
    CertificateAuthority.write(
      controlPlane.ca.issue({
        commonName: `system:node:${NODE_NAME}`,
        groups: ["system:nodes"],
        usages: ["client"],
      }),
      clientCert.cert,
      clientCert.key,
    );
    const servingCert = { cert: join(pki, "kubelet.crt"), key: join(pki, "kubelet.key") };
    CertificateAuthority.write(
      controlPlane.ca.issue({
        commonName: `system:node:${NODE_NAME}`,
        groups: ["system:nodes"],
        usages: ["server"],
        hosts: [NODE_NAME, "localhost"],
      }),
      servingCert.cert,
      servingCert.key,
    );
    const kubeconfig = join(dir, "kubelet.kubeconfig");
    writeFileSync(
      kubeconfig,
      JSON.stringify(
        {
          apiVersion: "v1",
          kind: "Config",
          clusters: [
            {
              name: "e2e",
              cluster: {
                server: controlPlane.access.server,
                "certificate-authority": controlPlane.access.caFile,
              },
            },
          ],
          users: [
            {
              name: "kubelet",
              user: { "client-certificate": clientCert.cert, "client-key": clientCert.key },
            },
          ],
          contexts: [{ name: "e2e", context: { cluster: "e2e", user: "kubelet" } }],
          "current-context": "e2e",
        },
        null,
        2,
      ),
      { mode: 0o600 },
    );
    const [port, healthzPort] = [await freePort(), await freePort()];
    const kubeletConfig = join(dir, "kubelet.json");
    writeFileSync(
      kubeletConfig,
      `${JSON.stringify(
        {
          apiVersion: "kubelet.config.k8s.io/v1beta1",
          kind: "KubeletConfiguration",
          // This host is cgroup v1, which kubelet 1.35+ refuses unless told otherwise.
          failCgroupV1: false,
          // No systemd. containerd 1.6 has no CRI RuntimeConfig to tell the driver: 1.37 falls
          // back to this one (1.38 will not).
          cgroupDriver: "cgroupfs",
          cgroupRoot: record.cgroupRoot,
          containerRuntimeEndpoint: `unix://${containerdSocket}`,
          address: "127.0.0.1",
          port,
          readOnlyPort: 0,
          healthzBindAddress: "127.0.0.1",
          healthzPort,
          tlsCertFile: servingCert.cert,
          tlsPrivateKeyFile: servingCert.key,
          rotateCertificates: false,
          serverTLSBootstrap: false,
          // The API server shows a client certificate of the same authority for logs and exec,
          // in group system:masters, which the webhook (a SubjectAccessReview) allows.
          authentication: {
            anonymous: { enabled: false },
            webhook: { enabled: true },
            x509: { clientCAFile: controlPlane.caCertFile },
          },
          authorization: { mode: "Webhook" },
          podLogsDir: join(dir, "pod-logs"),
          volumePluginDir: join(dir, "volume-plugins"),
          // No cluster DNS; the host's resolv.conf would send pods' lookups off the machine.
          resolvConf: "",
          // The kubelet's own chains (KUBE-IPTABLES-HINT, KUBE-FIREWALL) serve kube-proxy, which
          // does not run here.
          makeIPTablesUtilChains: false,
          failSwapOn: false,
          // Nothing to collect or evict on a machine that other work fills: the images were
          // imported, and could not be pulled again.
          imageGCHighThresholdPercent: 100,
          imageGCLowThresholdPercent: 99,
          evictionHard: {
            "memory.available": "100Mi",
            "nodefs.available": "1%",
            "imagefs.available": "1%",
            "nodefs.inodesFree": "1%",
          },
          // The Node turns Ready on the first update after the runtime is: sooner than 10 s.
          nodeStatusUpdateFrequency: "1s",
        },
        null,
        2,
      )}\n`,
    );
    const kubelet = startNodeDaemon(
      "kubelet",
      options.binaries.kubelet,
      [
        `--config=${kubeletConfig}`,
        `--kubeconfig=${kubeconfig}`,
        `--hostname-override=${NODE_NAME}`,
        `--root-dir=${join(dir, "kubelet")}`,
        `--cert-dir=${pki}`,
        "--v=2",
      ],
      logDir,
    );
    children.push(kubelet);
    record.pids.kubelet = kubelet.pid;
    writeRecord(record);
    // Ready, and without the taints that keep pods off a node (node.kubernetes.io/not-ready
    // until the node lifecycle controller sees it Ready).
    let seen = "not registered";
    await waitForDaemon(
      "the kubelet's Node",
      120,
      kubelet,
      join(logDir, "kubelet.log"),
      async () => {
        const node = await controlPlane.client.get<{
          spec?: { taints?: { key: string; effect: string }[] };
          status?: { conditions?: { type: string; status: string; message?: string }[] };
        }>(`/api/v1/nodes/${NODE_NAME}`);
        if (!node) {
          return false;
        }
        const ready = node.status?.conditions?.find((c) => c.type === "Ready");
        const taints = (node.spec?.taints ?? []).filter((taint) =>
          /^node\.(kubernetes\.io|cloudprovider\.kubernetes\.io)\//.test(taint.key),
        );
        seen =
          `Ready: ${ready?.status ?? "unknown"} (${ready?.message ?? ""}); taints: ` +
          (taints.map((taint) => `${taint.key}:${taint.effect}`).join(", ") || "none");
        return ready?.status === "True" && taints.length === 0;
      },
      () => seen,
    );
    return {
      name: NODE_NAME,
      dir,
      containerdSocket,
      registryConfigDir,
      podSubnet: record.subnet,
      bridge: record.bridge,
      cgroupRoot: record.cgroupRoot,
      timings: { containerdMs, readyMs: Date.now() - started },
      pids: { containerd: containerd.pid ?? 0, kubelet: kubelet.pid ?? 0 },
      importImage,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// A Kubernetes control plane on loopback for the end-to-end run: etcd, kube-apiserver (TLS with
// its self-signed certificate, a random bearer token, the Node and RBAC authorizers, the default
// admission plugins with Pod Security and NodeRestriction, a certificate authority of the run for
// kubelets) and kube-controller-manager with the controllers a Deployment needs. Without
// kube-scheduler, Pods are created and admitted, never scheduled or started; with it (a node of
// e2e/harness/node.ts to run them), the controllers a node needs run too.

import { ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./ports";
import { startDaemon, stopDaemon, waitForDaemon } from "./daemon";
import { KubeClient } from "./kubeClient";
import { CertificateAuthority } from "./pki";

/** The kubeconfig context the e2e stack targets through `task-api:cluster: {context: ...}`. */
export const E2E_CONTEXT = "task-api-e2e";

/**
 * What a Deployment needs to turn into Pods: Deployments make ReplicaSets, ReplicaSets make Pods,
 * the namespace controller empties deleted namespaces, the garbage collector removes what their
 * owners left, and the service-account controller makes the `default` ServiceAccount that the
 * ServiceAccount admission plugin requires of every Pod's namespace.
 */
const CONTROLLERS = [
  "deployment-controller",
  "replicaset-controller",
  "namespace-controller",
  "garbage-collector-controller",
  "serviceaccount-controller",
];

/**
 * What a node needs besides the scheduler: the node lifecycle controller takes the
 * `node.kubernetes.io/not-ready` taint off a node once its kubelet reports Ready (without it, no
 * pod is ever scheduled), and the root CA publisher makes the `kube-root-ca.crt` ConfigMap that a
 * pod's service account token volume reads (without it, such a pod never starts).
 */
const NODE_CONTROLLERS = ["node-lifecycle-controller", "root-ca-cert-publisher"];

export interface ControlPlane {
  readonly kubeconfig: string;
  /** How a client reaches the API server: what the kubeconfig says. */
  readonly access: { readonly server: string; readonly token: string; readonly caFile: string };
  readonly client: KubeClient;
  readonly logDir: string;
  /**
   * The run's certificate authority: the API server trusts client certificates it signs (a
   * kubelet's, user `system:node:NAME` in group `system:nodes`) and kubelet serving certificates it
   * signs; its certificate is `caCertFile`.
   */
  readonly ca: CertificateAuthority;
  readonly caCertFile: string;
  /** Whether kube-scheduler and the node controllers run: a node's pods are scheduled and run. */
  readonly runsPods: boolean;
  /** Stops every process, in reverse order of start. */
  stop(): Promise<void>;
  /** Stops the API server alone (etcd keeps the data), as an outage mid-update would. */
  stopApiServer(): Promise<void>;
  /** Starts it again on the same port with the same certificate, and waits until it is ready. */
  startApiServer(): Promise<void>;
}

/** Every process started here, so that an exiting runner can kill what is left. */
const started = new Set<ChildProcess>();

process.on("exit", () => {
  for (const child of started) {
    child.kill("SIGKILL");
  }
});

function startProcess(name: string, binary: string, args: string[], logDir: string): ChildProcess {
  const child = startDaemon(name, binary, args, logDir);
  started.add(child);
  child.once("exit", () => started.delete(child));
  return child;
}

const stopProcess = (child: ChildProcess) => stopDaemon(child, 10_000);

/** The binaries of the control plane; with kubeScheduler the cluster runs pods (`runsPods`). */
export interface ControlPlaneBinaries {
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  /** With it, the scheduler and the controllers a node needs run (see `runsPods`). */
  readonly kubeScheduler?: string;
}

/**
 * Starts the control plane in `workDir` (data, keys, logs, kubeconfig) from the given binaries, in
 * the order each needs the one before: etcd, the credentials, the API server and a kubeconfig for
 * it, the controller manager, and the scheduler when pods are to run.
 */
export async function startControlPlane(
  workDir: string,
  binaries: ControlPlaneBinaries,
): Promise<ControlPlane> {
  const logDir = join(workDir, "logs");
  const pki = join(workDir, "pki");
  mkdirSync(logDir, { recursive: true });
  mkdirSync(pki, { recursive: true });
  const processes: ChildProcess[] = [];
  const stop = async () => {
    for (const child of processes.reverse()) {
      await stopProcess(child);
    }
  };

  try {
    const etcdUrl = await startEtcd(workDir, logDir, binaries.etcd, processes);
    const credentials = writeCredentials(pki);
    const apiPort = await freePort();
    const apiserverArgs = apiServerArgs(etcdUrl, apiPort, pki, credentials);
    let apiserver = startProcess("kube-apiserver", binaries.kubeApiserver, apiserverArgs, logDir);
    processes.push(apiserver);
    const server = `https://127.0.0.1:${apiPort}`;
    // The API server's own serving certificate, which it writes on its first start.
    const caFile = join(pki, "apiserver.crt");
    const kubeconfig = writeKubeconfig(workDir, server, caFile, credentials.token);
    const client = new KubeClient(server, credentials.token, () => readFileSync(caFile));
    const apiserverReady = () =>
      waitForDaemon(
        "kube-apiserver",
        120,
        apiserver,
        join(logDir, "kube-apiserver.log"),
        async () => (await client.getText("/readyz")) === "ok",
      );
    await apiserverReady();

    const runsPods = binaries.kubeScheduler !== undefined;
    await startControllerManager(
      binaries,
      { kubeconfig, caFile, logDir, client, runsPods },
      processes,
    );
    if (binaries.kubeScheduler) {
      processes.push(startScheduler(binaries.kubeScheduler, kubeconfig, logDir));
    }
    return {
      kubeconfig,
      access: { server, token: credentials.token, caFile },
      client,
      logDir,
      ca: credentials.ca,
      caCertFile: credentials.caCertFile,
      runsPods,
      stop,
      stopApiServer: async () => {
        await stopProcess(apiserver);
        processes.splice(processes.indexOf(apiserver), 1);
      },
      startApiServer: async () => {
        apiserver = startProcess("kube-apiserver", binaries.kubeApiserver, apiserverArgs, logDir);
        processes.splice(1, 0, apiserver);
        await apiserverReady();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Starts etcd on two free ports, waits until it is healthy, and returns its client URL. */
async function startEtcd(
  workDir: string,
  logDir: string,
  binary: string,
  processes: ChildProcess[],
): Promise<string> {
  const [etcdPort, etcdPeerPort] = [await freePort(), await freePort()];
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
  const etcd = startProcess(
    "etcd",
    binary,
    [
      "--name=e2e",
      `--data-dir=${join(workDir, "etcd")}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=e2e=${peerUrl}`,
      // A throw-away store: durability buys nothing here and fsync costs seconds per update.
      "--unsafe-no-fsync",
      "--log-level=warn",
    ],
    logDir,
  );
  processes.push(etcd);
  await waitForDaemon(
    "etcd",
    30,
    etcd,
    join(logDir, "etcd.log"),
    async () => (await fetch(`${etcdUrl}/health`)).ok,
  );
  return etcdUrl;
}

/** What the API server and its clients authenticate with, written under `pki`. */
interface Credentials {
  /** The admin's bearer token (tokens.csv). */
  readonly token: string;
  /** The authority for kubelets (see ControlPlane.ca) and its certificate's file. */
  readonly ca: CertificateAuthority;
  readonly caCertFile: string;
  /** The client certificate the API server shows kubelets, for logs and exec. */
  readonly kubeletClient: { readonly cert: string; readonly key: string };
}

function writeCredentials(pki: string): Credentials {
  const token = randomBytes(32).toString("hex");
  writeFileSync(join(pki, "tokens.csv"), `${token},e2e-admin,e2e-admin,system:masters\n`, {
    mode: 0o600,
  });
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  writeFileSync(
    join(pki, "service-account.key"),
    privateKey.export({ type: "pkcs8", format: "pem" }),
    { mode: 0o600 },
  );
  writeFileSync(
    join(pki, "service-account.pub"),
    publicKey.export({ type: "spki", format: "pem" }),
  );
  // The API server's own serving certificate stays the one it makes (apiserver.crt); this
  // authority is for kubelets, in both directions: their client certificates, their serving
  // certificates, and the client certificate the API server shows them for logs and exec.
  const ca = new CertificateAuthority("task-api-e2e-ca");
  const caCertFile = join(pki, "ca.crt");
  writeFileSync(caCertFile, ca.cert);
  const kubeletClient = {
    cert: join(pki, "apiserver-kubelet-client.crt"),
    key: join(pki, "apiserver-kubelet-client.key"),
  };
  CertificateAuthority.write(
    ca.issue({
      commonName: "kube-apiserver-kubelet-client",
      groups: ["system:masters"],
      usages: ["client"],
    }),
    kubeletClient.cert,
    kubeletClient.key,
  );
  return { token, ca, caCertFile, kubeletClient };
}

function apiServerArgs(
  etcdUrl: string,
  apiPort: number,
  pki: string,
  { caCertFile, kubeletClient }: Credentials,
): string[] {
  return [
    `--etcd-servers=${etcdUrl}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    // The default reconciler publishes the advertise address as the `kubernetes` Service's
    // endpoint and refuses a loopback one ("may not be in the loopback range"); nothing here
    // reaches the API server through that Service.
    "--endpoint-reconciler-type=none",
    `--secure-port=${apiPort}`,
    // No --tls-cert-file: the server writes a CA and a serving certificate for its addresses
    // (localhost, 127.0.0.1) here, apiserver.crt holding both; the kubeconfig trusts that file.
    `--cert-dir=${pki}`,
    `--token-auth-file=${join(pki, "tokens.csv")}`,
    "--anonymous-auth=false",
    `--client-ca-file=${caCertFile}`,
    // A kubelet (user system:node:NAME) may read what its own pods need and nothing else.
    "--authorization-mode=Node,RBAC",
    "--enable-admission-plugins=NodeRestriction",
    `--kubelet-client-certificate=${kubeletClient.cert}`,
    `--kubelet-client-key=${kubeletClient.key}`,
    `--kubelet-certificate-authority=${caCertFile}`,
    // A node of e2e/harness/node.ts reports 127.0.0.1 as its InternalIP.
    "--kubelet-preferred-address-types=InternalIP",
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${join(pki, "service-account.pub")}`,
    `--service-account-signing-key-file=${join(pki, "service-account.key")}`,
    // Only an address range the API server allocates Service IPs from; nothing listens there.
    "--service-cluster-ip-range=10.96.0.0/24",
  ];
}

/** The admin's kubeconfig, context E2E_CONTEXT: what the CLI, kubectl and the tests use. */
function writeKubeconfig(workDir: string, server: string, caFile: string, token: string): string {
  const kubeconfig = join(workDir, "kubeconfig");
  writeFileSync(
    kubeconfig,
    JSON.stringify(
      {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: E2E_CONTEXT, cluster: { server, "certificate-authority": caFile } }],
        users: [{ name: "e2e-admin", user: { token } }],
        contexts: [{ name: E2E_CONTEXT, context: { cluster: E2E_CONTEXT, user: "e2e-admin" } }],
        "current-context": E2E_CONTEXT,
      },
      null,
      2,
    ),
    { mode: 0o600 },
  );
  return kubeconfig;
}

/** Starts the controller manager and waits for its first act, which every Pod's admission needs. */
async function startControllerManager(
  binaries: ControlPlaneBinaries,
  cluster: {
    readonly kubeconfig: string;
    readonly caFile: string;
    readonly logDir: string;
    readonly client: KubeClient;
    readonly runsPods: boolean;
  },
  processes: ChildProcess[],
): Promise<void> {
  const controllers = cluster.runsPods ? [...CONTROLLERS, ...NODE_CONTROLLERS] : CONTROLLERS;
  const controllerManager = startProcess(
    "kube-controller-manager",
    binaries.kubeControllerManager,
    [
      `--kubeconfig=${cluster.kubeconfig}`,
      `--controllers=${controllers.join(",")}`,
      // What the root CA publisher puts in each namespace's kube-root-ca.crt.
      `--root-ca-file=${cluster.caFile}`,
      "--leader-elect=false",
      "--use-service-account-credentials=false",
      // Serves nothing: no health port to collide with anything else on the machine.
      "--secure-port=0",
    ],
    cluster.logDir,
  );
  processes.push(controllerManager);
  // The service-account controller's first act.
  await waitForDaemon(
    "kube-controller-manager",
    120,
    controllerManager,
    join(cluster.logDir, "kube-controller-manager.log"),
    async () =>
      (await cluster.client.get("/api/v1/namespaces/default/serviceaccounts/default")) !==
      undefined,
  );
}

/** The scheduler: nothing to wait for, it schedules what is pending once its informers synced. */
function startScheduler(binary: string, kubeconfig: string, logDir: string): ChildProcess {
  return startProcess(
    "kube-scheduler",
    binary,
    [
      `--kubeconfig=${kubeconfig}`,
      "--leader-elect=false",
      // Serves nothing, as the controller manager.
      "--secure-port=0",
    ],
    logDir,
  );
}

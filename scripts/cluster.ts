// npm run cluster: the end-to-end run's cluster by hand, for trying a real deploy without a cloud.
// Starts a control plane, the loopback registry of the app's images and a node of this machine
// (e2e/harness/podCluster.ts; needs `npm run e2e:tools`, Linux and root), prints how to deploy a `local`
// stack to it, and on Ctrl-C stops and cleans everything.

import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { E2E_CONTEXT } from "../e2e/harness/controlPlane";
import { PodCluster, startPodCluster } from "../e2e/harness/podCluster";
import { toolPath } from "../e2e/harness/toolchain";

/** The registry account the printed commands give the stack; its token is made per start. */
const REGISTRY_USER = "local-deploy";
const STACK = "local";
const NAMESPACE = "task-api-local";
const IMAGE = "ghcr.io/acme/task-api:1.5.0";

/** The commands that deploy a `local` stack to this cluster, each as a user types it. */
function usage(kubeconfig: string, kubectl: string, tokenFile: string, stateDir: string): string {
  const stack = `-s ${STACK}`;
  return [
    `cluster ready: kubeconfig ${kubeconfig}, context ${E2E_CONTEXT}`,
    "",
    "In another terminal, from this project:",
    "",
    `  export KUBECONFIG=${kubeconfig}`,
    // The stack's state lives and goes with the cluster; this terminal's own backend setting, not
    // `pulumi login`, which would change the backend of every later command on this machine.
    `  export PULUMI_BACKEND_URL=file://${stateDir}`,
    "  export PULUMI_CONFIG_PASSPHRASE='a passphrase for this stack'",
    `  npx pulumi stack init ${STACK}`,
    `  npx pulumi config set task-api:image ${IMAGE} ${stack}`,
    `  npx pulumi config set task-api:namespace ${NAMESPACE} ${stack}`,
    `  npx pulumi config set --path task-api:cluster.context ${E2E_CONTEXT} ${stack}`,
    `  npx pulumi config set --path task-api:registry.server ghcr.io ${stack}`,
    `  npx pulumi config set --path task-api:registry.username ${REGISTRY_USER} ${stack}`,
    `  npx pulumi config set --secret task-api:registryToken ${stack} < ${tokenFile}`,
    `  npx pulumi config set --secret --path 'secrets.DATABASE_PASSWORD' ${stack}`,
    `  npx pulumi config set --secret --path 'secrets.OPENAI_API_KEY' ${stack}`,
    `  npx pulumi up ${stack}`,
    "",
    "Then look inside the running app:",
    "",
    `  ${kubectl} -n ${NAMESPACE} get pods`,
    `  ${kubectl} -n ${NAMESPACE} exec deployment/task-api -- env`,
    "",
    `Pulumi.${STACK}.yaml stays in the project once the cluster is gone: delete it then.`,
    `The registry serves ${IMAGE.replace(/:.*/, "")} tags 1.4.0, 1.5.0, 1.5.1, 1.6.0-never-ready`,
    "and 1.6.0-crash, to the pull secret the program makes. Ctrl-C stops and removes everything.",
  ].join("\n");
}

async function main(): Promise<number> {
  const { binaries, missing } = toolPath();
  if (missing.length > 0) {
    process.stderr.write(`cluster: not built yet: ${missing.join(", ")}; run: npm run e2e:tools\n`);
    return 1;
  }
  const dir = mkdtempSync(join(tmpdir(), "task-api-cluster-"));
  const token = randomBytes(20).toString("hex");
  // A file, read by `pulumi config set --secret` from its standard input: the token is never
  // printed, nor typed where the shell's history keeps it.
  const tokenFile = join(dir, "registry-token");
  writeFileSync(tokenFile, token, { mode: 0o600 });
  const stateDir = join(dir, "state");
  mkdirSync(stateDir);
  let cluster: PodCluster | undefined;
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stdout.write(
      `\ncluster: ${reason}: stopping the node, the registry, the control plane\n`,
    );
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
    process.stdout.write("cluster: stopped, nothing left running\n");
  };
  try {
    const started = Date.now();
    cluster = await startPodCluster(dir, binaries, {
      accounts: [{ username: REGISTRY_USER, password: token }],
    });
    process.stdout.write(
      `${usage(cluster.controlPlane.kubeconfig, binaries.kubectl, tokenFile, stateDir)}\n` +
        `(started in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );
  } catch (error) {
    process.stderr.write(`cluster: ${error instanceof Error ? error.message : String(error)}\n`);
    await stop("failed to start");
    return 1;
  }
  return new Promise((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        void stop(signal).then(() => resolve(0));
      });
    }
  });
}

void main().then((code) => {
  process.exitCode = code;
});

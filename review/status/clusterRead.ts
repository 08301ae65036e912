// Reads one stack's app from its cluster for `npm run status`, read-only, with kubectl and the same
// cluster settings `pulumi up` uses (task-api:cluster: a kubeconfig context, a DOKS cluster through
// doctl's kubeconfig, or the current context). Of a ConfigMap or Secret only its creation and
// write times are read (a jsonpath of those fields): not its data, and not its annotations, where
// `kubectl apply` keeps a copy of the whole object, values included
// (kubectl.kubernetes.io/last-applied-configuration). No value reaches this process.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_APP_NAME } from "../../lib/defaults";
import { configKey } from "../../lib/config/keys";
import { StackValue, isSecureLeaf, readStackFile } from "../../lib/config/stackFile";
import { userFacingError } from "../../lib/userFacingError";
import { isPlainObject } from "../../lib/values";
import { readProjectDefaults } from "../engine/stackFiles";
import { ClusterView, DeploymentObject, PodObject, ReplicaSetObject } from "./rolloutStatus";

/** The status cannot be told: no cluster, no kubectl, nothing deployed. Exits 1, no trace. */
export class StatusUnavailable extends userFacingError(Error, "StatusUnavailable") {}

/** Where a stack's app runs, from its stack file and Pulumi.yaml's defaults. */
export interface StatusTarget {
  readonly stack: string;
  readonly namespace: string;
  readonly deployment: string;
  readonly cluster: { readonly context: string } | { readonly doks: string } | undefined;
}

/** `context kind-dev`, `DOKS cluster task-api-staging`, `the current kubeconfig context`. */
export function describeCluster(target: StatusTarget): string {
  const { cluster } = target;
  return cluster === undefined
    ? "the current kubeconfig context"
    : "context" in cluster
      ? `context ${cluster.context}`
      : `DOKS cluster ${cluster.doks}`;
}

/** The target of `stack` in `projectDir`; refuses what the program would refuse to deploy. */
export function statusTarget(projectDir: string, stack: string): StatusTarget {
  const values = { ...readProjectDefaults(projectDir), ...readStackFile(projectDir, stack) };
  const plain = (name: string): StackValue => {
    const value = values[configKey(name)];
    if (isSecureLeaf(value)) {
      throw new StatusUnavailable(
        `${configKey(name)} is encrypted in Pulumi.${stack}.yaml, which the program refuses: no such stack can be deployed`,
      );
    }
    return value;
  };
  const namespace = plain("namespace");
  if (typeof namespace !== "string" || namespace === "") {
    throw new StatusUnavailable(
      `${configKey("namespace")} is not set in Pulumi.${stack}.yaml: the stack has never been deployed`,
    );
  }
  const appName = plain("appName");
  const cluster = plain("cluster");
  return {
    stack,
    namespace,
    deployment: typeof appName === "string" ? appName : DEFAULT_APP_NAME,
    cluster:
      isPlainObject(cluster) && typeof cluster.context === "string"
        ? { context: cluster.context }
        : isPlainObject(cluster) && typeof cluster.doks === "string"
          ? { doks: cluster.doks }
          : undefined,
  };
}

/** Runs kubectl with `args`; what it printed, or a StatusUnavailable in kubectl's words. */
function kubectl(target: StatusTarget, access: readonly string[], args: readonly string[]): string {
  const result = spawnSync("kubectl", [...access, ...args], {
    encoding: "utf8",
    timeout: 60_000,
    // Given, not inherited: the live process.env (a test sets PATH there).
    env: process.env,
  });
  if (result.error !== undefined) {
    throw new StatusUnavailable(
      (result.error as NodeJS.ErrnoException).code === "ENOENT"
        ? "kubectl is not installed or not on PATH: npm run status reads the cluster with it (https://kubernetes.io/docs/tasks/tools/)"
        : `kubectl ${args.join(" ")}: ${result.error.message}`,
    );
  }
  if (result.status !== 0) {
    const message = result.stderr.trim().split("\n").at(-1) ?? "";
    throw new StatusUnavailable(
      /NotFound|not found/.test(message) && args[1] === "deployment"
        ? `no Deployment ${target.deployment} in namespace ${target.namespace} on ${describeCluster(target)}: stack "${target.stack}" has never been deployed there, or was destroyed (pulumi up -s ${target.stack} deploys it)`
        : `cannot read the cluster of stack "${target.stack}" (${describeCluster(target)}): ${message}`,
    );
  }
  return result.stdout;
}

/**
 * When a ConfigMap or Secret was made and each time it was written, from `kubectl get` with the
 * jsonpath WRITE_TIMES: "CREATED TIME...", or "" for one that is not there (--ignore-not-found).
 */
function writeTimes(name: string, printed: string): ClusterView["dataObjects"][string] {
  const [created, ...times] = printed.trim().split(/\s+/).filter(Boolean);
  return created === undefined
    ? undefined
    : { name, creationTimestamp: created, managedFields: times.map((time) => ({ time })) };
}

const WRITE_TIMES = "jsonpath={.metadata.creationTimestamp} {.metadata.managedFields[*].time}";

/**
 * The kubectl options that reach the target's cluster, and a clean-up: for DOKS, a kubeconfig from
 * `doctl kubernetes cluster kubeconfig show`, which holds no token (doctl's exec plugin gets one
 * when kubectl connects, as for `pulumi up`: docs/configuration.md, "Clusters").
 */
function clusterAccess(target: StatusTarget): { args: string[]; done: () => void } {
  const { cluster } = target;
  if (cluster === undefined) {
    return { args: [], done: () => undefined };
  }
  if ("context" in cluster) {
    return { args: ["--context", cluster.context], done: () => undefined };
  }
  const shown = spawnSync("doctl", ["kubernetes", "cluster", "kubeconfig", "show", cluster.doks], {
    encoding: "utf8",
    timeout: 60_000,
  });
  if (shown.error !== undefined || shown.status !== 0) {
    throw new StatusUnavailable(
      `cannot get the kubeconfig of DOKS cluster ${cluster.doks} from doctl (installed and logged in: doctl auth init): ${shown.error?.message ?? shown.stderr.trim()}`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "task-api-status-"));
  const file = join(dir, "kubeconfig");
  writeFileSync(file, shown.stdout, { mode: 0o600 });
  return {
    args: ["--kubeconfig", file],
    done: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What the cluster holds for the target's app, read once. */
export function readClusterView(target: StatusTarget): ClusterView {
  const access = clusterAccess(target);
  try {
    const read = (args: readonly string[]) =>
      kubectl(target, access.args, [...args, "-n", target.namespace]);
    const readJson = (args: readonly string[]) =>
      JSON.parse(read([...args, "-o", "json"])) as unknown;
    const deployment = readJson(["get", "deployment", target.deployment]) as DeploymentObject & {
      spec: { selector?: { matchLabels?: Record<string, string> } };
    };
    const selector = Object.entries(deployment.spec.selector?.matchLabels ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join(",");
    const owned = readJson(["get", "replicasets,pods", "-l", selector]) as {
      items: (ReplicaSetObject & PodObject & { kind: string })[];
    };
    const replicaSets = owned.items.filter(
      (item) =>
        item.kind === "ReplicaSet" &&
        item.metadata.ownerReferences?.some((o) => o.name === target.deployment),
    );
    const pods = owned.items.filter((item) => item.kind === "Pod");
    const spec = deployment.spec.template.spec;
    const objects = [
      ...spec.containers.flatMap((c) =>
        (c.envFrom ?? []).flatMap((source) => [
          ...(source.configMapRef ? [["configmap", source.configMapRef.name]] : []),
          ...(source.secretRef ? [["secret", source.secretRef.name]] : []),
        ]),
      ),
      ...(spec.volumes ?? []).flatMap((volume) =>
        volume.secret?.secretName ? [["secret", volume.secret.secretName]] : [],
      ),
    ];
    const dataObjects = Object.fromEntries(
      objects.map(([kind, name]) => [
        name,
        writeTimes(name, read(["get", kind, name, "--ignore-not-found", "-o", WRITE_TIMES])),
      ]),
    );
    return { deployment, replicaSets, pods, dataObjects };
  } finally {
    access.done();
  }
}

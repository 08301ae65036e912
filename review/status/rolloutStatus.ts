// Which pods run which config: the answer to "are all my pods on the new password yet?", made from
// what the cluster says (the Deployment, its ReplicaSets and pods, and the metadata of the objects
// they read) and never from a value. Issue 24; docs/status.md shows it on a real cluster.
//
// Two facts of Kubernetes decide it:
// - A container reads its environment (envFrom a ConfigMap or Secret) once, when it starts
//   (Kubernetes docs, "Configure a Pod to Use a ConfigMap": "environment variables ... are not
//   updated automatically"). The program updates both objects in place, so a container that
//   restarts inside an old pod reads the *new* data while its pod's checksum annotation still says
//   old; and without `restartOnChange` no annotation changes at all. So a pod's data is judged by
//   its annotations where they are current, and otherwise by when its container started against
//   when the object last changed (`metadata.managedFields[].time`, which the API server sets on
//   every write: Kubernetes docs, "Server-Side Apply", managed fields).
// - Mounted Secret files are refreshed in place by the kubelet within its sync period (1 minute by
//   default, jittered: docs/e2e.md "Mounted files" measured 64 to 82 s), so they are current once
//   that has passed since the change.

import { CONFIG_CHECKSUM_ANNOTATION, SECRET_CHECKSUM_ANNOTATION } from "../../lib/checksum";
import { FILE_SET_CHECKSUM_PREFIX } from "../../lib/secretFiles";

/** How long after a change a mounted file may still be old (kubelet syncFrequency 1 m, x1.5). */
export const FILE_REFRESH_SECONDS = 90;

/** Container waiting reasons of the kubelet after which the container does not run as is. */
const FAILING_REASONS = [
  "ImagePullBackOff",
  "ErrImagePull",
  "CrashLoopBackOff",
  "CreateContainerConfigError",
  "CreateContainerError",
  "InvalidImageName",
  "RunContainerError",
];

interface Metadata {
  readonly name: string;
  readonly uid?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly { readonly kind: string; readonly name: string }[];
  readonly managedFields?: readonly { readonly time?: string }[];
  readonly deletionTimestamp?: string;
}

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

interface ContainerState {
  readonly running?: { readonly startedAt?: string };
  readonly waiting?: { readonly reason?: string; readonly message?: string };
  readonly terminated?: { readonly reason?: string; readonly exitCode?: number };
}

/** The fields of a Deployment the report reads. */
export interface DeploymentObject {
  readonly metadata: Metadata;
  readonly spec: {
    readonly replicas?: number;
    readonly template: {
      readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> };
      readonly spec: {
        readonly containers: readonly {
          readonly name: string;
          readonly envFrom?: readonly {
            readonly configMapRef?: { readonly name: string };
            readonly secretRef?: { readonly name: string };
          }[];
        }[];
        readonly volumes?: readonly {
          readonly name: string;
          readonly secret?: { readonly secretName?: string };
        }[];
      };
    };
  };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly replicas?: number;
    readonly updatedReplicas?: number;
    readonly availableReplicas?: number;
    readonly conditions?: readonly Condition[];
  };
}

export interface ReplicaSetObject {
  readonly metadata: Metadata;
}

export interface PodObject {
  readonly metadata: Metadata;
  readonly status?: {
    readonly conditions?: readonly Condition[];
    readonly containerStatuses?: readonly {
      readonly name: string;
      readonly ready?: boolean;
      readonly restartCount?: number;
      readonly state?: ContainerState;
    }[];
  };
}

/** What the cluster holds for one stack's app, as read (e.g. by review/status/clusterRead.ts). */
export interface ClusterView {
  readonly deployment: DeploymentObject;
  readonly replicaSets: readonly ReplicaSetObject[];
  readonly pods: readonly PodObject[];
  /** The metadata of each ConfigMap and Secret the pod template reads, by name. */
  readonly dataObjects: Readonly<Record<string, Metadata | undefined>>;
}

/** One object whose data the pods use. */
export interface DataVersion {
  /** `config`, `secret`, or `files SET` (a mounted Secret). */
  readonly what: string;
  readonly object: string;
  /** The checksum on the current pod template (12 characters), if the program set one. */
  readonly version?: string;
  /** When the object was last written, if the API server says. */
  readonly changed?: string;
}

/** What a pod runs, for each piece of data: the current version, or not. */
export type DataState =
  | "current"
  /** The container restarted after the change: it runs the new data, its annotation says old. */
  | "newer than its template"
  | "old"
  /** Mounted files within the kubelet's sync period after a change. */
  | "refresh pending";

export interface PodReport {
  readonly name: string;
  readonly replicaSet: string;
  readonly ready: boolean;
  /** Why not Ready or not running, in the cluster's words (`ImagePullBackOff: ...`). */
  readonly reason?: string;
  readonly failing: boolean;
  readonly restarts: number;
  readonly startedAt?: string;
  /** By DataVersion.what. */
  readonly data: Readonly<Record<string, DataState>>;
}

export type StatusState = "current" | "in progress" | "stale or failing";

export interface StatusReport {
  readonly namespace: string;
  readonly deployment: string;
  readonly data: readonly DataVersion[];
  readonly pods: readonly PodReport[];
  readonly rollout: "complete" | "in progress" | "stuck";
  /** The Deployment controller's reason, when the rollout is stuck. */
  readonly rolloutReason?: string;
  /** The trap, pending files: what a reader must know beyond the table. */
  readonly notes: readonly string[];
  readonly state: StatusState;
  readonly verdict: string;
}

/** The exit code of `npm run status` for a state (docs/status.md). */
export const EXIT_CODES: Readonly<Record<StatusState, number>> = {
  current: 0,
  "in progress": 3,
  "stale or failing": 4,
};

const time = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text));

/** When the object was last written: the newest time among its managed fields. */
function lastWritten(metadata: Metadata | undefined): string | undefined {
  const times = (metadata?.managedFields ?? [])
    .map((field) => field.time)
    .filter((value): value is string => value !== undefined)
    .sort();
  return times.at(-1) ?? metadata?.creationTimestamp;
}

/** The objects the template reads, each with its annotation (if the program sets one). */
function dataSources(
  deployment: DeploymentObject,
): { what: string; object: string; annotation: string; mounted: boolean }[] {
  const spec = deployment.spec.template.spec;
  const envFrom = spec.containers.flatMap((container) => container.envFrom ?? []);
  const sources = [
    ...envFrom
      .filter((source) => source.configMapRef !== undefined)
      .map((source) => ({
        what: "config",
        object: source.configMapRef?.name ?? "",
        annotation: CONFIG_CHECKSUM_ANNOTATION,
        mounted: false,
      })),
    ...envFrom
      .filter((source) => source.secretRef !== undefined)
      .map((source) => ({
        what: "secret",
        object: source.secretRef?.name ?? "",
        annotation: SECRET_CHECKSUM_ANNOTATION,
        mounted: false,
      })),
    ...(spec.volumes ?? [])
      .filter((volume) => volume.secret?.secretName !== undefined)
      .map((volume) => ({
        what: `files ${volume.name}`,
        object: volume.secret?.secretName ?? "",
        annotation: `${FILE_SET_CHECKSUM_PREFIX}${volume.name}`,
        mounted: true,
      })),
  ];
  return sources;
}

/** Why a pod is not Ready or not running, in the kubelet's and scheduler's words. */
function podProblem(pod: PodObject): { reason?: string; failing: boolean } {
  const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
  if (scheduled?.status === "False") {
    return {
      reason: `${scheduled.reason ?? "Unschedulable"}: ${scheduled.message ?? ""}`.trim(),
      failing: true,
    };
  }
  for (const container of pod.status?.containerStatuses ?? []) {
    const waiting = container.state?.waiting;
    if (waiting?.reason !== undefined) {
      const message = (waiting.message ?? "").replace(/\s+/g, " ").slice(0, 240);
      return {
        reason: message === "" ? waiting.reason : `${waiting.reason}: ${message}`,
        failing: FAILING_REASONS.includes(waiting.reason),
      };
    }
    if (container.state?.terminated !== undefined) {
      const { reason, exitCode } = container.state.terminated;
      return {
        reason: `terminated: ${reason ?? "exit"} (exit code ${exitCode ?? "?"})`,
        failing: false,
      };
    }
  }
  const ready = pod.status?.conditions?.find((c) => c.type === "Ready");
  if (ready?.status !== "True") {
    return { reason: ready?.message ?? ready?.reason ?? "not Ready yet", failing: false };
  }
  return { failing: false };
}

function isReady(pod: PodObject): boolean {
  return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

/** Whether the Deployment controller is done, working, or has given up (its own conditions). */
function rolloutOf(deployment: DeploymentObject): Pick<StatusReport, "rollout" | "rolloutReason"> {
  const status = deployment.status ?? {};
  const progressing = status.conditions?.find((c) => c.type === "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") {
    return {
      rollout: "stuck",
      rolloutReason: `${progressing.reason}: ${progressing.message ?? ""}`,
    };
  }
  const replicas = deployment.spec.replicas ?? 1;
  const complete =
    (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0) &&
    status.updatedReplicas === replicas &&
    status.availableReplicas === replicas &&
    (status.replicas ?? 0) === replicas;
  return { rollout: complete ? "complete" : "in progress" };
}

/** The report for one app, as of `now`. */
export function statusReport(view: ClusterView, namespace: string, now: Date): StatusReport {
  const { deployment } = view;
  const template = deployment.spec.template.metadata?.annotations ?? {};
  const sources = dataSources(deployment);
  const data: DataVersion[] = sources.map(({ what, object, annotation }) => ({
    what,
    object,
    ...(template[annotation] === undefined ? {} : { version: template[annotation].slice(0, 12) }),
    ...(lastWritten(view.dataObjects[object]) === undefined
      ? {}
      : { changed: lastWritten(view.dataObjects[object]) }),
  }));
  const replicaSetNames = new Set(view.replicaSets.map((rs) => rs.metadata.name));
  const pods = view.pods
    .filter((pod) => pod.metadata.ownerReferences?.some((o) => replicaSetNames.has(o.name)))
    .filter((pod) => pod.metadata.deletionTimestamp === undefined)
    .map((pod): PodReport => {
      const container = pod.status?.containerStatuses?.[0];
      const startedAt = container?.state?.running?.startedAt;
      const annotations = pod.metadata.annotations ?? {};
      const states = sources.map(({ what, object, annotation, mounted }): [string, DataState] => {
        const changed = time(lastWritten(view.dataObjects[object]));
        const started = time(startedAt) ?? time(pod.metadata.creationTimestamp);
        const startedAfterChange =
          changed !== undefined && started !== undefined && started >= changed;
        if (mounted) {
          const settled =
            changed === undefined || now.getTime() - changed >= FILE_REFRESH_SECONDS * 1000;
          return [what, settled || startedAfterChange ? "current" : "refresh pending"];
        }
        if (
          template[annotation] !== undefined &&
          annotations[annotation] === template[annotation]
        ) {
          return [what, "current"];
        }
        if (startedAfterChange) {
          return [what, template[annotation] === undefined ? "current" : "newer than its template"];
        }
        return [what, "old"];
      });
      const problem = podProblem(pod);
      return {
        name: pod.metadata.name,
        replicaSet: pod.metadata.ownerReferences?.find((o) => o.kind === "ReplicaSet")?.name ?? "",
        ready: isReady(pod),
        ...(problem.reason === undefined ? {} : { reason: problem.reason }),
        failing: problem.failing,
        restarts: container?.restartCount ?? 0,
        ...(startedAt === undefined ? {} : { startedAt }),
        data: Object.fromEntries(states),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const rollout = rolloutOf(deployment);
  const notes = [
    ...pods.flatMap((pod) =>
      Object.entries(pod.data)
        .filter(([, state]) => state === "newer than its template")
        .map(
          ([what]) =>
            `${pod.name}: its container restarted (${pod.startedAt}) after the ${what} changed, so it runs the new ${what} data although its template says the old`,
        ),
    ),
    ...data
      .filter(({ what }) => pods.some((pod) => pod.data[what] === "refresh pending"))
      .map(
        ({ what, changed }) =>
          `${what} changed at ${changed}: pods may hold the old files until the kubelet's sync, about ${FILE_REFRESH_SECONDS} s after the change`,
      ),
  ];
  const restart = `kubectl rollout restart deployment/${deployment.metadata.name} -n ${namespace}`;
  return {
    namespace,
    deployment: deployment.metadata.name,
    data,
    pods,
    ...rollout,
    notes,
    ...verdictOf(pods, rollout, restart),
  };
}

/** The one-line verdict and the state it stands for. */
function verdictOf(
  pods: readonly PodReport[],
  { rollout, rolloutReason }: Pick<StatusReport, "rollout" | "rolloutReason">,
  /** The command that makes stale pods current. */
  restart: string,
): { state: StatusState; verdict: string } {
  const count = (n: number) => `${n} of ${pods.length} pod${pods.length === 1 ? "" : "s"}`;
  const failing = pods.filter((pod) => pod.failing);
  const old = (what: string) => pods.filter((pod) => pod.data[what] === "old");
  const whats = [...new Set(pods.flatMap((pod) => Object.keys(pod.data)))];
  const oldParts = whats
    .filter((what) => old(what).length > 0)
    .map(
      (what) =>
        `${count(old(what).length)} run${old(what).length === 1 ? "s" : ""} an old ${what} version`,
    );
  const pending = pods.filter((pod) => Object.values(pod.data).includes("refresh pending"));
  const notReady = pods.filter((pod) => !pod.ready);
  if (failing.length > 0 || rollout === "stuck") {
    const why =
      rollout === "stuck"
        ? `rollout stuck: ${rolloutReason}`
        : `${failing[0].name}: ${failing[0].reason}`;
    return {
      state: "stale or failing",
      verdict: `${[...oldParts, `${count(failing.length)} failing`].join("; ")} (${why})`,
    };
  }
  if (rollout === "in progress" || notReady.length > 0 || pending.length > 0) {
    const parts = [
      ...oldParts,
      ...(notReady.length > 0 ? [`${count(notReady.length)} not Ready`] : []),
      ...(pending.length > 0 ? [`${count(pending.length)} may hold old files`] : []),
    ];
    return {
      state: "in progress",
      verdict: `${parts.join("; ") || "pods are being replaced"} (rollout in progress)`,
    };
  }
  if (oldParts.length > 0) {
    return {
      state: "stale or failing",
      verdict: `${oldParts.join("; ")} (stale: the rollout is complete and nothing will restart them: ${restart})`,
    };
  }
  return {
    state: "current",
    verdict: `all ${pods.length} pod${pods.length === 1 ? "" : "s"} run the current config, secrets and files`,
  };
}

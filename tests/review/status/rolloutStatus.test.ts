// review/status/rolloutStatus.ts over cluster answers shaped as the API server gives them, one per
// state issue 24 names. The e2e (e2e/status.e2e.test.ts) checks the same states on running pods.

import {
  ClusterView,
  DeploymentObject,
  EXIT_CODES,
  PodObject,
  statusReport,
} from "../../../review/status/rolloutStatus";
import { formatStatus } from "../../../review/status/statusText";

const NOW = new Date("2026-12-07T12:00:00Z");
const at = (secondsBefore: number) => new Date(NOW.getTime() - secondsBefore * 1000).toISOString();

const CURRENT = {
  "checksum/config": "c0ffee0000000000aaaa",
  "checksum/secret": "5ec2e70000000000bbbb",
};
const OLD = {
  "checksum/config": "c0ffee0000000000aaaa",
  "checksum/secret": "01d5ec0000000000cccc",
};

function deployment(
  status: DeploymentObject["status"],
  annotations: Record<string, string> = CURRENT,
  volumes: { name: string; secret: { secretName: string } }[] = [],
): DeploymentObject {
  return {
    metadata: { name: "task-api", generation: 4 },
    spec: {
      replicas: 2,
      template: {
        metadata: { annotations },
        spec: {
          containers: [
            {
              name: "task-api",
              envFrom: [
                { configMapRef: { name: "task-api-config" } },
                { secretRef: { name: "task-api-secrets" } },
              ],
            },
          ],
          volumes: [{ name: "tmp" }, ...volumes],
        },
      },
    },
    status,
  };
}

const COMPLETE = {
  observedGeneration: 4,
  replicas: 2,
  updatedReplicas: 2,
  availableReplicas: 2,
  conditions: [{ type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" }],
};
const ROLLING = {
  observedGeneration: 4,
  replicas: 3,
  updatedReplicas: 1,
  availableReplicas: 2,
  conditions: [{ type: "Progressing", status: "True", reason: "ReplicaSetUpdated" }],
};

interface PodShape {
  readonly name: string;
  readonly rs: string;
  readonly annotations?: Record<string, string>;
  readonly ready?: boolean;
  /** Seconds before NOW that the container started. */
  readonly started?: number;
  readonly waiting?: { reason: string; message?: string };
  readonly restarts?: number;
}

function pod(shape: PodShape): PodObject {
  return {
    metadata: {
      name: shape.name,
      annotations: shape.annotations ?? CURRENT,
      creationTimestamp: at(3600),
      ownerReferences: [{ kind: "ReplicaSet", name: shape.rs }],
    },
    status: {
      conditions: [
        { type: "PodScheduled", status: "True" },
        {
          type: "Ready",
          status: shape.ready === false ? "False" : "True",
          ...(shape.ready === false
            ? {
                reason: "ContainersNotReady",
                message: "containers with unready status: [task-api]",
              }
            : {}),
        },
      ],
      containerStatuses: [
        {
          name: "task-api",
          ready: shape.ready !== false,
          restartCount: shape.restarts ?? 0,
          state: shape.waiting
            ? { waiting: shape.waiting }
            : { running: { startedAt: at(shape.started ?? 3000) } },
        },
      ],
    },
  };
}

/** The app with its two data objects last written `configAge` and `secretAge` seconds ago. */
function view(
  d: DeploymentObject,
  pods: PodShape[],
  ages: Record<string, number> = { "task-api-config": 7200, "task-api-secrets": 7200 },
): ClusterView {
  return {
    deployment: d,
    replicaSets: [...new Set(pods.map((p) => p.rs))].map((name) => ({
      metadata: { name, ownerReferences: [{ kind: "Deployment", name: "task-api" }] },
    })),
    pods: pods.map(pod),
    dataObjects: Object.fromEntries(
      Object.entries(ages).map(([name, age]) => [
        name,
        { name, managedFields: [{ time: at(age + 600) }, { time: at(age) }] },
      ]),
    ),
  };
}

const report = (v: ClusterView) => statusReport(v, "task-api-staging", NOW);
/** The secret changed a minute ago; the config long before every container started. */
const SECRET_CHANGED = { "task-api-config": 7200, "task-api-secrets": 60 };

test("current: every pod runs the template's checksums and is Ready; exit 0", () => {
  const r = report(
    view(deployment(COMPLETE), [
      { name: "task-api-new-a", rs: "task-api-new" },
      { name: "task-api-new-b", rs: "task-api-new" },
    ]),
  );
  expect(r.state).toBe("current");
  expect(EXIT_CODES[r.state]).toBe(0);
  expect(r.verdict).toBe("all 2 pods run the current config, secrets and files");
  expect(r.data).toEqual([
    { what: "config", object: "task-api-config", version: "c0ffee000000", changed: at(7200) },
    { what: "secret", object: "task-api-secrets", version: "5ec2e7000000", changed: at(7200) },
  ]);
  expect(r.pods.map((p) => p.data)).toEqual([
    { config: "current", secret: "current" },
    { config: "current", secret: "current" },
  ]);
});

test("in progress: a new pod Ready, an old one on the old secret; exit 3", () => {
  const r = report(
    view(
      deployment(ROLLING),
      [
        { name: "task-api-new-a", rs: "task-api-new", started: 20 },
        { name: "task-api-old-a", rs: "task-api-old", annotations: OLD, started: 3000 },
      ],
      { "task-api-config": 7200, "task-api-secrets": 30 },
    ),
  );
  expect(r.rollout).toBe("in progress");
  expect(r.state).toBe("in progress");
  expect(EXIT_CODES[r.state]).toBe(3);
  expect(r.pods.map((p) => [p.name, p.data.secret])).toEqual([
    ["task-api-new-a", "current"],
    ["task-api-old-a", "old"],
  ]);
  expect(r.verdict).toBe("1 of 2 pods runs an old secret version (rollout in progress)");
});

test("stuck on a pull: the kubelet's ImagePullBackOff with the registry's 401 is named; exit 4", () => {
  const message =
    'Back-off pulling image "ghcr.io/acme/task-api:1.5.1": ErrImagePull: failed to authorize: 401 Unauthorized';
  const r = report(
    view(
      deployment(ROLLING),
      [
        {
          name: "task-api-new-a",
          rs: "task-api-new",
          ready: false,
          waiting: { reason: "ImagePullBackOff", message },
        },
        { name: "task-api-old-a", rs: "task-api-old", annotations: OLD },
        { name: "task-api-old-b", rs: "task-api-old", annotations: OLD },
      ],
      SECRET_CHANGED,
    ),
  );
  expect(r.state).toBe("stale or failing");
  expect(EXIT_CODES[r.state]).toBe(4);
  expect(r.pods[0].reason).toBe(`ImagePullBackOff: ${message}`);
  expect(r.verdict).toMatch(
    /^2 of 3 pods run an old secret version; 1 of 3 pods failing \(task-api-new-a: ImagePullBackOff: .*401 Unauthorized\)$/,
  );
});

test("a crash loop is failing, and a deadline the controller gave up on is stuck", () => {
  const crashing = report(
    view(deployment(ROLLING), [
      {
        name: "task-api-new-a",
        rs: "task-api-new",
        ready: false,
        restarts: 4,
        waiting: {
          reason: "CrashLoopBackOff",
          message: "back-off 40s restarting failed container=task-api",
        },
      },
      { name: "task-api-old-a", rs: "task-api-old", annotations: OLD },
    ]),
  );
  expect(crashing.state).toBe("stale or failing");
  expect(crashing.pods[0]).toMatchObject({ failing: true, restarts: 4 });
  const stuck = report(
    view(
      deployment({
        ...ROLLING,
        conditions: [
          {
            type: "Progressing",
            status: "False",
            reason: "ProgressDeadlineExceeded",
            message: 'ReplicaSet "task-api-new" has timed out progressing.',
          },
        ],
      }),
      [
        { name: "task-api-new-a", rs: "task-api-new", ready: false },
        { name: "task-api-old-a", rs: "task-api-old", annotations: OLD },
      ],
    ),
  );
  expect(stuck.rollout).toBe("stuck");
  expect(stuck.verdict).toMatch(
    /\(rollout stuck: ProgressDeadlineExceeded: ReplicaSet "task-api-new" has timed out progressing\.\)$/,
  );
});

test("the trap: a container restarted inside an old pod after the change runs the new data, and says so", () => {
  const r = report(
    view(
      deployment(ROLLING),
      [
        { name: "task-api-new-a", rs: "task-api-new", started: 25 },
        { name: "task-api-old-a", rs: "task-api-old", annotations: OLD, started: 10, restarts: 1 },
      ],
      { "task-api-config": 7200, "task-api-secrets": 30 },
    ),
  );
  expect(r.pods[1].data.secret).toBe("newer than its template");
  expect(r.notes).toEqual([
    `task-api-old-a: its container restarted (${at(10)}) after the secret changed, so it runs the new secret data although its template says the old`,
  ]);
  // Not old: the rollout is what is in progress.
  expect(r.verdict).toBe("pods are being replaced (rollout in progress)");
});

test("stale: without checksum annotations (restartOnChange false), pods started before the change run the old data after a complete rollout", () => {
  const r = report(
    view(
      deployment(COMPLETE, {}),
      [
        { name: "task-api-a", rs: "task-api-1", annotations: {}, started: 3000 },
        { name: "task-api-b", rs: "task-api-1", annotations: {}, started: 3000 },
      ],
      { "task-api-config": 60, "task-api-secrets": 7200 },
    ),
  );
  expect(r.state).toBe("stale or failing");
  expect(r.pods.map((p) => p.data)).toEqual([
    { config: "old", secret: "current" },
    { config: "old", secret: "current" },
  ]);
  expect(r.verdict).toBe(
    "2 of 2 pods run an old config version (stale: the rollout is complete and nothing will restart them: kubectl rollout restart deployment/task-api -n task-api-staging)",
  );
});

test("file refresh pending: within the kubelet's sync period after a change, then current", () => {
  const withFiles = (age: number) =>
    report(
      view(
        deployment(COMPLETE, CURRENT, [
          { name: "tls", secret: { secretName: "task-api-files-tls" } },
        ]),
        [{ name: "task-api-a", rs: "task-api-1" }],
        { "task-api-config": 7200, "task-api-secrets": 7200, "task-api-files-tls": age },
      ),
    );
  const pending = withFiles(30);
  expect(pending.pods[0].data["files tls"]).toBe("refresh pending");
  expect(pending.state).toBe("in progress");
  expect(pending.notes[0]).toBe(
    `files tls changed at ${at(30)}: pods may hold the old files until the kubelet's sync, about 90 s after the change`,
  );
  expect(withFiles(91).state).toBe("current");
});

test("the text shows each pod's state and reason, and the verdict last", () => {
  const now = NOW;
  const text = formatStatus(
    report(
      view(
        deployment(ROLLING),
        [
          {
            name: "task-api-new-a",
            rs: "task-api-new",
            ready: false,
            waiting: { reason: "ErrImagePull", message: "401 Unauthorized" },
          },
          { name: "task-api-old-a", rs: "task-api-old", annotations: OLD },
        ],
        SECRET_CHANGED,
      ),
    ),
    "staging",
    now,
  );
  expect(text.split("\n")).toEqual([
    "task-api of stack staging, namespace task-api-staging: rollout in progress",
    "",
    "DATA    OBJECT            VERSION       CHANGED",
    `config  task-api-config   c0ffee000000  ${at(7200)} (2 h ago)`,
    `secret  task-api-secrets  5ec2e7000000  ${at(60)} (60 s ago)`,
    "",
    "POD             REPLICASET    READY  RESTARTS  CONFIG   SECRET",
    "task-api-new-a  task-api-new  no     0         current  current",
    "task-api-old-a  task-api-old  yes    0         current  old",
    "  task-api-new-a: ErrImagePull: 401 Unauthorized",
    "",
    "stale or failing: 1 of 2 pods runs an old secret version; 1 of 2 pods failing (task-api-new-a: ErrImagePull: 401 Unauthorized)",
    "",
  ]);
});

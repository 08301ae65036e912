// Issue 21 on running pods: what the program promises about the app's processes, read from inside
// them. The environment each container really has (`kubectl exec POD -- env`) against what
// `npm run env` predicts; the pull of the app's image with the program's pull secret, as the
// registry logs it; a secret change reaching every process with no downtime, polled from this
// machine over the node's bridge; a generated secret's rotation; and a Secret edited by hand, named
// by the drift check and put back by docs/recovering.md's commands. This file starts its own
// cluster (e2e/harness/ownTestbed.ts; its pods run on this machine) and namespace.

import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { AppCluster, PodObject, decode, isReady } from "./harness/cluster";
import { scanForLeaks } from "./harness/stateLeakScan";
import { OwnTestbed, startOwnTestbed } from "./harness/ownTestbed";
import { E2E_STACK } from "./harness/project";
import { PulumiCli, e2eEnvironment } from "./harness/pulumiCli";
import { ImageRegistry } from "./harness/registry";

const e2e = e2eEnvironment();
const NAMESPACE = "task-api-running";
const dir = join(e2e.workDir, "running-app");
const stackArgs = ["--stack", E2E_STACK, "--non-interactive"];
const IMAGE_REPO = "ghcr.io/acme/task-api";
/** The values this run set, by name (a secret's current value: tests change them). */
const secrets: Record<string, string> = {
  DATABASE_PASSWORD: `e2e-db-${randomBytes(8).toString("hex")}`,
  OPENAI_API_KEY: `sk-e2e-${randomBytes(8).toString("hex")}`,
};
const registryLogin = {
  server: "ghcr.io",
  username: "e2e-running",
  token: `ghp_${randomBytes(12).toString("hex")}`,
};
const registryAccount = { username: registryLogin.username, password: registryLogin.token };
/** Every secret value this file set or saw: the leak scan's needles. */
const everySecret: string[] = [...Object.values(secrets), registryLogin.token];
/**
 * What the container runtime and the kubelet add to every container, beside what the program sets:
 * the image's PATH, the hostname, HOME, and the `kubernetes` Service's variables.
 */
const RUNTIME_NAMES = new Set([
  "PATH",
  "HOSTNAME",
  "HOME",
  "KUBERNETES_SERVICE_HOST",
  "KUBERNETES_SERVICE_PORT",
  "KUBERNETES_SERVICE_PORT_HTTPS",
  "KUBERNETES_PORT",
  "KUBERNETES_PORT_443_TCP",
  "KUBERNETES_PORT_443_TCP_PROTO",
  "KUBERNETES_PORT_443_TCP_PORT",
  "KUBERNETES_PORT_443_TCP_ADDR",
]);
let testbed: OwnTestbed | undefined;
let cli: PulumiCli;
let cluster: AppCluster;
let registry: ImageRegistry;
/** One line per observation, printed at the end for the record (docs/e2e.md). */
const summary: string[] = [];

const up = () => cli.ok(["up", "--yes", ...stackArgs]);
const sha = (value: string | undefined) =>
  value === undefined ? "absent" : createHash("sha256").update(value, "utf8").digest("hex");
const short = (id: string | undefined) =>
  (id ?? "none").replace(/^containerd:\/\//, "").slice(0, 12);
/** The e2e stack's rollout timeout while a pull fails: `up` must fail within it and the margin. */
const ROLLOUT_TIMEOUT = 60;
/** Beside the rollout's wait, `up` runs the program, a preview, and the update's other steps. */
const UP_MARGIN = 45;
const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

async function setSecret(name: string, value: string): Promise<void> {
  everySecret.push(value);
  secrets[name] = value;
  await cli.ok(["config", "set", "--secret", "--path", `secrets.${name}`, value, ...stackArgs], {
    revealsSecrets: true,
  });
}

const kubectl = (args: readonly string[], env: NodeJS.ProcessEnv = {}) =>
  (testbed as OwnTestbed).kubectl(args, env);

const execEnv = (pod: string) => (testbed as OwnTestbed).envOf(pod);

/** GET http://POD_IP:8080/PATH from this machine (the node's bridge), with a 1 s limit. */
async function getPod(ip: string, path: string): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(`http://${ip}:8080${path}`, {
      signal: AbortSignal.timeout(1000),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: String(error) };
  }
}

/** The app's environment as its HTTP /env reports it. */
async function httpEnv(pod: PodObject): Promise<Record<string, string>> {
  const answer = await getPod(pod.status?.podIP ?? "", "/env");
  if (answer.status !== 200) {
    throw new Error(`GET /env of ${pod.metadata.name}: ${answer.status}`);
  }
  return JSON.parse(answer.body) as Record<string, string>;
}

interface PredictedRow {
  readonly name: string;
  readonly value: string;
  readonly layer: string;
  readonly shadows: string;
}

/** `npm run env -- e2e` in the project copy (offline): its table, column by column. */
function predictedEnvironment(): PredictedRow[] {
  const output = execFileSync("npm", ["run", "--silent", "env", "--", E2E_STACK], {
    cwd: cli.projectDir,
    env: cli.env,
    encoding: "utf8",
  });
  cli.transcript.push(output);
  const lines = output.split("\n");
  const header = lines.findIndex((line) => /^NAME\s+VALUE\s+LAYER\s+SHADOWS$/.test(line));
  if (header < 0) {
    throw new Error(`npm run env printed no table:\n${output}`);
  }
  const at = (column: string) => lines[header].indexOf(column);
  const [value, layer, shadows] = [at("VALUE"), at("LAYER"), at("SHADOWS")];
  const rows: PredictedRow[] = [];
  for (const line of lines.slice(header + 1)) {
    if (line.trim() === "") {
      break;
    }
    rows.push({
      name: line.slice(0, value).trim(),
      value: line.slice(value, layer).trim(),
      layer: line.slice(layer, shadows).trim(),
      shadows: line.slice(shadows).trim(),
    });
  }
  return rows;
}

const containerId = (pod: PodObject) =>
  (pod.status?.containerStatuses?.[0] as { containerID?: string } | undefined)?.containerID;
const describePods = (pods: readonly PodObject[]) =>
  pods.map((pod) => `${pod.metadata.name} (${short(containerId(pod))})`).join(", ");

/** Every pod of the app, Ready or not, terminating or not. */
const appPods = async () => (await cluster.pods()) as PodObject[];

/** `pulumi up` as a child process that runs while the test looks at the pods. */
const startUp = () => cli.start(["up", "--yes", ...stackArgs]);

/** Number of ReplicaSets of the Deployment. */
const replicaSetCount = async () => (await cluster.replicaSets()).length;

beforeAll(async () => {
  testbed = await startOwnTestbed(e2e, dir, NAMESPACE, {
    secrets,
    registryUser: registryLogin.username,
    registryToken: registryLogin.token,
  });
  ({ cli, cluster, registry } = testbed);
});

afterAll(async () => {
  process.stdout.write(
    `e2e running app: what was observed:\n${summary.map((l) => `  ${l}`).join("\n")}\n`,
  );
  await testbed?.stop();
});

test("the environment inside each pod is the one npm run env predicted", async () => {
  const updated = await up();
  const pods = await cluster.settledPods();
  expect(pods).toHaveLength(2);
  const rows = predictedEnvironment();
  // A name set in two layers: LOG_LEVEL is a program default (info) and the stack's config (debug).
  const logLevel = rows.find((row) => row.name === "LOG_LEVEL");
  expect(logLevel).toEqual({
    name: "LOG_LEVEL",
    value: "debug",
    layer: "ConfigMap",
    shadows: "program default (info)",
  });
  const mismatches: string[] = [];
  const extras = new Set<string>();
  for (const pod of pods) {
    const name = pod.metadata.name;
    const env = await execEnv(name);
    if (env.get("HOSTNAME") !== name) {
      mismatches.push(`${name}: HOSTNAME=${env.get("HOSTNAME")} is not the pod's name`);
    }
    for (const row of rows) {
      const running = env.get(row.name);
      if (row.layer.startsWith("Secret")) {
        // Compared by digest: no secret value in an assertion message.
        if (row.value !== "[secret]" || sha(running) !== sha(secrets[row.name])) {
          mismatches.push(`${name}: ${row.name} (secret) differs from the value set`);
        }
      } else if (row.value === "(fieldRef metadata.name)") {
        if (running !== name) {
          mismatches.push(`${name}: ${row.name}=${running} is not the pod's name`);
        }
      } else if (running !== row.value) {
        mismatches.push(`${name}: ${row.name}=${running}, predicted ${row.value}`);
      }
    }
    const predictedNames = new Set(rows.map((row) => row.name));
    for (const variable of env.keys()) {
      if (!predictedNames.has(variable)) {
        extras.add(variable);
      }
    }
    // The app's own view (its /env over the bridge) is the exec'd one.
    const fromHttp = await httpEnv(pod);
    for (const row of rows) {
      if (sha(fromHttp[row.name]) !== sha(env.get(row.name))) {
        mismatches.push(`${name}: ${row.name} differs between /env and kubectl exec env`);
      }
    }
  }
  expect(mismatches).toEqual([]);
  expect([...extras].filter((variable) => !RUNTIME_NAMES.has(variable)).sort()).toEqual([]);
  expect(rows.filter((row) => row.layer.startsWith("Secret")).map((row) => row.name)).toEqual([
    "DATABASE_PASSWORD",
    "OPENAI_API_KEY",
  ]);
  summary.push(
    `env: up ${updated.seconds.toFixed(1)} s; pods ${describePods(pods)}; npm run env predicted ${rows.length} names (${rows.map((r) => `${r.name} from ${r.layer}`).join(", ")}); each pod's exec env and /env matched name by name (secrets by SHA-256); LOG_LEVEL=debug from ConfigMap shadowing program default (info), running value debug; runtime names seen: ${[...extras].sort().join(", ")}`,
  );
});

test("the pull authenticates with the program's pull secret", async () => {
  const app = registry
    .pulls()
    .filter(
      (pull) => pull.ref.startsWith(`${IMAGE_REPO}:`) || pull.ref.startsWith(`${IMAGE_REPO}@`),
    );
  /** The log's manifest requests, one line per ref, username and status, with their count. */
  const lines = (pulls: readonly { ref: string; username: string; status: number }[]) => {
    const counts = new Map<string, number>();
    for (const pull of pulls) {
      const key = `${pull.ref.replace(/@sha256:(.{12}).*/, "@$1")} ${pull.username || "(no credentials)"} ${pull.status}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts].map(([key, count]) => `${key} x${count}`).join("; ");
  };
  expect(
    app.some(
      (pull) =>
        pull.ref === `${IMAGE_REPO}:1.5.0` &&
        pull.username === registryLogin.username &&
        pull.status === 200,
    ),
  ).toBe(true);
  // Every authenticated pull of the app was the stack's username: no other credential reached it.
  expect([...new Set(app.filter((p) => p.username !== "").map((p) => p.username))]).toEqual([
    registryLogin.username,
  ]);
  summary.push(`pull: registry log of the first up: ${lines(app)}`);

  // The account revoked, then a tag the node has not pulled: the new pods must pull, and cannot.
  // A short rollout timeout, so that `up` fails in about a minute rather than the default 300 s.
  const before = await cluster.settledPods();
  const logFrom = registry.pulls().length;
  registry.accounts.revoke(registryAccount);
  await cli.ok(["config", "set", "task-api:image", `${IMAGE_REPO}:1.5.1`, ...stackArgs]);
  await cli.setInt("task-api:rolloutTimeoutSeconds", ROLLOUT_TIMEOUT, stackArgs);
  const started = Date.now();
  const run = startUp();
  let exitedAt = 0;
  void run.exited.then(() => (exitedAt = Date.now()));
  let waiting: { reason?: string; message?: string } | undefined;
  let failedPod = "";
  let polls = 0;
  let served = 0;
  let minReadyOld = Number.MAX_SAFE_INTEGER;
  const oldNames = new Set(before.map((pod) => pod.metadata.name));
  // Past the timeout and its margin, to see by how much an `up` that overran it did.
  const deadline = Date.now() + (ROLLOUT_TIMEOUT + UP_MARGIN + 30) * 1000;
  while (Date.now() < deadline && run.running()) {
    polls++;
    const pods = await appPods();
    const old = pods.filter(
      (pod) => oldNames.has(pod.metadata.name) && isReady(pod) && !pod.metadata.deletionTimestamp,
    );
    minReadyOld = Math.min(minReadyOld, old.length);
    for (const pod of old) {
      if ((await getPod(pod.status?.podIP ?? "", "/healthz")).status === 200) {
        served++;
      }
    }
    for (const pod of pods.filter((p) => !oldNames.has(p.metadata.name))) {
      const statuses = (pod.status?.containerStatuses ?? []) as unknown as {
        state?: { waiting?: { reason?: string; message?: string } };
      }[];
      const state = statuses.find((s) =>
        ["ErrImagePull", "ImagePullBackOff"].includes(s.state?.waiting?.reason ?? ""),
      )?.state?.waiting;
      if (state && /401|unauthorized/i.test(state.message ?? "")) {
        waiting = state;
        failedPod = pod.metadata.name;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const failedAfter = ((exitedAt || Date.now()) - started) / 1000;
  expect(waiting).toBeDefined();
  expect(waiting?.message).toMatch(/401|unauthorized/i);
  expect(minReadyOld).toBe(2);
  expect(served).toBe(polls * 2);
  const refused = registry
    .pulls()
    .slice(logFrom)
    .filter((pull) => pull.ref === `${IMAGE_REPO}:1.5.1`);
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.every((pull) => pull.status === 401)).toBe(true);
  expect(refused.some((pull) => pull.username === registryLogin.username)).toBe(true);
  // `up` failed on its own, within the timeout and a margin for the preview and the program.
  expect(run.running()).toBe(false);
  const failedCode = await run.exited;
  expect(failedCode).not.toBe(0);
  expect(failedAfter).toBeGreaterThanOrEqual(ROLLOUT_TIMEOUT);
  expect(failedAfter).toBeLessThanOrEqual(ROLLOUT_TIMEOUT + UP_MARGIN);
  // The provider's message names the Deployment, the rollout it waited for and the pods' reason.
  const output = run.output();
  expect(output).toMatch(/kubernetes:apps\/v1:Deployment/);
  expect(output).toMatch(/'task-api' timed out waiting to be Ready/);
  // The error's own lines (`* ...`), not only the warnings logged while it waited.
  const errorLines = output
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("* "));
  expect(errorLines.join("\n")).toMatch(/(ImagePullBackOff|ErrImagePull)\].*401 Unauthorized/);
  // Not rolled back, and the old pods still serve after the failure, as during it.
  const afterFailure = (await appPods()).filter(
    (pod) => oldNames.has(pod.metadata.name) && isReady(pod) && !pod.metadata.deletionTimestamp,
  );
  expect(afterFailure).toHaveLength(2);
  for (const pod of afterFailure) {
    expect((await getPod(pod.status?.podIP ?? "", "/healthz")).status).toBe(200);
  }
  const reported = errorLines.join(" | ");
  summary.push(
    `pull refused: account revoked, image 1.5.1, rolloutTimeoutSeconds ${ROLLOUT_TIMEOUT}; ${failedPod} ${waiting?.reason}: "...${/.{0,80}(401|unauthorized).{0,40}/i.exec(waiting?.message ?? "")?.[0] ?? ""}..."; ` +
      `up failed (exit ${failedCode}) after ${failedAfter.toFixed(1)} s, saying: ${reported}` +
      `; old pods ${describePods(before)} Ready throughout (min ${minReadyOld}) and after, /healthz 200 ${served} of ${polls * 2} over ${polls} polls; registry: ${lines(refused)}`,
  );

  // The right token back: the stack's token (set again, as the operator does) and the registry
  // account. The kubelet's next pull succeeds: a running up converges, a failed one is run again.
  await cli.ok(
    ["config", "set", "--secret", "task-api:registryToken", registryLogin.token, ...stackArgs],
    { revealsSecrets: true },
  );
  await cli.ok(["config", "rm", "task-api:rolloutTimeoutSeconds", ...stackArgs]);
  const restored = Date.now();
  registry.accounts.add(registryAccount);
  const code = (await cli.run(["up", "--yes", ...stackArgs])).status;
  expect(code).toBe(0);
  const convergedAfter = seconds(restored);
  const second = await up();
  const after = await cluster.settledPods();
  expect(after.every((pod) => pod.spec.containers[0].image === `${IMAGE_REPO}:1.5.1`)).toBe(true);
  expect(after.some((pod) => oldNames.has(pod.metadata.name))).toBe(false);
  const accepted = registry
    .pulls()
    .slice(logFrom)
    .filter((pull) => pull.ref === `${IMAGE_REPO}:1.5.1` && pull.status === 200);
  expect(accepted.map((pull) => pull.username)).toContain(registryLogin.username);
  summary.push(
    `pull restored: token set again, timeout back to its default and account added back, the next up exited ${code} ${convergedAfter} s later (${seconds(started)} s in all); next up ${second.seconds.toFixed(1)} s; pods ${describePods(after)}; registry: ${lines(accepted)}`,
  );
});

test("a secret change reaches every process with no downtime", async () => {
  const before = await cluster.settledPods();
  const beforeIds = new Set(before.map(containerId));
  const value = `e2e-db-changed-${randomBytes(8).toString("hex")}`;
  await setSecret("DATABASE_PASSWORD", value);
  const started = Date.now();
  const updating = cli.run(["up", "--yes", ...stackArgs]);
  let done = false;
  void updating.then(() => (done = true));
  let polls = 0;
  let requests = 0;
  let answered = 0;
  let leftRotation = 0;
  let minReady = Number.MAX_SAFE_INTEGER;
  const failures: string[] = [];
  while (!done) {
    polls++;
    const ready = (await appPods()).filter(
      (pod) => isReady(pod) && !pod.metadata.deletionTimestamp,
    );
    minReady = Math.min(minReady, ready.length);
    await Promise.all(
      ready.map(async (pod) => {
        requests++;
        const answer = await getPod(pod.status?.podIP ?? "", "/healthz");
        if (answer.status === 200) {
          answered++;
          return;
        }
        // A pod the controller deleted between the list and the GET has left the rotation (a
        // Service would have dropped it): not downtime. Anything else is.
        const now = await cluster.client.get<PodObject>(
          `/api/v1/namespaces/${NAMESPACE}/pods/${pod.metadata.name}`,
        );
        if (now === undefined || now.metadata.deletionTimestamp) {
          leftRotation++;
        } else {
          failures.push(`${pod.metadata.name}: ${answer.status} ${answer.body.slice(0, 80)}`);
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const result = await updating;
  expect(result.status).toBe(0);
  const rolloutSeconds = seconds(started);
  const after = await cluster.settledPods();
  const remaining = (await appPods()).map((pod) => pod.metadata.name);
  const oldNames = before.map((pod) => pod.metadata.name);
  expect(failures).toEqual([]);
  expect(minReady).toBeGreaterThanOrEqual(2);
  expect(answered + leftRotation).toBe(requests);
  expect(after.some((pod) => oldNames.includes(pod.metadata.name))).toBe(false);
  expect(after.some((pod) => beforeIds.has(containerId(pod)))).toBe(false);
  expect(remaining.filter((name) => oldNames.includes(name))).toEqual([]);
  const stale: string[] = [];
  for (const pod of after) {
    if (sha((await httpEnv(pod)).DATABASE_PASSWORD) !== sha(value)) {
      stale.push(`${pod.metadata.name} /env`);
    }
    if (sha((await execEnv(pod.metadata.name)).get("DATABASE_PASSWORD")) !== sha(value)) {
      stale.push(`${pod.metadata.name} exec env`);
    }
  }
  expect(stale).toEqual([]);
  summary.push(
    `secret change: up ${rolloutSeconds} s; ${polls} polls, min Ready ${minReady}; ${requests} GET /healthz: ${answered} answered 200, ${leftRotation} to pods already terminating, ${failures.length} failed; pods before ${describePods(before)}, after ${describePods(after)}; new DATABASE_PASSWORD in /env and exec env of each`,
  );
});

test("rotating a generated secret reaches the app, one rollout", async () => {
  const setGenerated = (path: string, value: string) =>
    cli.setPlain(`generatedSecrets.${path}`, value, stackArgs);
  await setGenerated("SESSION_KEY.length", "64");
  await setGenerated("SESSION_KEY.rotation", "2027-01");
  await up();
  const sessionKey = async () => {
    const value = decode((await cluster.objects()).secret?.data?.SESSION_KEY);
    everySecret.push(value);
    return value;
  };
  const seenBy = async (pods: readonly PodObject[], value: string) => {
    const wrong: string[] = [];
    for (const pod of pods) {
      if (sha((await httpEnv(pod)).SESSION_KEY) !== sha(value)) {
        wrong.push(pod.metadata.name);
      }
    }
    return wrong;
  };
  const first = await sessionKey();
  expect(first).toMatch(/^[A-Za-z0-9]{64}$/);
  const before = await cluster.settledPods();
  expect(await seenBy(before, first)).toEqual([]);
  const replicaSets = await replicaSetCount();

  await setGenerated("SESSION_KEY.rotation", "2027-07");
  const rotation = await up();
  const rotated = await sessionKey();
  const after = await cluster.settledPods();
  const made = (await replicaSetCount()) - replicaSets;
  expect(rotated).not.toBe(first);
  expect(made).toBe(1);
  expect(after.some((pod) => before.some((b) => b.metadata.uid === pod.metadata.uid))).toBe(false);
  expect(await seenBy(after, rotated)).toEqual([]);

  const again = await up();
  const still = await cluster.settledPods();
  const madeAgain = (await replicaSetCount()) - replicaSets - made;
  expect(madeAgain).toBe(0);
  expect(still.map((pod) => pod.metadata.uid).sort()).toEqual(
    after.map((pod) => pod.metadata.uid).sort(),
  );
  expect(await sessionKey()).toBe(rotated);
  summary.push(
    `generated secret: SESSION_KEY (64) seen by ${describePods(before)}; rotation 2027-01 -> 2027-07: up ${rotation.seconds.toFixed(1)} s, new ReplicaSets ${made}, pods ${describePods(after)} see the new value (SHA-256); an up with no change (${again.seconds.toFixed(1)} s): new ReplicaSets ${madeAgain}, pods kept`,
  );
});

test("a Secret edited with kubectl while pods run is named by the drift check, and the documented recovery puts the stack's values back in the running pods", async () => {
  const stackValue = secrets.OPENAI_API_KEY;
  const edited = `sk-edited-${randomBytes(8).toString("hex")}`;
  everySecret.push(edited);
  const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
  // kubectl edit, its editor a sed that swaps the value's base64 in the file it opens.
  const edit = await kubectl(["edit", "secret/task-api-secrets"], {
    KUBE_EDITOR: `sed -i s#${b64(stackValue)}#${b64(edited)}#`,
  });
  expect(edit).toMatchObject({ ok: true });
  expect(decode((await cluster.objects()).secret?.data?.OPENAI_API_KEY)).toBe(edited);
  // A pod restarting while the edit is live reads the edited value.
  const before = await cluster.settledPods();
  const restarted = before[0].metadata.name;
  expect((await kubectl(["delete", "pod", restarted, "--wait=false"])).ok).toBe(true);
  let replacement: PodObject | undefined;
  const deadline = Date.now() + 120_000;
  while (replacement === undefined && Date.now() < deadline) {
    const pods = await cluster.settledPods();
    replacement = pods.find((pod) => !before.some((b) => b.metadata.uid === pod.metadata.uid));
    if (!replacement) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  expect(replacement).toBeDefined();
  const duringEdit = sha((await httpEnv(replacement as PodObject)).OPENAI_API_KEY) === sha(edited);
  expect(duringEdit).toBe(true);

  const drift = await cli.run(["preview", "--refresh", "--expect-no-changes", ...stackArgs]);
  expect(drift.status).not.toBe(0);
  expect(`${drift.stdout}${drift.stderr}`).toContain("task-api-secrets");

  // docs/recovering.md: up --refresh, then one rollout restart.
  const recovered = await cli.ok(["up", "--yes", "--refresh", ...stackArgs]);
  expect(decode((await cluster.objects()).secret?.data?.OPENAI_API_KEY)).toBe(stackValue);
  const mid = await cluster.settledPods();
  const restartStarted = Date.now();
  expect((await kubectl(["rollout", "restart", "deployment/task-api"])).ok).toBe(true);
  const status = await kubectl(["rollout", "status", "deployment/task-api", "--timeout=180s"]);
  expect(status.ok).toBe(true);
  const after = await cluster.settledPods();
  const restartSeconds = seconds(restartStarted);
  expect(after.some((pod) => mid.some((m) => m.metadata.uid === pod.metadata.uid))).toBe(false);
  const wrong: string[] = [];
  for (const pod of after) {
    if (sha((await execEnv(pod.metadata.name)).get("OPENAI_API_KEY")) !== sha(stackValue)) {
      wrong.push(pod.metadata.name);
    }
  }
  expect(wrong).toEqual([]);
  const check = await cli.run(["preview", "--refresh", "--expect-no-changes", ...stackArgs]);
  expect(check.status).toBe(0);
  summary.push(
    `kubectl edit: OPENAI_API_KEY edited in task-api-secrets; ${restarted} deleted, its replacement ${replacement?.metadata.name} ran the edited value; drift check exit ${drift.status}, naming task-api-secrets; up --refresh ${recovered.seconds.toFixed(1)} s put the stack's value in the Secret; pods then ${describePods(mid)}; rollout restart ${restartSeconds} s -> ${describePods(after)}, each with the stack's value (exec env); drift check afterwards exit ${check.status}`,
  );
});

test("no secret value set, generated or edited appears in state, history, stack file or CLI output", async () => {
  const { searched, found } = await scanForLeaks(cli, everySecret, [registryLogin]);
  expect(searched).toBeGreaterThan(5);
  expect(found).toEqual([]);
  summary.push(
    `leak scan: ${new Set(everySecret).size} values (each also as base64), ${searched} files and outputs, ${found.length} found`,
  );
});

// Issue 21, scenario 5, "A bad release fails safely": a release whose pods never become Ready (its
// health paths answer 503) and one that exits at start. `pulumi up` fails within the stack's
// rollout timeout with the provider's reason, the old pods serve throughout and after it, and
// docs/recovering.md's steps for the case, run as written, bring back the last good release. This
// file starts its own cluster (e2e/harness/ownTestbed.ts; its pods run on this machine) and namespace.

import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AppCluster, PodObject, isReady } from "./harness/cluster";
import { OwnTestbed, startOwnTestbed } from "./harness/ownTestbed";
import { E2E_STACK } from "./harness/project";
import { PulumiCli, e2eEnvironment } from "./harness/pulumiCli";

const e2e = e2eEnvironment();
const NAMESPACE = "task-api-bad-release";
const dir = join(e2e.workDir, "bad-release");
const stackArgs = ["--stack", E2E_STACK, "--non-interactive"];
const IMAGE_REPO = "ghcr.io/acme/task-api";
const GOOD = `${IMAGE_REPO}:1.5.0`;
/** `up` must fail within this rollout timeout and the margin. */
const ROLLOUT_TIMEOUT = 60;
/** Beside the rollout's wait, `up` runs the program, a preview, and the update's other steps. */
const UP_MARGIN = 45;
let testbed: OwnTestbed | undefined;
let cli: PulumiCli;
let cluster: AppCluster;
/** One line per observation, printed at the end for the record (docs/e2e.md). */
const summary: string[] = [];

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
const short = (id: string | undefined) =>
  (id ?? "none").replace(/^containerd:\/\//, "").slice(0, 12);
const containerId = (pod: PodObject) =>
  (pod.status?.containerStatuses?.[0] as { containerID?: string } | undefined)?.containerID;
const describePods = (pods: readonly PodObject[]) =>
  pods.map((pod) => `${pod.metadata.name} (${short(containerId(pod))})`).join(", ");
const identity = (pods: readonly PodObject[]) =>
  pods.map((pod) => `${pod.metadata.name} ${containerId(pod) ?? "none"}`).sort();
const appPods = async () => (await cluster.pods()) as PodObject[];
const live = (pod: PodObject) => isReady(pod) && !pod.metadata.deletionTimestamp;

/** GET http://POD_IP:8080/PATH from this machine (the node's bridge), with a 1 s limit. */
async function getPod(ip: string, path: string): Promise<number> {
  try {
    const response = await fetch(`http://${ip}:8080${path}`, {
      signal: AbortSignal.timeout(1000),
    });
    await response.text();
    return response.status;
  } catch {
    return 0;
  }
}

/** `pulumi up` as a child process that runs while the test looks at the pods. */
const startUp = () => cli.start(["up", "--yes", ...stackArgs]);

/**
 * Sets the image to `image`, runs `up` while polling every pod and the old pods' /healthz, and
 * checks that `up` failed on its own within the timeout, with the Deployment and `reason` in the
 * provider's error lines, the old pods the same and still serving. Puts what it saw in the record.
 *
 * Once, `up` may instead exit 0 within seconds: the provider's race (docs/e2e.md, "The provider's
 * Deployment race"), in which its wait for the rollout takes the Deployment from before the update
 * as the controller's answer. That is checked to be the race (the new ReplicaSet has no Ready pod,
 * the old pods served at every poll), recorded with up's output, undone with docs/recovering.md's
 * steps, and the release tried again, which must then fail as above.
 */
async function failedRelease(image: string, reason: RegExp, raced = false): Promise<void> {
  const before = await cluster.settledPods();
  expect(before).toHaveLength(2);
  const oldNames = new Set(before.map((pod) => pod.metadata.name));
  await cli.ok(["config", "set", "task-api:image", image, ...stackArgs]);
  const started = Date.now();
  const run = startUp();
  let exitedAt = 0;
  void run.exited.then(() => (exitedAt = Date.now()));
  let polls = 0;
  let requests = 0;
  let served = 0;
  let minReady = Number.MAX_SAFE_INTEGER;
  const newPods = new Map<string, string>();
  const deadline = Date.now() + (ROLLOUT_TIMEOUT + UP_MARGIN + 30) * 1000;
  while (Date.now() < deadline && run.running()) {
    polls++;
    const pods = await appPods();
    minReady = Math.min(minReady, pods.filter(live).length);
    for (const pod of pods.filter((p) => oldNames.has(p.metadata.name))) {
      requests++;
      if ((await getPod(pod.status?.podIP ?? "", "/healthz")) === 200) {
        served++;
      }
    }
    for (const pod of pods.filter((p) => !oldNames.has(p.metadata.name))) {
      const state = (
        pod.status?.containerStatuses?.[0] as
          { state?: Record<string, { reason?: string }>; restartCount?: number } | undefined
      )?.state;
      const [phase, detail] = Object.entries(state ?? {})[0] ?? ["none", {}];
      newPods.set(
        pod.metadata.name,
        `${phase}${detail.reason ? ` ${detail.reason}` : ""}${isReady(pod) ? ", Ready" : ", not Ready"}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  expect(run.running()).toBe(false);
  const code = await run.exited;
  const failedAfter = ((exitedAt || Date.now()) - started) / 1000;
  const output = run.output();
  const errorLines = output
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("* ") || /^error:/.test(line));
  const after = (await appPods()).filter((pod) => oldNames.has(pod.metadata.name) && live(pod));
  const record =
    `${image}: up exited ${code} after ${failedAfter.toFixed(1)} s (timeout ${ROLLOUT_TIMEOUT} s); ` +
    `the provider said: ${errorLines.join(" | ")}; new pods seen: ${[...newPods].map(([n, s]) => `${n} (${s})`).join(", ")}; ` +
    `old pods before ${describePods(before)}, after ${describePods(after)}; ${polls} polls, min Ready ${minReady}, /healthz 200 ${served} of ${requests}`;
  if (code === 0 && !raced) {
    // The race: up reported success for a release none of whose pods can ever be Ready.
    const newSet = (await cluster.replicaSets()).filter(
      (rs) => rs.spec.template.spec.containers[0].image === image,
    );
    expect(
      newSet.map((rs) => (rs.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0),
    ).toEqual([0]);
    expect(failedAfter).toBeLessThan(ROLLOUT_TIMEOUT);
    expect(minReady).toBeGreaterThanOrEqual(2);
    expect(served).toBe(requests);
    summary.push(
      `${record}\n  the provider's race: up exited 0 without waiting (${newSet[0]?.metadata.name} has 0 Ready pods); its output:\n${output}`,
    );
    summary.push(await recover(image));
    return failedRelease(image, reason, true);
  }
  summary.push(record);
  expect(code).not.toBe(0);
  expect(failedAfter).toBeGreaterThanOrEqual(ROLLOUT_TIMEOUT);
  expect(failedAfter).toBeLessThanOrEqual(ROLLOUT_TIMEOUT + UP_MARGIN);
  expect(output).toMatch(/kubernetes:apps\/v1:Deployment/);
  expect(output).toMatch(/'task-api' timed out waiting to be Ready/);
  expect(errorLines.join("\n")).toMatch(reason);
  // The old pods served throughout: never fewer than 2 Ready, every GET /healthz answered 200.
  expect(minReady).toBeGreaterThanOrEqual(2);
  expect(served).toBe(requests);
  expect(requests).toBe(polls * 2);
  // And after: the same pods, the same containers, still Ready and serving.
  expect(identity(after)).toEqual(identity(before));
  for (const pod of after) {
    expect(await getPod(pod.status?.podIP ?? "", "/healthz")).toBe(200);
  }
}

/**
 * docs/recovering.md's commands for a release that never becomes ready, as the document prints
 * them (read from it, so that the test follows the text), with the stack's values filled in.
 */
function documentedSteps(): string[][] {
  const doc = readFileSync(join(__dirname, "..", "docs", "recovering.md"), "utf8");
  const at = doc.indexOf("**A release that never becomes ready**");
  expect(at).toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(doc.slice(at));
  expect(block).not.toBeNull();
  const lines = (block?.[1] ?? "").split("\n").map((line) => line.replace(/#.*/, "").trim());
  const steps = lines
    .filter((line) => line !== "")
    .map((line) => line.replace("LAST_GOOD", "1.5.0").split(/\s+/));
  expect(steps.map((step) => step.slice(0, 3).join(" "))).toEqual([
    "npx pulumi config",
    "npx pulumi up",
  ]);
  return steps;
}

/** Runs docs/recovering.md's steps, then checks the stack is back at 1.5.0 with nothing left. */
async function recover(badImage: string): Promise<string> {
  const started = Date.now();
  const run: string[] = [];
  for (const step of documentedSteps()) {
    // `npx pulumi ARGS -s STACK`: the CLI the tests run, on this file's stack, no prompt.
    const args = step.slice(2).map((arg) => (arg === "STACK" ? E2E_STACK : arg));
    run.push(`pulumi ${args.join(" ")}`);
    await cli.ok(args[0] === "up" ? [...args, "--yes", "--non-interactive"] : args);
  }
  const took = seconds(started);
  const pods = await cluster.settledPods();
  expect(pods).toHaveLength(2);
  expect(pods.every((pod) => pod.spec.containers[0].image === GOOD)).toBe(true);
  const deployment = (await cluster.objects()).deployment as
    { spec: { template: { spec: { containers: { image: string }[] } } } } | undefined;
  expect(deployment?.spec.template.spec.containers[0].image).toBe(GOOD);
  const bad = (await cluster.replicaSets()).filter(
    (rs) => rs.spec.template.spec.containers[0].image === badImage,
  );
  expect(bad.length).toBeGreaterThan(0);
  const badNames = new Set(bad.map((rs) => rs.metadata.name));
  const leftOver = (await appPods()).filter((pod) =>
    pod.metadata.ownerReferences?.some((owner) => badNames.has(owner.name)),
  );
  expect(leftOver.map((pod) => pod.metadata.name)).toEqual([]);
  const check = await cli.run(["preview", "--expect-no-changes", ...stackArgs]);
  expect(check.status).toBe(0);
  return `recovery (${run.join("; ")}): ${took} s; pods ${describePods(pods)} running ${GOOD}; pods of ${[...badNames].join(", ")} left: ${leftOver.length}; preview --expect-no-changes exit ${check.status}`;
}

beforeAll(async () => {
  testbed = await startOwnTestbed(e2e, dir, NAMESPACE, {
    secrets: {
      DATABASE_PASSWORD: `e2e-db-${randomBytes(8).toString("hex")}`,
      OPENAI_API_KEY: `sk-e2e-${randomBytes(8).toString("hex")}`,
    },
    registryUser: "e2e-bad-release",
    registryToken: `ghp_${randomBytes(12).toString("hex")}`,
  });
  ({ cli, cluster } = testbed);
});

afterAll(async () => {
  process.stdout.write(
    `e2e bad release: what was observed:\n${summary.map((l) => `  ${l}`).join("\n")}\n`,
  );
  await testbed?.stop();
});

test("a release whose app never becomes ready fails pulumi up within the rollout timeout, with the reason, while the old pods keep serving", async () => {
  const first = await cli.ok(["up", "--yes", ...stackArgs]);
  await cli.setInt("task-api:rolloutTimeoutSeconds", ROLLOUT_TIMEOUT, stackArgs);
  summary.push(`first up at ${GOOD}: ${first.seconds.toFixed(1)} s`);
  await failedRelease(
    `${IMAGE_REPO}:1.6.0-never-ready`,
    /containers with unready status: \[task-api\]|Minimum number of live Pods was not attained/,
  );
});

test("the steps of docs/recovering.md, followed as written, bring the stack back to the last good release", async () => {
  summary.push(await recover(`${IMAGE_REPO}:1.6.0-never-ready`));
});

test("a release that crashes at start fails pulumi up with CrashLoopBackOff while the old pods keep serving, and the same steps bring the last good release back", async () => {
  await failedRelease(`${IMAGE_REPO}:1.6.0-crash`, /CrashLoopBackOff/);
  summary.push(await recover(`${IMAGE_REPO}:1.6.0-crash`));
});

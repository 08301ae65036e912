// Issue 24 on running pods: `npm run status` (review/status/) in the project copy, with the CLI's
// environment (the built kubectl, this cluster's kubeconfig and the stack's context), against what
// the pods really run (`kubectl exec POD -- env`). A secret change held mid-rollout with `kubectl
// rollout pause`, so the in-between state lasts as long as the test looks at it; a container
// killed inside an old pod then (the trap: it restarts with the new Secret under the old
// template); and a revoked registry token (the 401 named). This file starts its own cluster
// (e2e/harness/ownTestbed.ts) and namespace.

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppCluster, PodObject, isReady } from "./harness/cluster";
import { containerPids } from "./harness/node";
import { OwnTestbed, startOwnTestbed } from "./harness/ownTestbed";
import { E2E_STACK } from "./harness/project";
import { PulumiCli, e2eEnvironment } from "./harness/pulumiCli";

const e2e = e2eEnvironment();
const NAMESPACE = "task-api-status";
const dir = join(e2e.workDir, "status");
const stackArgs = ["--stack", E2E_STACK, "--non-interactive"];
const IMAGE_REPO = "ghcr.io/acme/task-api";
/** How long a held rollout lasts (task-api:rolloutTimeoutSeconds): the checks made meanwhile fit. */
const HOLD = 60;
const secrets = {
  DATABASE_PASSWORD: `e2e-db-${randomBytes(8).toString("hex")}`,
  OPENAI_API_KEY: `sk-e2e-${randomBytes(8).toString("hex")}`,
};
const registryAccount = {
  username: "e2e-status",
  password: `ghp_${randomBytes(12).toString("hex")}`,
};
let testbed: OwnTestbed;
let cli: PulumiCli;
let cluster: AppCluster;
/** Each case's real output and exit code, printed at the end for the record (docs/status.md). */
const summary: string[] = [];

interface StatusRun {
  readonly code: number | null;
  readonly json: {
    state: string;
    verdict: string;
    pods: { name: string; ready: boolean; reason?: string; data: Record<string, string> }[];
    notes: string[];
  };
}

/** `npm run status -- e2e ARGS` as a user runs it in the project. */
function runStatus(args: readonly string[]): { code: number | null; out: string } {
  const result = spawnSync("npm", ["run", "--silent", "status", "--", E2E_STACK, ...args], {
    cwd: cli.projectDir,
    env: cli.env,
    encoding: "utf8",
  });
  cli.transcript.push(`${result.stdout}${result.stderr}`);
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

/** `npm run status -- e2e --json`. */
function status(): StatusRun {
  const { code, out } = runStatus(["--json"]);
  return { code, json: JSON.parse(out) as StatusRun["json"] };
}

/** Polls `status` until `accept` holds, at most `seconds`. */
async function statusUntil(
  seconds: number,
  accept: (run: StatusRun) => boolean,
): Promise<StatusRun> {
  const deadline = Date.now() + seconds * 1000;
  let last = status();
  while (!accept(last) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    last = status();
  }
  return last;
}

/**
 * The text a user reads, run right after `run` for the record. The pods do not wait for it: only
 * where the state is held (a paused rollout, a failing pull, a finished one) is it the same.
 */
function record(what: string, run: StatusRun): string {
  const { code, out } = runStatus([]);
  expect(code).toBe(run.code);
  summary.push(`${what}: exit ${code}\n${out.replace(/^/gm, "    ")}`);
  return out;
}

const livePods = async () =>
  ((await cluster.pods()) as PodObject[]).filter((pod) => !pod.metadata.deletionTimestamp);

/** Kills the app's process of `pod` from this machine, as a crash or an OOM kill would end it. */
function killContainer(pod: PodObject): void {
  const pids = containerPids(
    (pod.status?.containerStatuses?.[0] as { containerID?: string } | undefined)?.containerID ?? "",
  );
  expect(pids.length).toBeGreaterThan(0);
  pids.forEach((pid) => process.kill(pid, "SIGKILL"));
}

beforeAll(async () => {
  testbed = await startOwnTestbed(e2e, dir, NAMESPACE, {
    secrets,
    registryUser: registryAccount.username,
    registryToken: registryAccount.password,
  });
  ({ cli, cluster } = testbed);
  await cli.ok(["up", "--yes", ...stackArgs]);
});

afterAll(async () => {
  process.stdout.write(
    `e2e status: what was observed:\n${summary.map((l) => `  ${l}`).join("\n")}\n`,
  );
  await testbed?.stop();
});

test("after pulumi up: every pod current and Ready, exit 0", async () => {
  await cluster.settledPods();
  const run = status();
  const text = record("after the first up", run);
  expect(run.code).toBe(0);
  expect(run.json.state).toBe("current");
  expect(run.json.verdict).toBe("all 2 pods run the current config, secrets and files");
  expect(text).toMatch(/^current: all 2 pods run the current config, secrets and files$/m);
});

test("a secret change held mid-rollout by a release that never becomes Ready: in progress with every old pod on the old secret, as their environments say; a container killed in an old pod restarts with the new secret and is reported so; current once a good release rolls out", async () => {
  const before = await cluster.settledPods();
  const newPassword = `e2e-db-${randomBytes(8).toString("hex")}`;
  await cli.ok(
    ["config", "set", "--secret", "--path", "secrets.DATABASE_PASSWORD", newPassword, ...stackArgs],
    { revealsSecrets: true },
  );
  // Held: the new pods never become Ready, and maxUnavailable 0 keeps the old ones. (`kubectl
  // rollout pause` does not hold it: pulumi up resumes a paused Deployment, docs/status.md.)
  await cli.ok([
    "config",
    "set",
    "task-api:image",
    `${IMAGE_REPO}:1.6.0-never-ready`,
    ...stackArgs,
  ]);
  await cli.setInt("task-api:rolloutTimeoutSeconds", HOLD, stackArgs);
  const held = cli.start(["up", "--yes", ...stackArgs]);
  const oldNames = new Set(before.map((pod) => pod.metadata.name));
  const isOld = (pod: { name: string }) => oldNames.has(pod.name);
  const holding = await statusUntil(
    HOLD,
    (run) =>
      run.json.pods.filter(isOld).length === 2 &&
      run.json.pods.filter(isOld).every((pod) => pod.data.secret === "old") &&
      run.json.pods.some((pod) => !isOld(pod)),
  );
  record("secret changed, the new release never Ready", holding);
  expect(holding.code).toBe(3);
  expect(holding.json.state).toBe("in progress");
  expect(holding.json.verdict).toMatch(
    /^2 of 3 pods run an old secret version; 1 of 3 pods not Ready \(rollout in progress\)$/,
  );
  for (const pod of before) {
    expect((await testbed.envOf(pod.metadata.name)).get("DATABASE_PASSWORD")).toBe(
      secrets.DATABASE_PASSWORD,
    );
  }

  // The trap: the killed container restarts in its old pod, and reads the Secret as it is now.
  const [victim, other] = before;
  killContainer(victim);
  const restarted = await statusUntil(HOLD, (run) =>
    run.json.pods.some(
      (pod) =>
        pod.name === victim.metadata.name &&
        pod.ready &&
        pod.data.secret === "newer than its template",
    ),
  );
  record("a container killed in an old pod, restarted", restarted);
  expect(restarted.code).toBe(3);
  expect(restarted.json.notes).toEqual([
    expect.stringMatching(
      new RegExp(
        `^${victim.metadata.name}: its container restarted \\(.*\\) after the secret changed, so it runs the new secret data although its template says the old$`,
      ),
    ),
  ]);
  expect((await testbed.envOf(victim.metadata.name)).get("DATABASE_PASSWORD")).toBe(newPassword);
  expect((await testbed.envOf(other.metadata.name)).get("DATABASE_PASSWORD")).toBe(
    secrets.DATABASE_PASSWORD,
  );
  expect(restarted.json.pods.find((pod) => pod.name === other.metadata.name)?.data.secret).toBe(
    "old",
  );

  // The held up fails on its own; a good release then rolls every pod onto the new secret.
  expect(await held.exited).not.toBe(0);
  await cli.ok(["config", "set", "task-api:image", `${IMAGE_REPO}:1.5.0`, ...stackArgs]);
  // `--wait`, as the deploy workflow runs it: started with the rollout, it returns once current.
  const good = cli.start(["up", "--yes", ...stackArgs]);
  const started = Date.now();
  const waited = runStatus(["--wait", "120", "--json"]);
  const waitedSeconds = ((Date.now() - started) / 1000).toFixed(1);
  expect(waited.code).toBe(0);
  const done: StatusRun = { code: waited.code, json: JSON.parse(waited.out) as StatusRun["json"] };
  expect(await good.exited).toBe(0);
  record(`a good release rolled out (--wait 120 returned after ${waitedSeconds} s)`, done);
  expect(done.json.state).toBe("current");
  for (const pod of (await livePods()).filter(isReady)) {
    expect((await testbed.envOf(pod.metadata.name)).get("DATABASE_PASSWORD")).toBe(newPassword);
  }
  secrets.DATABASE_PASSWORD = newPassword;
});

test("a revoked registry token: the new pod's pull failure is named with the registry's 401, exit 4", async () => {
  await cluster.settledPods();
  testbed.registry.accounts.revoke(registryAccount);
  await cli.ok(["config", "set", "task-api:image", `${IMAGE_REPO}:1.5.1`, ...stackArgs]);
  await cli.setInt("task-api:rolloutTimeoutSeconds", 20, stackArgs);
  const up = cli.start(["up", "--yes", ...stackArgs]);
  const failing = await statusUntil(60, (run) =>
    run.json.pods.some((pod) => /ImagePullBackOff|ErrImagePull/.test(pod.reason ?? "")),
  );
  record("a revoked registry token, new image", failing);
  expect(failing.code).toBe(4);
  expect(failing.json.state).toBe("stale or failing");
  expect(failing.json.verdict).toMatch(
    /failing \(task-api-\S+: (ImagePullBackOff|ErrImagePull): .*(401|[Uu]nauthorized)/,
  );
  expect(await up.exited).not.toBe(0);
  // Back: the token restored, the image too; then current again.
  testbed.registry.accounts.add(registryAccount);
  await cli.ok(["config", "set", "task-api:image", `${IMAGE_REPO}:1.5.0`, ...stackArgs]);
  await cli.ok(["up", "--yes", ...stackArgs]);
  const back = await statusUntil(60, (run) => run.code === 0);
  expect(back.json.state).toBe("current");
});

test("a stack never deployed, and an unreachable cluster: exit 1 with one line, no trace", () => {
  const run = (namespace: string, env: NodeJS.ProcessEnv) => {
    const result = spawnSync("npm", ["run", "--silent", "status", "--", E2E_STACK], {
      cwd: cli.projectDir,
      env: { ...cli.env, ...env },
      encoding: "utf8",
    });
    return { code: result.status, out: `${result.stdout}${result.stderr}`, namespace };
  };
  const stackFile = join(cli.projectDir, `Pulumi.${E2E_STACK}.yaml`);
  const text = readFileSync(stackFile, "utf8");
  try {
    writeFileSync(
      stackFile,
      text.replace(`task-api:namespace: ${NAMESPACE}`, "task-api:namespace: task-api-nowhere"),
    );
    const never = run("task-api-nowhere", {});
    expect(never.code).toBe(1);
    expect(never.out.trim()).toBe(
      `no Deployment task-api in namespace task-api-nowhere on context task-api-e2e: stack "e2e" has never been deployed there, or was destroyed (pulumi up -s e2e deploys it)`,
    );
    summary.push(`never deployed: exit ${never.code}: ${never.out.trim()}`);
  } finally {
    writeFileSync(stackFile, text);
  }
  const unreachable = run(NAMESPACE, { KUBECONFIG: join(dir, "no-such-kubeconfig") });
  expect(unreachable.code).toBe(1);
  expect(unreachable.out.trim()).toMatch(
    /^cannot read the cluster of stack "e2e" \(context task-api-e2e\): /,
  );
  expect(unreachable.out).not.toMatch(/\n\s+at /);
  summary.push(`unreachable: exit ${unreachable.code}: ${unreachable.out.trim()}`);
});

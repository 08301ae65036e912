// A day in the life of a stack on a real cluster: someone edits its objects by hand, an update is
// killed half-way, the API server goes away during an update, the stack is destroyed and made
// again. This file starts its own cluster (e2e/harness/ownTestbed.ts; its pods run), so it can stop and
// start the API server.

import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { AppCluster, decode, poll, templateAnnotations } from "./harness/cluster";
import { ControlPlane } from "./harness/controlPlane";
import { OwnTestbed, startOwnTestbed } from "./harness/ownTestbed";
import { E2E_STACK, editStackFile, stackFilePath } from "./harness/project";
import { configChecksum } from "../lib/checksum";
import { filesUnder, leaks, randomSecrets, scanForLeaks } from "./harness/stateLeakScan";
import { Absence, runningWatches, watchObject } from "./harness/objectWatch";
import { PulumiCli, e2eEnvironment } from "./harness/pulumiCli";
import {
  currentRunMarker,
  describeProcesses,
  endProcesses,
  orphansOfRun,
} from "./harness/runProcesses";

const e2e = e2eEnvironment();
const lifeDir = join(e2e.workDir, "lifecycle");
const projectDir = join(lifeDir, "project");
const NAMESPACE = "task-api-life";
const secrets: Record<string, string> = {
  DATABASE_PASSWORD: `life-db-${randomBytes(8).toString("hex")}`,
  OPENAI_API_KEY: `sk-life-${randomBytes(8).toString("hex")}`,
};
let testbed: OwnTestbed | undefined;
let controlPlane: ControlPlane;
let cli: PulumiCli;
let cluster: AppCluster;
const stackArgs = ["--stack", E2E_STACK, "--non-interactive"];
const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
/** Child processes a failed test must not leave running. */
const children = new Set<ChildProcess>();
const registryLogin = {
  server: "ghcr.io",
  username: "life-deploy",
  token: `ghp_${randomBytes(12).toString("hex")}`,
};
/** Every value a test set, for the leak scan. */
const everySecret: string[] = [...Object.values(secrets), registryLogin.token];
const lastLines = (text: string, count: number) => text.trim().split("\n").slice(-count).join("\n");
/** One line per observation, printed at the end for the record (docs/e2e.md). */
const summary: string[] = [];

/** kubectl as an operator runs it, against this file's cluster. */
function kubectl(args: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync("kubectl", ["--namespace", NAMESPACE, ...args], {
    env: { ...cli.env, ...env },
    encoding: "utf8",
  });
}

/** Watches the app's Secret while something else runs (e2e/harness/objectWatch.ts). */
function watchSecret(): { stop: () => Promise<Absence> } {
  return watchObject(
    controlPlane.client,
    `/api/v1/namespaces/${NAMESPACE}/secrets/task-api-secrets`,
  );
}

function isReadableJson(file: string): boolean {
  try {
    JSON.parse(readFileSync(file, "utf8"));
    return true;
  } catch {
    return false;
  }
}

/** `pulumi up` as a child process the test can kill, and its output so far. */
function startUp(): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let output = "";
  const child = spawn("pulumi", ["up", "--yes", ...stackArgs, "--color", "never"], {
    cwd: projectDir,
    env: cli.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  children.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      children.delete(child);
      // Killed or failed runs print too: the leak scan reads this.
      cli.transcript.push(output);
      resolve(code);
    }),
  );
  return { child, output: () => output, exited };
}

/** The pods' uids once the rollout is over: each Ready, none of an older template (AppCluster.settledPods). */
async function settledPodUids(): Promise<string[]> {
  return (await cluster.settledPods()).map((pod) => pod.metadata.uid);
}

beforeAll(async () => {
  testbed = await startOwnTestbed(e2e, lifeDir, NAMESPACE, {
    secrets,
    registryUser: registryLogin.username,
    registryToken: registryLogin.token,
  });
  ({ controlPlane, cli, cluster } = testbed);
  await cli.ok(["up", "--yes", ...stackArgs]);
});

afterAll(async () => {
  for (const child of children) {
    child.kill("SIGKILL");
  }
  for (const stop of runningWatches) {
    await stop();
  }
  process.stdout.write(
    `e2e lifecycle: what was observed:\n${summary.map((l) => `  ${l}`).join("\n")}\n`,
  );
  await testbed?.stop();
});

test("a ConfigMap and a Secret edited by hand fail the drift check naming both, and pulumi up --refresh puts the stack's values back", async () => {
  const replicaSets = (await cluster.replicaSets()).length;
  const podsBefore = await settledPodUids();
  kubectl(["edit", "configmap", "task-api-config"], {
    KUBE_EDITOR: "sed -i -e 's/^  LOG_LEVEL: .*/  LOG_LEVEL: tampered/'",
  });
  kubectl(["edit", "secret", "task-api-secrets"], {
    KUBE_EDITOR: `sed -i -e 's/^  DATABASE_PASSWORD: .*/  DATABASE_PASSWORD: ${base64("tampered")}/'`,
  });
  const edited = await cluster.objects();
  expect(edited.configMap?.data?.LOG_LEVEL).toBe("tampered");
  expect(decode(edited.secret?.data?.DATABASE_PASSWORD)).toBe("tampered");

  // The scheduled drift check of .github/workflows/drift.yml.
  const drift = await cli.run(["preview", "--refresh", "--expect-no-changes", ...stackArgs]);
  expect(drift.status).not.toBe(0);
  expect(drift.stdout).toMatch(/~\s+kubernetes:core\/v1:ConfigMap\s+task-api-config\s+update/);
  expect(drift.stdout).toMatch(/~\s+kubernetes:core\/v1:Secret\s+task-api-secrets\s+update/);
  expect(`${drift.stdout}${drift.stderr}`).not.toContain(secrets.DATABASE_PASSWORD);
  summary.push(
    `drift check after two kubectl edits: exit ${drift.status}, names task-api-config and task-api-secrets`,
  );

  await cli.ok(["up", "--refresh", "--yes", ...stackArgs]);
  const restored = await cluster.objects();
  expect(restored.configMap?.data?.LOG_LEVEL).toBe("debug");
  expect(decode(restored.secret?.data?.DATABASE_PASSWORD)).toBe(secrets.DATABASE_PASSWORD);
  const restoredOnly = (await cluster.replicaSets()).length - replicaSets;
  // README, "Recovering from a failed update": restoring data does not roll the pods by itself
  // (the checksums are of the stack's data, which did not change); the next command does, once.
  expect(restoredOnly).toBe(0);
  expect(await settledPodUids()).toEqual(podsBefore);
  const restarted = Date.now();
  kubectl(["rollout", "restart", "deployment/task-api"]);
  const rolled = (await cluster.replicaSets()).length - replicaSets;
  expect(rolled).toBe(1);
  // The pods that read the tampered values are gone, their replacements Ready; and the drift check
  // reads a Deployment whose rollout is over (the provider's read awaits it too).
  const podsAfter = await settledPodUids();
  expect(podsAfter.filter((uid) => podsBefore.includes(uid))).toEqual([]);
  summary.push(
    `up --refresh restored both (new ReplicaSets: ${restoredOnly}, the ${podsBefore.length} pods kept); kubectl rollout restart: ${rolled} new ReplicaSet, ${podsAfter.length} new pods Ready and the old gone ${((Date.now() - restarted) / 1000).toFixed(1)} s after it`,
  );
  const settled = await cli.run(["preview", "--refresh", "--expect-no-changes", ...stackArgs]);
  expect(settled.status).toBe(0);
  // kubectl's restartedAt is on the pod template, and the drift check above passed with it there:
  // server-side apply leaves a field another manager owns alone.
  expect(
    templateAnnotations(await cluster.objects())["kubectl.kubernetes.io/restartedAt"],
  ).toBeDefined();
});

test("pulumi up killed with SIGKILL mid-update: the Secret never goes missing, and cancel, refresh and up converge", async () => {
  const watcher = watchSecret();
  const newPassword = `life-db-${randomBytes(8).toString("hex")}`;
  everySecret.push(newPassword);
  await cli.ok([
    "config",
    "set",
    "--secret",
    "--path",
    "secrets.DATABASE_PASSWORD",
    newPassword,
    "--stack",
    E2E_STACK,
  ]);
  await cli.ok([
    "config",
    "set",
    "--path",
    "task-api:config.LOG_LEVEL",
    "warn",
    "--stack",
    E2E_STACK,
  ]);
  const run = startUp();
  try {
    // Mid-update: the engine has started changing the first object and holds the stack's lock.
    await poll(
      "the first object to be updating",
      60,
      () => Promise.resolve(/ updating /.test(run.output())),
      10,
    );
  } finally {
    run.child.kill("SIGKILL");
  }
  await run.exited;
  summary.push(`SIGKILL when the CLI printed:\n${lastLines(run.output(), 1)}`);
  // The killed CLI's plugins run in process groups of their own and outlive it: found by the
  // run's marker and ended here (e2e/harness/runProcesses.ts); the runner fails a run that leaves any.
  const marker = currentRunMarker();
  expect(marker).toBeDefined();
  const orphans = orphansOfRun(marker ?? "");
  await endProcesses(orphans, marker ?? "");
  summary.push(
    `left running by the killed CLI, now ended: ${describeProcesses(orphans) || "none"}`,
  );
  expect(orphansOfRun(marker ?? "")).toEqual([]);

  // README, "Recovering from a failed update": the killed run left its lock behind, and, when
  // the kill landed while the self-managed backend was writing the state file, an unreadable
  // state file ("failed to load checkpoint: EOF", seen in a CI run); the backend keeps the
  // previous checkpoint beside it as .bak.
  const locked = await cli.run(["up", "--yes", ...stackArgs]);
  expect(locked.status).not.toBe(0);
  // Judged by the file itself: the up may stop at the lock before it reads the checkpoint, and
  // then `cancel` is the first command to say "failed to load checkpoint: EOF" (seen in a run).
  const stateFile = filesUnder(cli.backendDir).find((file) => file.endsWith(`/${E2E_STACK}.json`));
  if (stateFile === undefined) {
    throw new Error(`no state file for stack ${E2E_STACK} under ${cli.backendDir}`);
  }
  // The local backend (gocloud.dev blob/fileblob) keeps each file's attributes beside it in
  // STACK.json.attrs, which it writes without a rename (attrs.go, setAttrs: create, then encode):
  // a kill between the two leaves it empty, and every command then fails to read the checkpoint
  // with "EOF" although STACK.json itself is whole (seen in a run of this file).
  const attrsFile = `${stateFile}.attrs`;
  const brokenAttrs = existsSync(attrsFile) && !isReadableJson(attrsFile);
  if (isReadableJson(stateFile) && !brokenAttrs) {
    expect(locked.stderr).toMatch(/the stack is currently locked/);
  } else {
    expect(`${locked.stdout}${locked.stderr}`).toMatch(
      /currently locked|failed to load checkpoint/,
    );
    if (isReadableJson(stateFile)) {
      // fileblob reads a missing .attrs as the defaults (attrs.go, getAttrs).
      rmSync(attrsFile);
      summary.push("the kill left an empty STACK.json.attrs; removed it");
    } else {
      copyFileSync(`${stateFile}.bak`, stateFile);
      if (existsSync(`${stateFile}.bak.attrs`)) {
        copyFileSync(`${stateFile}.bak.attrs`, attrsFile);
      }
      summary.push("the kill left an unreadable state file; restored its .bak");
    }
  }
  await cli.ok(["cancel", "--yes", ...stackArgs]);
  await cli.ok(["refresh", "--yes", ...stackArgs]);
  await cli.ok(["up", "--yes", ...stackArgs]);
  const seen = await watcher.stop();
  summary.push(
    `recovery: up refused (locked), cancel, refresh, up: converged; Secret absent ${seen.absentMs} ms over ${seen.polls} polls`,
  );
  expect(seen.absentMs).toBe(0);
  expect(decode((await cluster.objects()).secret?.data?.DATABASE_PASSWORD)).toBe(newPassword);
  const pods = await cluster.settledPods();
  summary.push(`after the recovery: ${pods.length} pods Ready, of the converged template`);
  expect(
    (await cli.run(["preview", "--refresh", "--expect-no-changes", ...stackArgs])).status,
  ).toBe(0);
});

test("the API server stopped mid-update: no pod template names config the cluster lacks, the Secret never goes missing, and a re-run converges once it is back", async () => {
  const watcher = watchSecret();
  const replicaSets = (await cluster.replicaSets()).length;
  const templateChecksum = async () =>
    (await cluster.objects()).deployment?.spec.template.metadata?.annotations?.["checksum/config"];
  let caught: { status: number | null; output: string; checksumBefore?: string } | undefined;
  // The stop must land between the ConfigMap's update and the Deployment's; a run that finished
  // first is not mid-update, so try again with the next value (three tries at most).
  for (let attempt = 1; attempt <= 3 && !caught; attempt++) {
    const level = `error-${attempt}`;
    await cli.ok([
      "config",
      "set",
      "--path",
      "task-api:config.LOG_LEVEL",
      level,
      "--stack",
      E2E_STACK,
    ]);
    const checksumBefore = await templateChecksum();
    const run = startUp();
    try {
      await poll(
        "the ConfigMap update",
        60,
        async () => (await cluster.objects()).configMap?.data?.LOG_LEVEL === level,
        20,
      );
    } catch (error) {
      run.child.kill("SIGKILL");
      throw error;
    }
    await controlPlane.stopApiServer();
    // An up whose Deployment update got through just before the stop waits for the rollout, its
    // watches retrying until the API server answers (pulumi-kubernetes, provider/pkg/await/
    // deployment.go: up to DefaultDeploymentTimeoutMins, 10): it gets 30 s to fail, then the API
    // server is back and it may finish.
    const failedWhileStopped = await Promise.race([
      run.exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 30_000)),
    ]);
    await controlPlane.startApiServer();
    const status = await run.exited;
    summary.push(
      `try ${attempt}: up with the API server stopped after the ConfigMap changed: exit ${status}${failedWhileStopped ? "" : " (once the API server was back)"}`,
    );
    if (status !== 0) {
      caught = { status, output: run.output(), checksumBefore };
    }
  }
  expect(caught).toBeDefined();
  summary.push(`the failed up printed:\n${lastLines(caught?.output ?? "", 4)}`);
  // Whatever reached the cluster, the pod template's config checksum is the live ConfigMap's or
  // the one its running pods started with: never a half-applied change.
  const { configMap } = await cluster.objects();
  expect([configChecksum(configMap?.data ?? {}), caught?.checksumBefore]).toContain(
    await templateChecksum(),
  );

  await cli.ok(["up", "--yes", ...stackArgs]);
  const seen = await watcher.stop();
  const rolled = (await cluster.replicaSets()).length - replicaSets;
  summary.push(
    `re-run of up: converged, new ReplicaSets since the first try: ${rolled}; Secret absent ${seen.absentMs} ms over ${seen.polls} polls (${seen.unreachable} unanswered while stopped)`,
  );
  expect(seen.absentMs).toBe(0);
  const converged = await cluster.objects();
  expect(converged.deployment?.spec.template.metadata?.annotations?.["checksum/config"]).toBe(
    configChecksum(converged.configMap?.data ?? {}),
  );
  // The pods run the converged template, and every one is Ready.
  expect((await cluster.settledPods()).length).toBe(2);
  expect(
    (await cli.run(["preview", "--refresh", "--expect-no-changes", ...stackArgs])).status,
  ).toBe(0);
});

test("after the faults, no secret value or derivative is anywhere Pulumi wrote or printed", async () => {
  const { found, searched } = await scanForLeaks(cli, everySecret, [registryLogin]);
  summary.push(
    `leak scan: ${everySecret.length} values, ${searched} files and outputs, ${found.length} found`,
  );
  expect(found).toEqual([]);
});

test("a refactor that renames the Secret's Pulumi resource, with an alias, keeps the live Secret", async () => {
  // As a refactor would: the Secret's resource name changes, its Kubernetes name does not.
  // Without the alias the engine plans a create of the new name and a delete of the old one, and
  // both target the same object (pulumi-kubernetes' upsertExistingObjects documentation).
  const file = join(projectDir, "components/AppSecret.ts");
  const source = readFileSync(file, "utf8");
  // Each edit must apply: a source that has moved on fails here, not in a puzzling state check.
  const edits: [string, string][] = [
    [
      "const secret = new corev1.Secret(\n      name,",
      "const secret = new corev1.Secret(\n      `${name}-refactored`,",
    ],
    [
      "      { parent: this },\n    );\n\n    this.secretName",
      "      { parent: this, aliases: [{ name }] },\n    );\n\n    this.secretName",
    ],
  ];
  for (const [from] of edits) {
    expect(source).toContain(from);
  }
  const renamed = edits.reduce((text, [from, to]) => text.replace(from, to), source);
  writeFileSync(file, renamed);

  const uid = (await cluster.objects()).secret?.metadata.uid;
  const watcher = watchSecret();
  const previewed = await cli.run(["preview", "--expect-no-changes", ...stackArgs]);
  expect(previewed.status).toBe(0);
  await cli.ok(["up", "--yes", ...stackArgs]);
  const seen = await watcher.stop();
  expect((await cluster.objects()).secret?.metadata.uid).toBe(uid);
  expect(seen.absentMs).toBe(0);
  const state = (await cli.ok(["stack", "export", "--stack", E2E_STACK])).stdout;
  expect(state).toContain("kubernetes:core/v1:Secret::task-api-secrets-refactored");
  summary.push(
    `refactor with alias: preview --expect-no-changes passes, Secret uid ${uid} kept, absent ${seen.absentMs} ms`,
  );
});

test("a program that does not parse, or that throws, fails pulumi preview naming the TypeScript file and line, and changes nothing", async () => {
  // The engine starts index.ts through startup/engineMain.js (package.json), not ts-node.
  const file = join(projectDir, "index.ts");
  const source = readFileSync(file, "utf8");
  const base = source.endsWith("\n") ? source : `${source}\n`;
  // The 1-based number of the line appended to `base`.
  const line = base.split("\n").length;
  const fingerprint = await cluster.fingerprint();
  const previewWith = async (appended: string) => {
    writeFileSync(file, `${base}${appended}\n`);
    const previewed = await cli.run(["preview", ...stackArgs]);
    // Without the colours Node gives a trace's paths.
    const output = stripVTControlCharacters(`${previewed.stdout}${previewed.stderr}`);
    return { status: previewed.status, output };
  };

  try {
    const unparsed = await previewWith("const broken: number = ;");
    const parseError = new RegExp(
      `(^|\\s)index\\.ts\\(${line},\\d+\\): error TS1109: Expression expected`,
    );
    summary.push(
      `a line that does not parse: exit ${unparsed.status}, ${parseError.exec(unparsed.output)?.[0].trim()}`,
    );
    expect(unparsed.status).not.toBe(0);
    expect(unparsed.output).toMatch(parseError);
    expect(unparsed.output).not.toMatch(/^\s+at /m);

    const crashed = await previewWith('throw new Error("the e2e crash");');
    // The trace is mapped to the TypeScript (engineMain.js hands source-map-support the map).
    const frame = new RegExp(`${projectDir}/index\\.ts:${line}:\\d+`);
    summary.push(
      `a line that throws: exit ${crashed.status}, trace at ${frame.exec(crashed.output)?.[0]}`,
    );
    expect(crashed.status).not.toBe(0);
    expect(crashed.output).toContain("the e2e crash");
    expect(crashed.output).toMatch(frame);
  } finally {
    writeFileSync(file, source);
  }
  expect(await cluster.fingerprint()).toEqual(fingerprint);
  expect((await cli.run(["preview", "--expect-no-changes", ...stackArgs])).status).toBe(0);
});

test("createNamespace: false with a namespace that does not exist fails pulumi preview, naming it, and changes nothing", async () => {
  const stackFile = readFileSync(stackFilePath(projectDir), "utf8");
  const fingerprint = await cluster.fingerprint();
  editStackFile(projectDir, (config) => {
    config.set("task-api:createNamespace", false);
    config.set("task-api:namespace", "task-api-missing");
  });
  const previewed = await cli.run(["preview", ...stackArgs]);
  const output = `${previewed.stdout}${previewed.stderr}`;
  const named = output.split("\n").filter((line) => line.includes("task-api-missing"));
  summary.push(`preview with a missing namespace: exit ${previewed.status}:\n${named.join("\n")}`);
  expect(previewed.status).not.toBe(0);
  expect(output).toMatch(/existing-namespace/);
  expect(output).toMatch(/task-api-missing/);
  expect(await cluster.fingerprint()).toEqual(fingerprint);
  writeFileSync(stackFilePath(projectDir), stackFile);
  expect((await cli.run(["preview", "--expect-no-changes", ...stackArgs])).status).toBe(0);
});

test("pulumi destroy, then pulumi up, makes the stack again", async () => {
  const destroyed = await cli.run(["destroy", "--yes", ...stackArgs]);
  // The Deployment's pods go with it (the garbage collector, then the kubelet).
  await poll("the destroyed Deployment's pods to be gone", 120, async () => {
    const pods = await controlPlane.client.list(`/api/v1/namespaces/${NAMESPACE}/pods`);
    return pods.length === 0;
  });
  summary.push(
    `destroy: exit ${destroyed.status}, ${destroyed.seconds.toFixed(1)} s; namespace after: ${(await controlPlane.client.get(`/api/v1/namespaces/${NAMESPACE}`))?.metadata.name ?? "gone"}; no pod left`,
  );
  expect(destroyed.status).toBe(0);
  const again = await cli.run(["up", "--yes", ...stackArgs]);
  const pods = again.status === 0 ? await cluster.settledPods() : [];
  summary.push(
    `up after destroy: exit ${again.status}, ${again.seconds.toFixed(1)} s; ${pods.length} new pods Ready`,
  );
  expect(again.status).toBe(0);
  expect(pods).toHaveLength(2);
});

test("upgrading from the program whose checksum key was a RandomBytes rolls the pods once, leaves the Secret alone, and leaves no key in an id", async () => {
  // The program before 2026-12-01 (README, "Restarts: when pods roll, and why").
  const file = join(projectDir, "components/AppSecret.ts");
  const current = readFileSync(file, "utf8");
  const before = current
    .replace("new random.RandomPassword(", "new random.RandomBytes(")
    .replace("{ length: CHECKSUM_KEY_LENGTH, special: false }", "{ length: 32 }")
    .replace("pulumi.secret(checksumKey.result)", "pulumi.secret(checksumKey.hex)");
  expect(before).toContain("new random.RandomBytes(");
  expect(before).toContain("checksumKey.hex");
  writeFileSync(file, before);
  await cli.ok(["up", "--yes", ...stackArgs]);
  const keyResources = async () =>
    (
      JSON.parse((await cli.ok(["stack", "export", "--stack", E2E_STACK])).stdout) as {
        deployment: { resources: { type: string; id?: string }[] };
      }
    ).deployment.resources
      .filter((resource) => resource.type.startsWith("random:"))
      .map(({ type, id }) => ({ type, id }));
  const old = await keyResources();
  // What made the upgrade necessary: with pulumi-random's ids, the key is readable in the state.
  expect(old.map((resource) => resource.type)).toEqual(["random:index/randomBytes:RandomBytes"]);
  expect(old[0].id).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  // The id is the value the provider marks secret (its base64), and the leak scan's needles
  // (randomSecrets) find it in the plaintext export: the scans would catch any such id.
  // (A boolean: a failure message must not print the secrets.)
  expect((await randomSecrets(cli)).includes(old[0].id ?? "")).toBe(true);
  const plainExport = async () => (await cli.ok(["stack", "export", "--stack", E2E_STACK])).stdout;
  expect(
    leaks({ "pulumi stack export": await plainExport() }, await randomSecrets(cli)),
  ).not.toEqual([]);

  const secret = (await cluster.objects()).secret?.metadata;
  const replicaSets = (await cluster.replicaSets()).length;
  const podsBefore = await settledPodUids();
  writeFileSync(file, current);
  await cli.ok(["up", "--yes", ...stackArgs]);
  const upgraded = await keyResources();
  expect(upgraded).toEqual([{ type: "random:index/randomPassword:RandomPassword", id: "none" }]);
  expect(leaks({ "pulumi stack export": await plainExport() }, await randomSecrets(cli))).toEqual(
    [],
  );
  const after = (await cluster.objects()).secret?.metadata;
  expect(after?.uid).toBe(secret?.uid);
  expect(after?.resourceVersion).toBe(secret?.resourceVersion);
  const rolled = (await cluster.replicaSets()).length - replicaSets;
  expect(rolled).toBe(1);
  const podsAfter = await settledPodUids();
  expect(podsAfter.filter((uid) => podsBefore.includes(uid))).toEqual([]);
  summary.push(
    `upgrade from the RandomBytes key: its id was the key's base64; after: one RandomPassword, id "none"; Secret resourceVersion unchanged; new ReplicaSets: ${rolled}, ${podsAfter.length} new pods Ready, the old gone`,
  );
});

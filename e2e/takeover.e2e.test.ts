// Moving from kubectl (README): the objects a team made by hand the way the kubectl workflow teaches
// (a generic Secret, a docker-registry pull secret, a ConfigMap from literals, a Deployment
// applied from YAML) are taken over by the first `pulumi up`, in place, as README tells users to.
// This file starts its own cluster (e2e/harness/ownTestbed.ts; its pods run) and namespace: the team's
// pod runs, pulled with the team's token, until the stack's pods replace it.

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppCluster, AppObjects, decode, poll, templateAnnotations } from "./harness/cluster";
import { ControlPlane } from "./harness/controlPlane";
import { OwnTestbed, startOwnTestbed } from "./harness/ownTestbed";
import { E2E_STACK, editStackFile, initE2eStack } from "./harness/project";
import { dockerConfigDocument, scanForLeaks } from "./harness/stateLeakScan";
import { runningWatches, watchObject } from "./harness/objectWatch";
import { PulumiCli, e2eEnvironment } from "./harness/pulumiCli";

const e2e = e2eEnvironment();
const takeoverDir = join(e2e.workDir, "takeover");
const projectDir = join(takeoverDir, "project");
const NAMESPACE = "task-api-legacy";
const stackArgs = ["--stack", E2E_STACK, "--non-interactive"];
/** What the team typed into kubectl: values the stack replaces. */
const byHand = {
  DATABASE_PASSWORD: `hand-db-${randomBytes(8).toString("hex")}`,
  OPENAI_API_KEY: `sk-hand-${randomBytes(8).toString("hex")}`,
  registryToken: `ghp_hand${randomBytes(12).toString("hex")}`,
};
/** What the stack holds, set with `pulumi config set --secret`. */
const secrets: Record<string, string> = {
  DATABASE_PASSWORD: `stack-db-${randomBytes(8).toString("hex")}`,
  OPENAI_API_KEY: `sk-stack-${randomBytes(8).toString("hex")}`,
};
const registryLogin = {
  server: "ghcr.io",
  username: "stack-deploy",
  token: `ghp_${randomBytes(12).toString("hex")}`,
};
const everySecret = [...Object.values(byHand), ...Object.values(secrets), registryLogin.token];
let testbed: OwnTestbed | undefined;
let controlPlane: ControlPlane;
let cli: PulumiCli;
let cluster: AppCluster;
const summary: string[] = [];
/** The uid of the pod the kubectl-made Deployment ran. */
let handMadePod: string | undefined;

/** kubectl as the team runs it, against this file's cluster. */
function kubectl(args: readonly string[]): string {
  return execFileSync("kubectl", ["--namespace", NAMESPACE, ...args], {
    env: cli.env,
    encoding: "utf8",
  });
}

/**
 * The reference's task-api-full.yaml, in this namespace (no securityContext, port 8000, no
 * probes), with a release the run's registry serves (e2e/tools/app-registry: 1.4.0). The app
 * listens on 8080 without a PORT in its environment; with no probe, its pod is Ready once it runs.
 */
const HAND_MADE_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
spec:
  replicas: 1
  selector:
    matchLabels:
      app: task-api
  template:
    metadata:
      labels:
        app: task-api
    spec:
      imagePullSecrets:
        - name: ghcr-secret
      containers:
        - name: task-api
          image: ghcr.io/acme/task-api:1.4.0
          ports:
            - containerPort: 8000
          envFrom:
            - configMapRef:
                name: task-api-config
            - secretRef:
                name: task-api-secrets
`;

const uids = (objects: AppObjects) => ({
  namespace: objects.namespace?.metadata.uid,
  configMap: objects.configMap?.metadata.uid,
  secret: objects.secret?.metadata.uid,
  pullSecret: objects.pullSecret?.metadata.uid,
  deployment: objects.deployment?.metadata.uid,
});

beforeAll(async () => {
  testbed = await startOwnTestbed(e2e, takeoverDir, NAMESPACE);
  ({ controlPlane, cli, cluster } = testbed);
  // The team's token is a registry account: their pods pulled with it.
  testbed.registry.accounts.add({ username: "hand-user", password: byHand.registryToken });

  // The kubectl workflow of the background text, command for command.
  execFileSync("kubectl", ["create", "namespace", NAMESPACE], { env: cli.env });
  kubectl([
    "create",
    "secret",
    "generic",
    "task-api-secrets",
    `--from-literal=DATABASE_PASSWORD=${byHand.DATABASE_PASSWORD}`,
    `--from-literal=OPENAI_API_KEY=${byHand.OPENAI_API_KEY}`,
  ]);
  kubectl([
    "create",
    "secret",
    "docker-registry",
    "ghcr-secret",
    "--docker-server=ghcr.io",
    "--docker-username=hand-user",
    `--docker-password=${byHand.registryToken}`,
    "--docker-email=ops@example.com",
  ]);
  kubectl([
    "create",
    "configmap",
    "task-api-config",
    "--from-literal=LOG_LEVEL=info",
    "--from-literal=API_BASE_URL=https://api.example.com",
    "--from-literal=ENABLE_METRICS=true",
    "--from-literal=REQUEST_TIMEOUT_MS=30000",
  ]);
  const manifest = join(takeoverDir, "task-api-full.yaml");
  writeFileSync(manifest, HAND_MADE_DEPLOYMENT);
  kubectl(["apply", "-f", manifest]);
  await poll("the hand-made Deployment's ReplicaSet", 60, async () => {
    return (await cluster.replicaSets()).length === 1;
  });
  // The team's app runs: pulled with the team's docker-registry secret.
  const [pod] = await cluster.settledPods();
  handMadePod = pod.metadata.uid;
  const pulls = testbed.registry.pulls().filter((p) => p.ref === "ghcr.io/acme/task-api:1.4.0");
  expect(pulls.some((p) => p.username === "hand-user" && p.auth === "ok")).toBe(true);
  summary.push(
    `the kubectl-made Deployment's pod ${pod.metadata.name}: Ready, 1.4.0 pulled as hand-user`,
  );

  // The stack, as README's "Moving from kubectl" sets it up.
  await initE2eStack(
    cli,
    {
      namespace: NAMESPACE,
      secrets,
      registryUser: registryLogin.username,
      registryToken: registryLogin.token,
    },
    testbed.registry.accounts,
  );
  editStackFile(projectDir, (config) => {
    config.set("task-api:config", {
      LOG_LEVEL: "warn",
      API_BASE_URL: "https://api.example.com/v2",
      ENABLE_METRICS: false,
    });
    config.set("task-api:nonSecretConfigKeys", []);
    config.set("task-api:replicas", 1);
  });
  // README's commands, as printed there (steps 1 and 3).
  const readmeCommands = [
    ["config", "set", "--type", "int", "task-api:port", "8000"],
    ["config", "set", "--path", "selectorLabels.app", "task-api"],
    ["config", "set", "--path", "registry.secretName", "ghcr-secret"],
    ["config", "set", "--type", "bool", "task-api:adoptExisting", "true"],
  ];
  for (const command of readmeCommands) {
    await cli.ok([...command, "--stack", E2E_STACK]);
  }
});

afterAll(async () => {
  for (const stop of runningWatches) {
    await stop();
  }
  process.stdout.write(
    `e2e takeover: what was observed:\n${summary.map((l) => `  ${l}`).join("\n")}\n`,
  );
  await testbed?.stop();
});

test("the first pulumi up takes the kubectl-made objects over in place: same uids, the stack's values, one rollout, never a missing Secret or ConfigMap", async () => {
  // README: a key only kubectl set would stay (server-side apply leaves fields it does not own),
  // so the keys the stack does not keep are removed first, with the command README gives.
  kubectl([
    "patch",
    "configmap",
    "task-api-config",
    "--type=json",
    '-p=[{"op":"remove","path":"/data/REQUEST_TIMEOUT_MS"}]',
  ]);
  const before = await cluster.objects();
  const replicaSetsBefore = (await cluster.replicaSets()).length;
  expect(Object.values(uids(before)).every((uid) => uid !== undefined)).toBe(true);

  const watches = {
    secret: watchObject(
      controlPlane.client,
      `/api/v1/namespaces/${NAMESPACE}/secrets/task-api-secrets`,
    ),
    configMap: watchObject(
      controlPlane.client,
      `/api/v1/namespaces/${NAMESPACE}/configmaps/task-api-config`,
    ),
  };
  const started = Date.now();
  await cli.ok(["up", "--yes", ...stackArgs]);
  const upSeconds = (Date.now() - started) / 1000;
  const secretSeen = await watches.secret.stop();
  const configMapSeen = await watches.configMap.stop();

  const after = await cluster.objects();
  expect(uids(after)).toEqual(uids(before));
  expect(after.configMap?.data).toEqual({
    NODE_ENV: "production",
    PORT: "8000",
    LOG_LEVEL: "warn",
    API_BASE_URL: "https://api.example.com/v2",
    ENABLE_METRICS: "false",
  });
  expect(Object.keys(after.secret?.data ?? {}).sort()).toEqual(Object.keys(secrets).sort());
  for (const [name, value] of Object.entries(secrets)) {
    expect(decode(after.secret?.data?.[name])).toBe(value);
  }
  expect(decode(after.pullSecret?.data?.[".dockerconfigjson"])).toBe(
    dockerConfigDocument(registryLogin),
  );
  expect(after.namespace?.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe(
    "restricted",
  );
  const deployment = after.deployment;
  expect(deployment?.spec.template.spec.containers.map((c) => c.image)).toEqual([
    "ghcr.io/acme/task-api:1.5.0",
  ]);
  expect(Object.keys(templateAnnotations(after)).sort()).toEqual([
    "checksum/config",
    "checksum/secret",
  ]);
  const rolled = (await cluster.replicaSets()).length - replicaSetsBefore;
  expect(rolled).toBe(1);
  // The team's pod replaced by the stack's, Ready on port 8000 (its probes), pulled with the
  // stack's login.
  const pods = await cluster.settledPods();
  expect(pods.map((pod) => pod.metadata.uid)).not.toContain(handMadePod);
  expect(pods.map((pod) => pod.spec.containers[0].image)).toEqual(["ghcr.io/acme/task-api:1.5.0"]);
  const pulls = testbed?.registry.pulls().filter((p) => p.ref === "ghcr.io/acme/task-api:1.5.0");
  expect(pulls?.some((p) => p.username === registryLogin.username && p.auth === "ok")).toBe(true);
  expect(secretSeen.absentMs).toBe(0);
  expect(configMapSeen.absentMs).toBe(0);
  expect(secretSeen.polls).toBeGreaterThan(5);
  summary.push(
    `takeover up: ${upSeconds.toFixed(1)} s (the rollout awaited); the team's pod replaced by 1 of the stack's, Ready, 1.5.0 pulled as ${registryLogin.username}; uids kept (Secret ${after.secret?.metadata.uid}, ConfigMap ${after.configMap?.metadata.uid}, Deployment ${deployment?.metadata.uid}, and the namespace's and pull secret's); new ReplicaSets: ${rolled}; Secret absent ${secretSeen.absentMs} ms over ${secretSeen.polls} polls, ConfigMap absent ${configMapSeen.absentMs} ms over ${configMapSeen.polls} polls`,
  );
});

test("a second pulumi up changes nothing", async () => {
  const fingerprint = await cluster.fingerprint();
  const preview = await cli.run(["preview", "--expect-no-changes", ...stackArgs]);
  expect(preview.status).toBe(0);
  await cli.ok(["up", "--yes", ...stackArgs]);
  expect(await cluster.fingerprint()).toEqual(fingerprint);
  summary.push(
    `second up: preview --expect-no-changes exit ${preview.status}; every resourceVersion unchanged`,
  );
});

test("removing task-api:adoptExisting afterwards updates only the provider: no object is replaced or rolled", async () => {
  const before = await cluster.objects();
  const replicaSets = (await cluster.replicaSets()).length;
  await cli.ok(["config", "rm", "task-api:adoptExisting", "--stack", E2E_STACK]);
  const preview = await cli.ok(["preview", "--diff", ...stackArgs]);
  expect(preview.stdout).toMatch(/~ pulumi:providers:kubernetes: \(update\)/);
  expect(preview.stdout).toMatch(/- upsertExistingObjects: "true"/);
  expect(preview.stdout).toMatch(/~ 1 to update\n/);
  expect(preview.stdout).not.toMatch(/replace/);
  await cli.ok(["up", "--yes", ...stackArgs]);
  expect(uids(await cluster.objects())).toEqual(uids(before));
  expect((await cluster.replicaSets()).length).toBe(replicaSets);
  const again = await cli.run(["preview", "--refresh", "--expect-no-changes", ...stackArgs]);
  expect(again.status).toBe(0);
  summary.push(
    "adoptExisting removed: the preview updates the provider only; uids kept, 0 new ReplicaSets, then the drift check passes",
  );
});

test("nothing the team typed into kubectl or set in the stack appears in state, outputs or logs", async () => {
  const handLogin = { server: "ghcr.io", username: "hand-user", token: byHand.registryToken };
  const { searched, found } = await scanForLeaks(cli, everySecret, [registryLogin, handLogin]);
  expect(searched).toBeGreaterThan(5);
  expect(found).toEqual([]);
  summary.push(
    `leak scan: ${everySecret.length} values, ${searched} files and outputs, ${found.length} found`,
  );
});

// The program under the real Pulumi engine against a real cluster whose pods run (the runner's:
// e2e/harness/podCluster.ts). The scenarios run in order on one `e2e` stack, each starting from the state
// the one before left; every assertion reads the real cluster, the real state file, the real
// CLI's output or the registry's log. Run with `npm run e2e` (see README, "End-to-end").

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppCluster, PodObject, PodTemplate, decode, templateAnnotations } from "./harness/cluster";
import {
  StateExport,
  base64,
  dockerConfigDocument,
  isSecretInState,
  leaks,
  scanForLeaks,
} from "./harness/stateLeakScan";
import { KubeClient } from "./harness/kubeClient";
import {
  E2E_STACK,
  commitAll,
  copyProject,
  editStackFile,
  initE2eStack,
  stackFilePath,
} from "./harness/project";
import { CliResult, PulumiCli, e2eEnvironment } from "./harness/pulumiCli";
import { openRegistry } from "./harness/registry";

const e2e = e2eEnvironment();
const projectDir = join(e2e.workDir, "project");
const cli = new PulumiCli(projectDir, e2e, randomBytes(24).toString("hex"));
const kube = new KubeClient(e2e.server, e2e.token, () => readFileSync(e2e.caFile));
const NAMESPACE = "task-api-e2e";
const cluster = new AppCluster(kube, {
  namespace: NAMESPACE,
  app: "task-api",
  pullSecret: "ghcr-secret",
});
/** The runner's registry: its pull log, and its accounts, which a scenario changes as GHCR's. */
const appRegistry = openRegistry(e2e.registry);

/** Made up per run, so that finding one anywhere can only mean it leaked. */
const secretValue = (name: string) => `${name}-${randomBytes(12).toString("hex")}`;
const secrets: Record<string, string> = {
  DATABASE_PASSWORD: secretValue("e2e-db-password"),
  OPENAI_API_KEY: secretValue("sk-e2e"),
};
const REGISTRY_USER = "e2e-deploy";
let registryToken = `ghp_${randomBytes(18).toString("hex")}`;
/** Every value a scenario ever set, for the leak scans. */
const everySecret: string[] = [...Object.values(secrets), registryToken];

const stackArgs = ["--stack", E2E_STACK, "--non-interactive"];
const up = () => cli.ok(["up", "--yes", ...stackArgs]);
const preview = (...extra: string[]) => cli.run(["preview", ...stackArgs, ...extra]);
const setSecret = async (path: string, value: string) => {
  everySecret.push(value);
  await cli.ok(["config", "set", "--secret", "--path", path, value, "--stack", E2E_STACK]);
};

/** `pods will restart: yes|likely|no` from the offline diff of the working tree against HEAD. */
function offlineVerdict(): string {
  const output = offlineDiff();
  const verdict = /pods will restart: (yes|likely|no)/.exec(output)?.[1];
  if (!verdict) {
    throw new Error(`npm run diff printed no verdict:\n${output}`);
  }
  return verdict;
}

/** `npm run diff -- e2e --base HEAD` in the project: the working tree against its last commit. */
function offlineDiff(): string {
  const output = execFileSync(
    "npm",
    ["run", "--silent", "diff", "--", E2E_STACK, "--base", "HEAD"],
    {
      cwd: projectDir,
      env: cli.env,
      encoding: "utf8",
    },
  );
  cli.transcript.push(output);
  return output;
}

/** What a change did: the offline verdict before `pulumi up`, the ReplicaSets made by it. */
interface Observed {
  readonly verdict: string;
  readonly newReplicaSets: number;
  readonly preview: CliResult;
  /** The app's pods once the rollout is over (AppCluster.settledPods). */
  readonly pods: readonly PodObject[];
}

const uidsOf = (pods: readonly PodObject[]) => pods.map((pod) => pod.metadata.uid);

/** Makes a change, checks what `npm run diff` predicts and what `pulumi up` does, commits it. */
async function applyChange(
  description: string,
  change: () => Promise<void> | void,
): Promise<Observed> {
  const before = (await cluster.replicaSets()).length;
  const podsBefore = uidsOf(await cluster.settledPods());
  await change();
  const verdict = offlineVerdict();
  const previewed = await preview("--diff");
  expect(previewed.status).toBe(0);
  const updated = await up();
  const newReplicaSets = (await cluster.replicaSets()).length - before;
  const pods = await cluster.settledPods();
  const kept = pods.filter((pod) => podsBefore.includes(pod.metadata.uid)).length;
  commitAll(projectDir, description);
  summary.push(
    `${description}: npm run diff says "${verdict}", new ReplicaSets: ${newReplicaSets}; up ${updated.seconds.toFixed(1)} s; pods: ${podsBefore.length - kept} of ${podsBefore.length} replaced, ${pods.length} Ready`,
  );
  // Scenario 8: the offline verdict agrees with what the deployment controller did.
  expect({ description, restarts: verdict !== "no" }).toEqual({
    description,
    restarts: newReplicaSets > 0,
  });
  // And with what the pods did: a rollout replaces every one (each new pod Ready before an old one
  // goes, maxUnavailable 0), and no rollout leaves each running.
  expect({ description, kept }).toEqual({
    description,
    kept: newReplicaSets > 0 ? 0 : podsBefore.length,
  });
  return { verdict, newReplicaSets, preview: previewed, pods };
}

beforeAll(async () => {
  copyProject(projectDir);
  await initE2eStack(
    cli,
    {
      namespace: NAMESPACE,
      secrets,
      registryUser: REGISTRY_USER,
      registryToken,
    },
    appRegistry.accounts,
  );
  commitAll(projectDir, "the e2e stack");
});

afterAll(() => {
  process.stdout.write(
    `e2e: what was observed:\n${summary.map((line) => `  ${line}`).join("\n")}\n`,
  );
});
/** One line per observation, printed at the end for the record (docs/e2e.md). */
const summary: string[] = [];

test("the first pulumi up creates the namespace, ConfigMap, Secret, pull secret and Deployment, and the pods, admitted under Pod Security restricted, pull with the pull secret, run and are Ready", async () => {
  const result = await up();
  summary.push(`first up: ${result.seconds.toFixed(1)} s`);
  const { namespace, configMap, secret, pullSecret, deployment } = await cluster.objects();

  expect(namespace?.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  expect(configMap?.data).toMatchObject({
    LOG_LEVEL: "debug",
    DATABASE_PORT: "5432",
    MAX_TOKENS: "2048",
  });
  expect(secret?.type).toBe("Opaque");
  expect(
    Object.fromEntries(
      Object.entries(secret?.data ?? {}).map(([key, value]) => [key, decode(value)]),
    ),
  ).toEqual(secrets);
  expect(pullSecret?.type).toBe("kubernetes.io/dockerconfigjson");
  // The program runs in the project folder, where the host finds the plugins it needs: a file as
  // Pulumi.yaml's `main` would move it to that file's folder (pulumi/pulumi pkg/engine/project.go),
  // and `pulumi about` would list none.
  const about = JSON.parse((await cli.ok(["about", "--json", ...stackArgs])).stdout) as {
    plugins?: { name: string }[];
  };
  expect(about.plugins?.map((plugin) => plugin.name)).toEqual(
    expect.arrayContaining(["kubernetes", "random"]),
  );
  // index.ts's exports, as the host reads them from startup/engineMain.js.
  const outputs = JSON.parse(
    (await cli.ok(["stack", "output", "--json", ...stackArgs])).stdout,
  ) as Record<string, unknown>;
  // The whole list is tests/program/index.test.ts's business; here, that they arrive.
  expect(Object.keys(outputs)).toEqual(
    expect.arrayContaining(["configChecksum", "secretChecksum"]),
  );
  expect(outputs).toMatchObject({
    namespace: NAMESPACE,
    deploymentName: "task-api",
    configMapName: "task-api-config",
    secretName: "task-api-secrets",
    pullSecretName: "ghcr-secret",
  });
  const dockerConfig = JSON.parse(decode(pullSecret?.data?.[".dockerconfigjson"])) as {
    auths: Record<string, { auth: string }>;
  };
  expect(decode(dockerConfig.auths["ghcr.io"].auth)).toBe(`${REGISTRY_USER}:${registryToken}`);

  const template = deployment?.spec.template;
  expect(template?.spec.containers[0].envFrom).toEqual([
    { configMapRef: { name: "task-api-config" } },
    { secretRef: { name: "task-api-secrets" } },
  ]);
  expect(template?.spec.imagePullSecrets).toEqual([{ name: "ghcr-secret" }]);
  expect(Object.keys(template?.metadata?.annotations ?? {}).sort()).toEqual([
    "checksum/config",
    "checksum/secret",
  ]);

  // Only an admitted Pod exists; the up waited for the rollout, so they run and are Ready.
  const replicaSets = await cluster.replicaSets();
  expect(replicaSets).toHaveLength(1);
  const pods = await cluster.settledPods();
  expect(pods.map((pod) => pod.spec.nodeName)).toEqual([e2e.node.name, e2e.node.name]);
  // Pulled with the pull secret's login (containerd asks without credentials first, then with).
  const pulls = appRegistry.pulls().filter((pull) => pull.ref === "ghcr.io/acme/task-api:1.5.0");
  expect(pulls.filter((pull) => pull.status === 200).map((p) => `${p.username} ${p.auth}`)).toEqual(
    expect.arrayContaining([`${REGISTRY_USER} ok`]),
  );
  // What each container got, as the app reports it (task-api-testapp, GET /env): the ConfigMap's
  // and the Secret's values through envFrom and POD_NAME from the downward API. Compared, never
  // printed: a failure message must not hold the secrets.
  for (const pod of pods) {
    const response = await fetch(`http://${pod.status?.podIP}:8080/env`, {
      signal: AbortSignal.timeout(10_000),
    });
    const env = (await response.json()) as Record<string, string>;
    expect({
      LOG_LEVEL: env.LOG_LEVEL,
      DATABASE_HOST: env.DATABASE_HOST,
      POD_NAME: env.POD_NAME,
      secretsDelivered: Object.entries(secrets).every(([name, value]) => env[name] === value),
    }).toEqual({
      LOG_LEVEL: "debug",
      DATABASE_HOST: "db.task-api-e2e.internal",
      POD_NAME: pod.metadata.name,
      secretsDelivered: true,
    });
  }
  summary.push(
    `first up: 2 pods Running and Ready on node ${e2e.node.name}; the registry saw ${pulls.map((p) => `${p.username || "(none)"} ${p.auth} ${p.status}`).join(", ")} for 1.5.0; each pod's environment holds the config, the secrets and POD_NAME`,
  );
});

/** The current registry login, for the leak scan's needles. */
const registry = () => ({ server: "ghcr.io", username: REGISTRY_USER, token: registryToken });
/** Every registry login the run used, the rotated ones too. */
const everyLogin = () =>
  everySecret
    .filter((value) => value.startsWith("ghp_"))
    .map((token) => ({ server: "ghcr.io", username: REGISTRY_USER, token }));

test("no secret value, its base64, the dockerconfig auth or the checksum key is in the state, stack export, stack outputs, CLI output or stack file", async () => {
  const { keys, found, searched } = await scanForLeaks(cli, everySecret, everyLogin());
  expect(found).toEqual([]);
  summary.push(
    `leak scan after the first up: ${searched} files and outputs, ${found.length} found`,
  );

  // The scan can find what it looks for: the decrypted export holds the Secret's data, the pull
  // secret's document and the key, as the Kubernetes objects carry them (base64).
  const revealedExport = (
    await cli.ok(["stack", "export", "--show-secrets", "--stack", E2E_STACK], {
      revealsSecrets: true,
    })
  ).stdout;
  const carried = [
    ...Object.values(secrets).map(base64),
    base64(dockerConfigDocument(registry())),
    ...keys,
  ];
  expect(leaks({ revealedExport }, carried)).toHaveLength(carried.length);
});

test("a second pulumi preview --expect-no-changes passes: no perpetual diff", async () => {
  const result = await preview("--expect-no-changes");
  summary.push(`preview --expect-no-changes: ${result.seconds.toFixed(1)} s`);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
});

test("a changed secret value shows as secret in the preview, updates the Secret in place and rolls the pods once, checksum/config unchanged", async () => {
  const before = await cluster.objects();
  const newPassword = secretValue("e2e-db-password-2");
  const observed = await applyChange("rotate DATABASE_PASSWORD", () =>
    setSecret("secrets.DATABASE_PASSWORD", newPassword),
  );
  const after = await cluster.objects();

  const shown = observed.preview.stdout;
  expect(shown).toMatch(
    /~ kubernetes:core\/v1:Secret: \(update\)\s+\[id=task-api-e2e\/task-api-secrets\]/,
  );
  expect(shown).toMatch(/~ DATABASE_PASSWORD: \[secret\] => \[secret\]/);
  expect(shown).toMatch(/checksum\/secret\s*: "[0-9a-f]{64}" => "[0-9a-f]{64}"/);
  expect(shown).not.toMatch(/checksum\/config\s*: "[0-9a-f]{64}" =>/);
  expect(shown).not.toContain(newPassword);

  // The Deployment's spec stays readable in state: image and replicas are not secret.
  const state = JSON.parse(
    (await cli.ok(["stack", "export", "--stack", E2E_STACK])).stdout,
  ) as StateExport;
  const deploymentState = state.deployment.resources.find(
    (r) => r.type === "kubernetes:apps/v1:Deployment",
  );
  const spec = deploymentState?.inputs?.spec as
    { replicas?: number; template?: PodTemplate } | undefined;
  expect(isSecretInState(spec)).toBe(false);
  expect(spec?.replicas).toBe(2);
  expect(spec?.template?.spec.containers[0].image).toBe("ghcr.io/acme/task-api:1.5.0");

  expect(after.secret?.metadata.uid).toBe(before.secret?.metadata.uid);
  summary.push(`  secret uid ${after.secret?.metadata.uid} before and after`);
  expect(decode(after.secret?.data?.DATABASE_PASSWORD)).toBe(newPassword);
  expect(observed.newReplicaSets).toBe(1);
  expect(templateAnnotations(after)["checksum/config"]).toBe(
    templateAnnotations(before)["checksum/config"],
  );
  expect(templateAnnotations(after)["checksum/secret"]).not.toBe(
    templateAnnotations(before)["checksum/secret"],
  );
});

test("a changed config value updates the ConfigMap in place and rolls the pods once, checksum/secret unchanged", async () => {
  const before = await cluster.objects();
  const observed = await applyChange("LOG_LEVEL warn", () =>
    cli
      .ok(["config", "set", "--path", "task-api:config.LOG_LEVEL", "warn", "--stack", E2E_STACK])
      .then(() => undefined),
  );
  const after = await cluster.objects();

  expect(observed.preview.stdout).toMatch(/LOG_LEVEL\s*: "debug" => "warn"/);
  expect(after.configMap?.metadata.uid).toBe(before.configMap?.metadata.uid);
  summary.push(`  configMap uid ${after.configMap?.metadata.uid} before and after`);
  expect(after.configMap?.data?.LOG_LEVEL).toBe("warn");
  expect(observed.newReplicaSets).toBe(1);
  expect(templateAnnotations(after)["checksum/secret"]).toBe(
    templateAnnotations(before)["checksum/secret"],
  );
  expect(templateAnnotations(after)["checksum/config"]).not.toBe(
    templateAnnotations(before)["checksum/config"],
  );
});

test("a changed registry token updates the pull secret in place and rolls no pods", async () => {
  const before = await cluster.objects();
  const oldLogin = { username: REGISTRY_USER, password: registryToken };
  registryToken = `ghp_${randomBytes(18).toString("hex")}`;
  // GHCR: the new token works as soon as it is made, and the old one until it is revoked.
  appRegistry.accounts.add({ username: REGISTRY_USER, password: registryToken });
  const observed = await applyChange("new registry token", () =>
    setSecret("task-api:registryToken", registryToken),
  );
  const after = await cluster.objects();

  expect(after.pullSecret?.metadata.uid).toBe(before.pullSecret?.metadata.uid);
  summary.push(`  pullSecret uid ${after.pullSecret?.metadata.uid} before and after`);
  const dockerConfig = JSON.parse(decode(after.pullSecret?.data?.[".dockerconfigjson"])) as {
    auths: Record<string, { auth: string }>;
  };
  expect(decode(dockerConfig.auths["ghcr.io"].auth)).toBe(`${REGISTRY_USER}:${registryToken}`);
  expect(observed.newReplicaSets).toBe(0);
  expect(after.deployment?.spec.template).toEqual(before.deployment?.spec.template);
  // The rotation done: the old token revoked, so the next pull (a new tag) can only succeed with
  // the token the pull secret now holds.
  appRegistry.accounts.revoke(oldLogin);
  summary.push(
    `  the old token revoked; the registry's accounts: ${appRegistry.accounts.usernames().join(", ")}`,
  );
});

test("a new image tag rolls the pods once and leaves both checksums unchanged", async () => {
  const before = await cluster.objects();
  const observed = await applyChange("image 1.5.1", () =>
    cli
      .ok(["config", "set", "task-api:image", "ghcr.io/acme/task-api:1.5.1", "--stack", E2E_STACK])
      .then(() => undefined),
  );
  const after = await cluster.objects();

  expect(observed.preview.stdout).toMatch(
    /image\s*: "ghcr.io\/acme\/task-api:1.5.0" => "ghcr.io\/acme\/task-api:1.5.1"/,
  );
  expect(observed.newReplicaSets).toBe(1);
  expect(after.deployment?.spec.template.spec.containers[0].image).toBe(
    "ghcr.io/acme/task-api:1.5.1",
  );
  expect(observed.pods.map((pod) => pod.spec.containers[0].image)).toEqual([
    "ghcr.io/acme/task-api:1.5.1",
    "ghcr.io/acme/task-api:1.5.1",
  ]);
  // Pulled with the rotated token: the one before it was revoked, and a 401 for wrong credentials
  // would be logged as "wrong".
  const pulls = appRegistry.pulls().filter((pull) => pull.ref === "ghcr.io/acme/task-api:1.5.1");
  summary.push(
    `  the registry saw for 1.5.1: ${pulls.map((p) => `${p.username || "(none)"} ${p.auth} ${p.status}`).join(", ")}`,
  );
  expect(
    pulls.some((p) => p.username === REGISTRY_USER && p.auth === "ok" && p.status === 200),
  ).toBe(true);
  expect(pulls.filter((pull) => pull.auth === "wrong")).toEqual([]);
  expect(after.deployment?.spec.template.metadata?.annotations).toEqual(
    before.deployment?.spec.template.metadata?.annotations,
  );
});

test("reordered keys in the stack file, or another stack's settings changed, change nothing and roll no pods", async () => {
  const fingerprint = await cluster.fingerprint();
  const observed = await applyChange("keys reordered, staging edited", () => {
    editStackFile(projectDir, (config) => {
      const reversed = [...config.entries()].reverse();
      config.clear();
      for (const [key, value] of reversed) {
        const isMap =
          typeof value === "object" &&
          value !== null &&
          !Array.isArray(value) &&
          !("secure" in value);
        config.set(key, isMap ? Object.fromEntries(Object.entries(value).reverse()) : value);
      }
    });
    const staging = join(projectDir, "Pulumi.staging.yaml");
    writeFileSync(
      staging,
      readFileSync(staging, "utf8").replace("LOG_LEVEL: debug", "LOG_LEVEL: warn"),
    );
  });
  expect(await preview("--expect-no-changes").then((result) => result.status)).toBe(0);
  expect(observed.newReplicaSets).toBe(0);
  expect(await cluster.fingerprint()).toEqual(fingerprint);
});

/** Runs a bad `pulumi up`; checks that it failed with `message` and left the cluster as it was. */
async function expectRefused(message: RegExp): Promise<string> {
  const fingerprint = await cluster.fingerprint();
  const result = await cli.run(["up", "--yes", ...stackArgs]);
  const output = `${result.stdout}${result.stderr}`;
  expect(result.status).not.toBe(0);
  expect(output).toMatch(message);
  expect(output).toMatch(/nothing was deployed/);
  expect(await cluster.fingerprint()).toEqual(fingerprint);
  return output;
}

/** Puts the stack file back as it was and checks that the stack then has nothing to change. */
async function restoreStackFile(text: string): Promise<void> {
  writeFileSync(stackFilePath(projectDir), text);
  expect((await preview("--expect-no-changes")).status).toBe(0);
}

test("a new selector: npm run diff says the Deployment is replaced, every pod down at once, as the real preview plans it", async () => {
  const stackFile = readFileSync(stackFilePath(projectDir), "utf8");
  await cli.ok([
    "config",
    "set",
    "--path",
    "task-api:selectorLabels.app",
    "task-api",
    "--stack",
    E2E_STACK,
  ]);
  const diff = offlineDiff();
  const replaced = /^replaced: Deployment \S+ \(\.spec\.selector\): .*$/m.exec(diff)?.[0];
  expect(replaced).toMatch(/every pod is deleted at once/);
  const planned = await preview("--diff");
  expect(planned.status).toBe(0);
  // The engine's plan: the Deployment replaced, deleted first (its name is fixed), nothing else.
  expect(planned.stdout).toMatch(/\+-\s*kubernetes:apps\/v1:Deployment[^\n]*replace/);
  expect(planned.stdout).toMatch(/\b1 to replace\b/);
  summary.push(
    `selectorLabels set: npm run diff: "${replaced}"; pulumi preview: ${/\d+ to replace/.exec(planned.stdout)?.[0]}`,
  );
  await restoreStackFile(stackFile);
});

test("bad input (a plaintext secrets object): pulumi up fails with the program's message, the fix, and nothing in the cluster changes", async () => {
  const stackFile = readFileSync(stackFilePath(projectDir), "utf8");
  const plaintext = {
    DATABASE_PASSWORD: "plain-e2e-password-0123",
    OPENAI_API_KEY: "plain-e2e-key-4567",
  };
  editStackFile(projectDir, (config) => config.set("task-api:secrets", plaintext));
  const output = await expectRefused(/task-api:secrets: is stored in plaintext in the stack file/);
  expect(output).toContain(
    `fix: pulumi config rm task-api:secrets -s ${E2E_STACK} && pulumi config set --secret --path 'secrets.NAME'`,
  );
  expect(leaks({ output }, Object.values(plaintext))).toEqual([]);
  await restoreStackFile(stackFile);
});

test("bad input (one plaintext secret beside encrypted ones): pulumi up fails naming it, and the printed fix works", async () => {
  const stackFile = readFileSync(stackFilePath(projectDir), "utf8");
  const plaintext = "sk-plain-e2e-0123456789";
  // --plaintext: the CLI itself refuses a secret-looking value without --secret or --plaintext.
  await cli.ok([
    "config",
    "set",
    "--plaintext",
    "--path",
    "task-api:secrets.OPENAI_API_KEY",
    plaintext,
    "--stack",
    E2E_STACK,
  ]);
  const output = await expectRefused(
    /task-api:secrets\.OPENAI_API_KEY: is stored in plaintext in the stack file, beside encrypted secrets/,
  );
  expect(leaks({ output }, [plaintext])).toEqual([]);

  const fix = /fix: (pulumi config set --secret --path 'secrets\.OPENAI_API_KEY' -s e2e)$/m.exec(
    output,
  )?.[1];
  expect(fix).toBeDefined();
  // As a user would type it; pulumi reads the value from standard input when none is given.
  const rotated = secretValue("sk-e2e-rotated");
  everySecret.push(rotated);
  cli.transcript.push(
    execFileSync("sh", ["-c", fix ?? "false"], {
      cwd: projectDir,
      env: cli.env,
      input: rotated,
      encoding: "utf8",
    }),
  );
  expect(readFileSync(stackFilePath(projectDir), "utf8")).not.toContain(plaintext);
  expect((await preview()).status).toBe(0);
  await restoreStackFile(stackFile);
});

test("bad input (a missing required secret): pulumi up fails with the program's message and nothing in the cluster changes", async () => {
  const stackFile = readFileSync(stackFilePath(projectDir), "utf8");
  await cli.ok(["config", "rm", "--path", "task-api:secrets.OPENAI_API_KEY", "--stack", E2E_STACK]);
  const output = await expectRefused(/OPENAI_API_KEY/);
  expect(output).toMatch(/fix: pulumi config set --secret --path 'secrets\.OPENAI_API_KEY' -s e2e/);
  await restoreStackFile(stackFile);
});

test("bad input (an encrypted app name): no output of pulumi up holds the decrypted name, with or without a namespace, and the printed fix works", async () => {
  const stackFile = readFileSync(stackFilePath(projectDir), "utf8");
  const appName = secretValue("zq-app");
  everySecret.push(appName);
  await cli.ok(["config", "set", "--secret", "task-api:appName", appName, "--stack", E2E_STACK]);
  // No namespace: Pulumi.yaml declares it without a default, so the CLI refuses before the
  // program runs (the program's own suggestion, APP-STACK, is for stacks run otherwise).
  await cli.ok(["config", "rm", "task-api:namespace", "--stack", E2E_STACK]);
  const fingerprint = await cluster.fingerprint();
  const missing = await cli.run(["up", "--yes", ...stackArgs]);
  const cliOutput = `${missing.stdout}${missing.stderr}`;
  expect(missing.status).not.toBe(0);
  expect(cliOutput).toMatch(/missing configuration value 'task-api:namespace'/);
  expect(await cluster.fingerprint()).toEqual(fingerprint);
  const namespace = /task-api:namespace: (\S+)/.exec(stackFile)?.[1] ?? "";
  expect(namespace).not.toBe("");
  await cli.ok(["config", "set", "task-api:namespace", namespace, "--stack", E2E_STACK]);
  // With the namespace: the program refuses the encrypted name, naming the key only.
  const output = await expectRefused(
    /task-api:appName: is encrypted, but its values are not kept secret/,
  );
  expect(leaks({ output: `${cliOutput}${output}` }, [appName])).toEqual([]);
  const fix = /fix: (pulumi config set task-api:appName VALUE -s \S+)$/m.exec(output)?.[1];
  expect(fix).toBe(`pulumi config set task-api:appName VALUE -s ${E2E_STACK}`);
  await cli.ok((fix ?? "").replace("VALUE", "task-api").split(" ").slice(1));
  expect((await preview("--expect-no-changes")).status).toBe(0);
  summary.push(
    "an encrypted appName: without a namespace the CLI refuses, with one the program does; the decrypted name in neither output",
  );
  await restoreStackFile(stackFile);
});

test("after every scenario, no secret value or derivative is anywhere Pulumi wrote or printed", async () => {
  const { found, searched } = await scanForLeaks(cli, everySecret, everyLogin());
  expect(found).toEqual([]);
  summary.push(
    `final leak scan: ${everySecret.length} values set, ${searched} files and outputs, ${found.length} found`,
  );
});

// Issue 26 on the real CLI: the policy pack (policy/) as `pulumi preview --policy-pack` and
// `pulumi up --policy-pack` run it, and `pulumi policy analyze --file` on a stack export. A plain
// program of our own (e2e/fixtures/policyMistakes) makes each mistake; every violation must be
// reported at its resource and field, the mandatory ones must stop `up` before anything exists,
// and nothing the pack prints may hold a value. Then this repository's own program must pass.
// The pack is started as an executable analyzer (policy/analyzer): the language host built for
// the e2e cannot start a policy pack itself (docs/e2e.md, "The policy pack").

import { cpSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { KubeClient } from "./harness/kubeClient";
import { StateExport, base64, isSecretInState, leaks } from "./harness/stateLeakScan";
import { E2E_STACK, copyProject, initE2eStack } from "./harness/project";
import { CliResult, PulumiCli, e2eEnvironment } from "./harness/pulumiCli";
import { openRegistry } from "./harness/registry";
import { REPO_DIR } from "./harness/toolchain";

const e2e = e2eEnvironment();
const dir = join(e2e.workDir, "policy-pack");
const kube = new KubeClient(e2e.server, e2e.token, () => readFileSync(e2e.caFile));
const stackArgs = ["--stack", E2E_STACK, "--non-interactive"];
const summary: string[] = [];

/** Made up per run, in the shapes secretlint knows, so that finding one anywhere is a leak. */
const values = {
  paymentsKey: `sk_live_${randomBytes(12).toString("hex")}`,
  signingKey: `glpat-${randomBytes(10).toString("hex")}`,
  databasePassword: `pg-${randomBytes(12).toString("hex")}`,
};
const MISTAKES_NAMESPACE = "policy-mistakes";

/** A violation as the CLI prints it under "Policies:". */
interface PrintedViolation {
  readonly level: string;
  readonly policy: string;
  readonly resource: string;
  /** The message up to its first colon: the object and the field. */
  readonly at: string;
}

/**
 * The violations in a CLI output. Each is a line `- [LEVEL]  POLICY  (TYPE: NAME)`, then the
 * policy's description, then the message, in a "Policies:" section; `up` prints one section for
 * its preview and one for its update, with the same violations. A violation printed twice in one
 * section fails the test; the sections' violations are returned once each.
 */
function violationsIn(output: string): PrintedViolation[] {
  const found = new Set<string>();
  const pattern = /- \[(mandatory|advisory)\]\s+(\S+)\s+\((\S+): ([^)]+)\)\n.*\n\s*(.*)/g;
  for (const section of output.split("Policies:").slice(1)) {
    const inSection = [...section.matchAll(pattern)].map(([, level, policy, type, name, message]) =>
      JSON.stringify({ level, policy, resource: `${type} ${name}`, at: message.split(":")[0] }),
    );
    expect(inSection.filter((entry, index) => inSection.indexOf(entry) !== index)).toEqual([]);
    inSection.forEach((entry) => found.add(entry));
  }
  return [...found].sort().map((text) => JSON.parse(text) as PrintedViolation);
}

/** Violations in the order violationsIn gives them. */
function inPrintedOrder(violations: readonly PrintedViolation[]): PrintedViolation[] {
  return violations
    .map((violation) => JSON.stringify(violation))
    .sort()
    .map((text) => JSON.parse(text) as PrintedViolation);
}

const ANALYZER = join(REPO_DIR, "policy", "analyzer");
const withPack = (...args: string[]) => ["--policy-pack", ANALYZER, ...args];

/** What the mistakes program must get: every violation, at its resource and field. */
const DEPLOYMENT = "kubernetes:apps/v1:Deployment shop";
const POD = `Deployment "${MISTAKES_NAMESPACE}/shop" spec.template.spec`;
const EXPECTED: PrintedViolation[] = inPrintedOrder([
  {
    level: "mandatory",
    policy: "no-credential-in-plaintext",
    resource: "kubernetes:core/v1:ConfigMap settings",
    at: `ConfigMap "${MISTAKES_NAMESPACE}/settings" data.PAYMENTS_KEY`,
  },
  {
    level: "mandatory",
    policy: "no-credential-in-plaintext",
    resource: DEPLOYMENT,
    at: `${POD}.containers[0].env[0].value`,
  },
  {
    level: "mandatory",
    policy: "pull-secret-is-dockerconfigjson",
    resource: DEPLOYMENT,
    at: `${POD}.imagePullSecrets[0]`,
  },
  {
    level: "advisory",
    policy: "pods-roll-on-data-change",
    resource: DEPLOYMENT,
    at: `${POD}.containers[0].envFrom[0]`,
  },
  {
    level: "advisory",
    policy: "pods-roll-on-data-change",
    resource: DEPLOYMENT,
    at: `${POD}.volumes[0]`,
  },
  {
    level: "advisory",
    policy: "no-subpath-on-refreshed-volume",
    resource: DEPLOYMENT,
    at: `${POD}.containers[0].volumeMounts[0].subPath`,
  },
  ...["allowPrivilegeEscalation", "runAsNonRoot", "seccompProfile", "capabilities.drop"].map(
    (field) => ({
      level: "mandatory",
      policy: "pod-security-restricted",
      resource: DEPLOYMENT,
      at: `${POD}.containers[0].securityContext.${field}`,
    }),
  ),
]);

let mistakes: PulumiCli;
/** Every output of the pack's runs, for the leak scan. */
const packOutputs: Record<string, string> = {};

function record(name: string, result: CliResult): CliResult {
  packOutputs[name] = `${result.stdout}${result.stderr}`;
  summary.push(`${name}: exit ${result.status} after ${result.seconds.toFixed(1)} s`);
  return result;
}

beforeAll(async () => {
  const projectDir = join(dir, "mistakes");
  cpSync(join(__dirname, "fixtures", "policyMistakes"), projectDir, { recursive: true });
  symlinkSync(join(REPO_DIR, "node_modules"), join(projectDir, "node_modules"), "dir");
  mistakes = new PulumiCli(projectDir, e2e, randomBytes(24).toString("hex"));
  await mistakes.initStack(E2E_STACK);
  await mistakes.ok(["config", "set", "namespace", MISTAKES_NAMESPACE, "--stack", E2E_STACK]);
  // In plaintext, as a careless `pulumi config set` leaves them: the mistake the pack is for.
  for (const [key, value] of Object.entries(values)) {
    await mistakes.setPlain(key, value, ["--stack", E2E_STACK]);
  }
});

afterAll(async () => {
  await mistakes?.run(["destroy", "--yes", ...stackArgs]);
  process.stdout.write(
    `e2e policy pack: what was observed:\n${summary.map((l) => `  ${l}`).join("\n")}\n`,
  );
});

test("preview with the pack reports every mistake at its resource and field, and fails on the mandatory ones", async () => {
  const plain = record("preview without the pack", await mistakes.run(["preview", ...stackArgs]));
  expect(plain.status).toBe(0);
  const preview = record(
    "preview --policy-pack",
    await mistakes.run(["preview", ...stackArgs, ...withPack()]),
  );
  expect(preview.status).not.toBe(0);
  expect(violationsIn(preview.stdout)).toEqual(EXPECTED);
  summary.push(
    `preview --policy-pack printed:\n${preview.stdout.slice(preview.stdout.indexOf("Policies:"))}`,
  );
});

test("up with the pack stops at the mandatory violations before anything exists", async () => {
  const up = record(
    "up --policy-pack",
    await mistakes.run(["up", "--yes", ...stackArgs, ...withPack()]),
  );
  expect(up.status).not.toBe(0);
  expect(violationsIn(up.stdout)).toEqual(EXPECTED);
  expect(await kube.get(`/api/v1/namespaces/${MISTAKES_NAMESPACE}`)).toBeUndefined();
  const state = JSON.parse(
    (await mistakes.ok(["stack", "export", ...stackArgs])).stdout,
  ) as StateExport;
  expect(
    state.deployment.resources?.filter(({ type }) => type.startsWith("kubernetes:")) ?? [],
  ).toEqual([]);
});

test("with every policy made advisory in the pack config, up deploys; policy analyze on the export finds the same, and fails", async () => {
  const config = join(dir, "all-advisory.json");
  writeFileSync(config, JSON.stringify({ all: "advisory" }));
  const up = record(
    "up --policy-pack --policy-pack-config all-advisory",
    await mistakes.run(["up", "--yes", ...stackArgs, ...withPack("--policy-pack-config", config)]),
  );
  expect(up.status).toBe(0);
  expect(violationsIn(up.stdout)).toEqual(
    inPrintedOrder(EXPECTED.map((violation) => ({ ...violation, level: "advisory" }))),
  );
  expect(await kube.get(`/api/v1/namespaces/${MISTAKES_NAMESPACE}`)).toBeDefined();

  const exportFile = join(dir, "mistakes-export.json");
  await mistakes.ok(["stack", "export", "--file", exportFile, ...stackArgs]);
  const analyze = record(
    "policy analyze --file",
    await mistakes.run([
      "policy",
      "analyze",
      "--file",
      exportFile,
      "--non-interactive",
      ...withPack(),
    ]),
  );
  expect(analyze.status).not.toBe(0);
  expect(violationsIn(`${analyze.stdout}${analyze.stderr}`)).toEqual(EXPECTED);

  // What the pack cannot see, the provider makes moot: @pulumi/policy hands validation policies
  // every value unwrapped, so a policy cannot tell a secret from a plain value, but the Kubernetes
  // provider marks a Secret's data secret itself (its check turns stringData into data), so a
  // Secret made from plaintext config is still encrypted in state. The config stays plaintext in
  // the stack file: that is for `pulumi config` to refuse, not for a policy.
  const exported = readFileSync(exportFile, "utf8");
  const state = JSON.parse(exported) as StateExport;
  const database = state.deployment.resources.find(({ urn }) => urn.endsWith("::database"));
  expect(Object.keys(database?.inputs ?? {})).not.toContain("stringData");
  expect(isSecretInState(database?.inputs?.data)).toBe(true);
  expect(isSecretInState(database?.outputs?.data)).toBe(true);
  const password = values.databasePassword;
  expect(leaks({ "stack export": exported }, [password, base64(password)])).toEqual([]);
});

test("nothing the pack printed holds a value, or its base64", () => {
  const needles = Object.values(values).flatMap((value) => [value, base64(value)]);
  expect(Object.keys(packOutputs).length).toBeGreaterThanOrEqual(4);
  expect(leaks(packOutputs, needles)).toEqual([]);
});

test("this repository's own program passes the pack with no violation", async () => {
  const projectDir = join(dir, "project");
  copyProject(projectDir);
  const cli = new PulumiCli(projectDir, e2e, randomBytes(24).toString("hex"));
  await initE2eStack(
    cli,
    {
      namespace: "task-api-policy",
      secrets: {
        DATABASE_PASSWORD: `pg-${randomBytes(8).toString("hex")}`,
        OPENAI_API_KEY: `sk-${randomBytes(8).toString("hex")}`,
      },
      registryUser: "e2e-policy",
      registryToken: `ghp_${randomBytes(12).toString("hex")}`,
    },
    openRegistry(e2e.registry).accounts,
  );
  const plain = record(
    "task-api preview without the pack",
    await cli.run(["preview", ...stackArgs]),
  );
  expect(plain.status).toBe(0);
  const preview = record(
    "task-api preview --policy-pack",
    await cli.run(["preview", ...stackArgs, ...withPack()]),
  );
  expect(preview.status).toBe(0);
  expect(preview.stdout).toContain("task-api-kubernetes@v0.1.0");
  expect(violationsIn(preview.stdout)).toEqual([]);
});

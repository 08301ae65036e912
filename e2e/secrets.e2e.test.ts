// Issue 12 on the real engine and a real API server: secrets the program generates and rotates
// (task-api:generatedSecrets), and secrets delivered as files (task-api:secretFiles). Each change is made with the command docs/configuration.md gives,
// and every assertion reads the real cluster, the real state or the real CLI's output. This file
// starts its own cluster (e2e/harness/ownTestbed.ts; its pods run) and namespace.

import { createHash, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppCluster, decode, templateAnnotations } from "./harness/cluster";
import { KubeObject } from "./harness/kubeClient";
import { StateExport, isSecretInState, scanForLeaks } from "./harness/stateLeakScan";
import { OwnTestbed, startOwnTestbed } from "./harness/ownTestbed";
import { E2E_STACK } from "./harness/project";
import { PulumiCli, e2eEnvironment } from "./harness/pulumiCli";

const e2e = e2eEnvironment();
const NAMESPACE = "task-api-secrets";
const stackArgs = ["--stack", E2E_STACK, "--non-interactive"];
const secrets: Record<string, string> = {
  DATABASE_PASSWORD: `e2e-db-${randomBytes(8).toString("hex")}`,
  OPENAI_API_KEY: `sk-e2e-${randomBytes(8).toString("hex")}`,
};
const registryLogin = {
  server: "ghcr.io",
  username: "e2e-deploy",
  token: `ghp_${randomBytes(12).toString("hex")}`,
};
/** Every secret value this file set or saw generated: the leak scan's needles. */
const everySecret = [...Object.values(secrets), registryLogin.token];
let testbed: OwnTestbed | undefined;
let cli: PulumiCli;
let cluster: AppCluster;
const summary: string[] = [];

const up = () => cli.ok(["up", "--yes", ...stackArgs]);
/** docs/configuration.md, "Generated secrets": a plain value under generatedSecrets. */
const setGenerated = (path: string, value: string) =>
  cli.setPlain(`generatedSecrets.${path}`, value, stackArgs);

/** The app Secret's generated values, as the pods would read them. */
async function generatedValues(): Promise<Record<string, string>> {
  const data = (await cluster.objects()).secret?.data ?? {};
  const values = {
    WEBHOOK_SECRET: decode(data.WEBHOOK_SECRET),
    SESSION_KEY: decode(data.SESSION_KEY),
  };
  everySecret.push(...Object.values(values));
  return values;
}

/**
 * Runs `change`, then `up`; how many ReplicaSets the up made. With the rollout over, the pods
 * must say the same: every one replaced by a Ready one after a new ReplicaSet, each kept otherwise.
 */
async function newReplicaSets(change: () => Promise<unknown>): Promise<number> {
  const before = (await cluster.replicaSets()).length;
  const podsBefore = (await cluster.settledPods()).map((pod) => pod.metadata.uid);
  await change();
  await up();
  const made = (await cluster.replicaSets()).length - before;
  const kept = (await cluster.settledPods()).filter((pod) =>
    podsBefore.includes(pod.metadata.uid),
  ).length;
  expect(kept).toBe(made > 0 ? 0 : podsBefore.length);
  return made;
}

beforeAll(async () => {
  testbed = await startOwnTestbed(e2e, join(e2e.workDir, "secrets"), NAMESPACE, {
    secrets,
    registryUser: registryLogin.username,
    registryToken: registryLogin.token,
  });
  ({ cli, cluster } = testbed);
  await setGenerated("WEBHOOK_SECRET.length", "48");
  await setGenerated("SESSION_KEY.length", "64");
  await setGenerated("SESSION_KEY.rotation", "2027-01");
});

afterAll(async () => {
  process.stdout.write(
    `e2e secrets: what was observed:\n${summary.map((l) => `  ${l}`).join("\n")}\n`,
  );
  await testbed?.stop();
});

describe("generated secrets", () => {
  let first: Record<string, string>;

  test("land in the app's Secret, letters and digits of their length, and are secret in state with id none", async () => {
    await up();
    first = await generatedValues();
    expect(first.WEBHOOK_SECRET).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(first.SESSION_KEY).toMatch(/^[A-Za-z0-9]{64}$/);
    const objects = await cluster.objects();
    expect(Object.keys(objects.secret?.data ?? {}).sort()).toEqual([
      "DATABASE_PASSWORD",
      "OPENAI_API_KEY",
      "SESSION_KEY",
      "WEBHOOK_SECRET",
    ]);
    expect(objects.secret?.metadata.annotations?.["task-api/generated-secrets"]).toBe(
      '{"SESSION_KEY":{"length":64,"rotation":"2027-01"},"WEBHOOK_SECRET":{"length":48,"rotation":""}}',
    );
    const state = JSON.parse(
      (await cli.ok(["stack", "export", "--stack", E2E_STACK])).stdout,
    ) as StateExport;
    const passwords = state.deployment.resources.filter((r) => r.urn.includes("-generated-"));
    expect(passwords).toHaveLength(2);
    for (const password of passwords) {
      expect(password.id).toBe("none");
      expect(isSecretInState(password.outputs?.result)).toBe(true);
    }
    summary.push(
      `first up: Secret ${objects.secret?.metadata.uid} holds WEBHOOK_SECRET (48) and SESSION_KEY (64); both RandomPasswords secret in state, id "none"`,
    );
  });

  test("a second up keeps them, changing nothing", async () => {
    const preview = await cli.run(["preview", "--expect-no-changes", ...stackArgs]);
    expect(preview.status).toBe(0);
    const rolled = await newReplicaSets(() => Promise.resolve());
    expect(await generatedValues()).toEqual(first);
    expect(rolled).toBe(0);
    summary.push(
      `second up: preview --expect-no-changes exit 0; values kept; new ReplicaSets: ${rolled}`,
    );
  });

  test("a new rotation makes a new value of that secret only, and rolls the pods exactly once", async () => {
    const checksumBefore = templateAnnotations(await cluster.objects())["checksum/secret"];
    const preview = await cli.ok(["preview", "--diff", ...stackArgs]);
    expect(preview.stdout).not.toMatch(/replace/);
    const rolled = await newReplicaSets(async () => {
      await setGenerated("SESSION_KEY.rotation", "2027-07");
      // Each rotation has a RandomPassword of its own (components/AppSecret.ts): the new one is
      // made, the old one deleted, as no previous value is kept.
      const rotating = await cli.ok(["preview", "--diff", ...stackArgs]);
      expect(rotating.stdout).toMatch(
        /\+\s*random:index\/randomPassword:RandomPassword: \(create\)/,
      );
      expect(rotating.stdout).toMatch(
        /-\s*random:index\/randomPassword:RandomPassword: \(delete\)/,
      );
      expect(rotating.stdout).toContain('rotation: "2027-07"');
    });
    const after = await generatedValues();
    expect(after.SESSION_KEY).not.toBe(first.SESSION_KEY);
    expect(after.SESSION_KEY).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(after.WEBHOOK_SECRET).toBe(first.WEBHOOK_SECRET);
    expect(templateAnnotations(await cluster.objects())["checksum/secret"]).not.toBe(
      checksumBefore,
    );
    expect(rolled).toBe(1);
    const again = await newReplicaSets(() => Promise.resolve());
    expect(again).toBe(0);
    summary.push(
      `rotation 2027-01 -> 2027-07: SESSION_KEY new, WEBHOOK_SECRET kept; new ReplicaSets: ${rolled}, then ${again} on the next up`,
    );
    first = after;
  });

  test("a change of a typed secret keeps every generated value", async () => {
    const value = `e2e-db-rotated-${randomBytes(8).toString("hex")}`;
    everySecret.push(value);
    const rolled = await newReplicaSets(() =>
      cli.ok([
        "config",
        "set",
        "--secret",
        "--path",
        "secrets.DATABASE_PASSWORD",
        value,
        ...stackArgs,
      ]),
    );
    expect(await generatedValues()).toEqual(first);
    expect(decode((await cluster.objects()).secret?.data?.DATABASE_PASSWORD)).toBe(value);
    expect(rolled).toBe(1);
    summary.push(
      `typed DATABASE_PASSWORD changed: generated values kept; new ReplicaSets: ${rolled} (checksum/secret)`,
    );
  });
});

describe("rotation that logs nobody out (issue 25)", () => {
  /** Both session keys as the Secret holds them, and as a running pod's environment has them. */
  async function sessionKeys(): Promise<{
    secret: Record<string, string>;
    pod: Record<string, string>;
  }> {
    const data = (await cluster.objects()).secret?.data ?? {};
    const secret = Object.fromEntries(
      ["SESSION_KEY", "SESSION_KEY_PREVIOUS"]
        .filter((name) => name in data)
        .map((name) => [name, decode(data[name])]),
    );
    everySecret.push(...Object.values(secret));
    const [pod] = await cluster.settledPods();
    const env = await (testbed as OwnTestbed).envOf(pod.metadata.name);
    const inPod = Object.fromEntries(
      ["SESSION_KEY", "SESSION_KEY_PREVIOUS"]
        .filter((name) => env.has(name))
        .map((name) => [name, env.get(name) ?? ""]),
    );
    return { secret, pod: inPod };
  }
  const short = (value: string | undefined) =>
    value === undefined ? "none" : createHash("sha256").update(value).digest("hex").slice(0, 8);
  let current: string;

  test("rotate keeping the previous value: the pods get the new one as SESSION_KEY and the old as SESSION_KEY_PREVIOUS, in exactly one rollout", async () => {
    current = (await sessionKeys()).secret.SESSION_KEY;
    const rolled = await newReplicaSets(async () => {
      await setGenerated("SESSION_KEY.previousRotation", "2027-07");
      await setGenerated("SESSION_KEY.rotation", "2028-01");
    });
    const { secret, pod } = await sessionKeys();
    expect(secret.SESSION_KEY_PREVIOUS).toBe(current);
    expect(secret.SESSION_KEY).not.toBe(current);
    expect(secret.SESSION_KEY).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(pod).toEqual(secret);
    expect(rolled).toBe(1);
    summary.push(
      `rotate 2027-07 -> 2028-01 keeping the previous: SESSION_KEY ${short(current)} -> ${short(secret.SESSION_KEY)}, SESSION_KEY_PREVIOUS ${short(secret.SESSION_KEY_PREVIOUS)} (sha256 prefixes), the pods' the same; new ReplicaSets: ${rolled}`,
    );
    current = secret.SESSION_KEY;
  });

  test("an unrelated change keeps both values", async () => {
    const before = (await sessionKeys()).secret;
    const rolled = await newReplicaSets(() =>
      cli.ok(["config", "set", "--path", "config.LOG_LEVEL", "warn", ...stackArgs]),
    );
    const { secret, pod } = await sessionKeys();
    expect(secret).toEqual(before);
    expect(pod).toEqual(before);
    summary.push(
      `LOG_LEVEL changed: both session keys kept; new ReplicaSets: ${rolled} (checksum/config)`,
    );
  });

  test("retire: the previous value is dropped in exactly one rollout, the current one kept", async () => {
    const rolled = await newReplicaSets(() =>
      cli.ok([
        "config",
        "rm",
        "--path",
        "generatedSecrets.SESSION_KEY.previousRotation",
        ...stackArgs,
      ]),
    );
    const { secret, pod } = await sessionKeys();
    expect(secret).toEqual({ SESSION_KEY: current });
    expect(pod).toEqual({ SESSION_KEY: current });
    expect(rolled).toBe(1);
    summary.push(
      `retire: SESSION_KEY_PREVIOUS gone from the Secret and the pods, SESSION_KEY ${short(current)} kept; new ReplicaSets: ${rolled}`,
    );
  });
});

test("a stack made before each rotation had a password of its own keeps every generated value on upgrade, and rolls nothing", async () => {
  // The program before issue 25: one password per secret, named without its rotation.
  const file = join(cli.projectDir, "components/AppSecret.ts");
  const current = readFileSync(file, "utf8");
  const named = 'rotation === "" ? unrotated : `${unrotated}@${rotationSlug(rotation)}`';
  expect(current).toContain(named);
  writeFileSync(file, current.replace(named, "unrotated"));
  await up();
  const before = await generatedValues();
  const passwordNames = async () =>
    (
      JSON.parse((await cli.ok(["stack", "export", "--stack", E2E_STACK])).stdout) as StateExport
    ).deployment.resources
      .filter((r) => r.urn.includes("-generated-"))
      .map((r) => r.urn.split("::").pop())
      .sort();
  expect(await passwordNames()).toEqual([
    "task-api-secrets-generated-SESSION_KEY",
    "task-api-secrets-generated-WEBHOOK_SECRET",
  ]);
  writeFileSync(file, current);
  const preview = await cli.ok(["preview", "--diff", ...stackArgs]);
  expect(preview.stdout).not.toMatch(/RandomPassword: \((create|delete|replace)\)/);
  const rolled = await newReplicaSets(() => Promise.resolve());
  expect(await generatedValues()).toEqual(before);
  expect(rolled).toBe(0);
  expect(await passwordNames()).toEqual([
    "task-api-secrets-generated-SESSION_KEY@2028-01",
    "task-api-secrets-generated-WEBHOOK_SECRET",
  ]);
  summary.push(
    `upgrade from one password per secret: SESSION_KEY's password renamed to ...SESSION_KEY@2028-01 by its alias; values kept; new ReplicaSets: ${rolled}`,
  );
});

/** The certificates of the unit tests (tests/fixtures/tls/, P-256, valid until 2126). */
const pair = (name: string) => ({
  crt: readFileSync(join(__dirname, "..", "tests", "fixtures", "tls", `${name}.crt`), "utf8"),
  key: readFileSync(join(__dirname, "..", "tests", "fixtures", "tls", `${name}.key`), "utf8"),
});
const TLS_A = pair("a");
const TLS_B = pair("b");
const fileContents = [TLS_A.crt, TLS_A.key, TLS_B.crt, TLS_B.key];

/** docs/configuration.md, "Secrets as files": each file from stdin, encrypted, byte for byte. */
async function setTlsFiles(tls: { crt: string; key: string }): Promise<void> {
  for (const [file, content] of [
    ["tls.crt", tls.crt],
    ["tls.key", tls.key],
  ]) {
    const path = `secretFileContents.tls["${file}"]`;
    await cli.ok(["config", "set", "--secret", "--raw", "--path", path, ...stackArgs], {
      input: content,
    });
  }
}

interface FileSecret extends KubeObject {
  readonly type: string;
  readonly data: Record<string, string>;
}
const tlsSecret = () =>
  cluster.client.get<FileSecret>(`/api/v1/namespaces/${NAMESPACE}/secrets/task-api-files-tls`);

describe("secret files", () => {
  test("a TLS set becomes a kubernetes.io/tls Secret, mounted read-only and whole with mode 0440", async () => {
    const rolled = await newReplicaSets(async () => {
      await cli.setPlain("secretFiles.tls.type", "kubernetes.io/tls", stackArgs);
      await cli.setPlain("secretFiles.tls.mountPath", "/etc/tls", stackArgs);
      await setTlsFiles(TLS_A);
    });
    const secret = await tlsSecret();
    expect(secret?.type).toBe("kubernetes.io/tls");
    expect(Object.keys(secret?.data ?? {}).sort()).toEqual(["tls.crt", "tls.key"]);
    expect(decode(secret?.data["tls.crt"])).toBe(TLS_A.crt);
    expect(decode(secret?.data["tls.key"])).toBe(TLS_A.key);
    const pod = (await cluster.objects()).deployment?.spec.template.spec as unknown as {
      volumes: { name: string; secret?: { secretName: string; defaultMode: number } }[];
      containers: {
        volumeMounts: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
      }[];
    };
    expect(pod.volumes.find((v) => v.name === "files-tls")?.secret).toEqual({
      secretName: "task-api-files-tls",
      defaultMode: 0o440,
    });
    expect(pod.containers[0].volumeMounts.find((m) => m.name === "files-tls")).toEqual({
      name: "files-tls",
      mountPath: "/etc/tls",
      readOnly: true,
    });
    // The namespace enforces Pod Security "restricted": the controller's pods were admitted, and
    // run Ready with the volume mounted (newReplicaSets waited for them).
    expect((await cluster.settledPods()).length).toBe(2);
    expect(rolled).toBe(1);
    summary.push(
      `TLS set added: Secret ${secret?.metadata.uid} type ${secret?.type}, keys tls.crt tls.key; volume defaultMode ${pod.volumes.find((v) => v.name === "files-tls")?.secret?.defaultMode} (0440), mount read-only, no subPath; pods admitted under restricted and Ready with it mounted; new ReplicaSets: ${rolled} (a new volume is a new template)`,
    );
  });

  test("new content without restartOnChange updates the Secret in place and rolls nothing", async () => {
    const before = await tlsSecret();
    const rolled = await newReplicaSets(() => setTlsFiles(TLS_B));
    const after = await tlsSecret();
    expect(after?.metadata.uid).toBe(before?.metadata.uid);
    expect(decode(after?.data["tls.crt"])).toBe(TLS_B.crt);
    expect(rolled).toBe(0);
    summary.push(
      `content A -> B, restartOnChange unset: Secret updated in place (uid kept, resourceVersion ${before?.metadata.resourceVersion} -> ${after?.metadata.resourceVersion}); new ReplicaSets: ${rolled}`,
    );
  });

  test("with restartOnChange, new content rolls the pods exactly once", async () => {
    const turnedOn = await newReplicaSets(() =>
      cli.setPlain("secretFiles.tls.restartOnChange", "true", stackArgs),
    );
    expect(templateAnnotations(await cluster.objects())["checksum/files-tls"]).toMatch(
      /^[0-9a-f]{64}$/,
    );
    const rolled = await newReplicaSets(() => setTlsFiles(TLS_A));
    const again = await newReplicaSets(() => Promise.resolve());
    expect(decode((await tlsSecret())?.data["tls.key"])).toBe(TLS_A.key);
    expect(turnedOn).toBe(1);
    expect(rolled).toBe(1);
    expect(again).toBe(0);
    summary.push(
      `restartOnChange turned on: new ReplicaSets ${turnedOn} (checksum/files-tls added); content B -> A: ${rolled}; next up: ${again}`,
    );
  });
});

test("no generated value, file content or anything set appears in state, history, outputs, stack file or CLI output", async () => {
  const { searched, found } = await scanForLeaks(
    cli,
    [...everySecret, ...fileContents],
    [registryLogin],
  );
  expect(searched).toBeGreaterThan(5);
  expect(found).toEqual([]);
  summary.push(
    `leak scan: ${new Set(everySecret).size} values and ${fileContents.length} file contents (each also as base64), ${searched} files and outputs, ${found.length} found`,
  );
});

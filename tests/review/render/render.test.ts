// The offline render (`npm run render`): index.ts run under the mock runtime with placeholder
// secrets, written as one manifest per Kubernetes object.

import { getKubernetesClusterOutput } from "@pulumi/digitalocean/getKubernetesCluster";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { configChecksum, secretChecksum } from "../../../lib/checksum";
import { dockerConfigJson } from "../../../lib/dockerConfig";
import { RegisteredResource } from "../../../review/engine/mockRuntime";
import { withPlaceholderSecrets } from "../../../review/engine/offlineConfig";
import {
  DOKS_LOOKUP,
  PROJECT_DIR,
  RANDOM_PASSWORD,
  RANDOM_SEED,
  SECRET_PLACEHOLDER,
  docrCredentialsFor,
  randomPasswordFor,
} from "../../../review/engine/programFacts";
import {
  SUMMARY_FILE,
  renderResources,
  placeholderNotice,
  renderStack,
  runStackOffline,
  writeRendering,
} from "../../../review/render/render";
import { diffRenderings, formatRenderDiff } from "../../../review/diff/renderDiff";
import { secretChecksumPlaceholder } from "../../../review/render/secretChecksumPlaceholder";
import { InvalidConfigError } from "../../../lib/problems";
import { readStackFile } from "../../../lib/config/stackFile";
import { listStacks, readProjectDefaults } from "../../../review/engine/stackFiles";
import { npmRun, succeeded } from "../../support/scriptProcesses";
import {
  copyProject,
  projectWith,
  removeTempDirs,
  renderWith,
  tempDir,
} from "../../support/offline";
import {
  STACK_FIXTURES,
  TEST_REGISTRY_TOKEN,
  TEST_SECRETS,
  jestProgramLoader,
  testSecretsFor,
} from "../../support/program";
import { nonEmpty } from "../../support/nonEmpty";

afterAll(removeTempDirs);

const STACKS = listStacks(STACK_FIXTURES);
const knownValues = (ciphertext: string) => ciphertext;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes JSON
type Obj = Record<string, any>;

function readDir(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((file) => [file, readFileSync(join(dir, file), "utf8")]),
  );
}

function manifest(files: Readonly<Record<string, string>>, file: string): Obj {
  return parse(files[file]) as Obj;
}

/** The pull secret each fixture stack renders: GHCR for staging, DigitalOcean for production. */
const PULL_SECRET: Record<string, string> = { staging: "ghcr-secret", production: "docr-secret" };

describe.each(STACKS)("stack %s", (stack) => {
  test("writes one manifest per Kubernetes object, named kind.namespace.name.yaml, and a summary", async () => {
    const { files } = await renderWith(stack);
    const namespace = `task-api-${stack}`;
    expect(Object.keys(files)).toEqual([
      `configmap.${namespace}.task-api-config.yaml`,
      `deployment.${namespace}.task-api.yaml`,
      `namespace.${namespace}.yaml`,
      `secret.${namespace}.${PULL_SECRET[stack]}.yaml`,
      `secret.${namespace}.task-api-secrets.yaml`,
      SUMMARY_FILE,
    ]);
    expect(manifest(files, `deployment.${namespace}.task-api.yaml`)).toMatchObject({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "task-api", namespace },
    });
  });

  test("leaves no secret, placeholder, credential, secret HMAC or base64 of any in the rendered files", async () => {
    const docrCredentials = docrCredentialsFor("acme");
    const docrAuth = (JSON.parse(docrCredentials) as { auths: Record<string, { auth: string }> })
      .auths["registry.digitalocean.com"].auth;
    const needles = [
      ...Object.values(TEST_SECRETS),
      TEST_REGISTRY_TOKEN,
      SECRET_PLACEHOLDER,
      `acme-deploy:${TEST_REGISTRY_TOKEN}`,
      `acme-deploy:${SECRET_PLACEHOLDER}`,
      ...[TEST_REGISTRY_TOKEN, SECRET_PLACEHOLDER].map((password) =>
        dockerConfigJson({ server: "ghcr.io", username: "acme-deploy", password }),
      ),
      // What the mocked DigitalOcean provider returns for production's registry.
      docrCredentials,
      docrAuth,
      Buffer.from(docrAuth, "base64").toString(),
    ];
    const placeholders = Object.fromEntries(
      Object.keys(TEST_SECRETS).map((name) => [name, SECRET_PLACEHOLDER]),
    );
    // Test secrets given as secure values twice: decrypted to known values that flow through the
    // program, and left encrypted as `npm run render` leaves them (the ciphertext must not show).
    for (const [decrypt, secretValues] of [
      [knownValues, TEST_SECRETS],
      [undefined, placeholders],
    ] as const) {
      const run = await runStackOffline({
        projectDir: projectWith(stack, testSecretsFor(stack)),
        stack,
        decrypt,
        load: jestProgramLoader,
      });
      // The HMAC the program computes under the render's fixed key: a derivative of the secrets
      // (anyone with the key, which is in this repository, can test guesses against it).
      const keyResource = run.mocks.single(RANDOM_PASSWORD);
      const key = randomPasswordFor(RANDOM_SEED, keyResource.name, keyResource.inputs.length);
      const hmac = secretChecksum(key, "Opaque", secretValues);
      const deployment = run.mocks.single("kubernetes:apps/v1:Deployment");
      expect(deployment.inputs.spec.template.metadata.annotations["checksum/secret"]).toBe(hmac);

      const dir = tempDir();
      writeRendering(await renderResources(run.mocks.resources, run.mocks.calls), dir);
      const files = readDir(dir);
      expect(Object.keys(files)).toHaveLength(6);
      for (const needle of [...needles, hmac].flatMap((value) => [
        value,
        Buffer.from(value).toString("base64"),
      ])) {
        for (const [file, content] of nonEmpty(Object.entries(files))) {
          expect({ file, leaks: content.includes(needle) }).toEqual({ file, leaks: false });
        }
      }
    }
  });

  test("shows every secret value as [secret], keeping the names of a Secret's keys", async () => {
    const { files } = await renderWith(stack);
    const secrets = manifest(files, `secret.task-api-${stack}.task-api-secrets.yaml`);
    expect(secrets.data).toEqual({ DATABASE_PASSWORD: "[secret]", OPENAI_API_KEY: "[secret]" });
    const pull = manifest(files, `secret.task-api-${stack}.${PULL_SECRET[stack]}.yaml`);
    expect(pull.type).toBe("kubernetes.io/dockerconfigjson");
    expect(pull.data).toEqual({ ".dockerconfigjson": "[secret]" });
    expect(parse(files[SUMMARY_FILE])).toMatchObject({
      secretProperties: [
        `Secret task-api-${stack}/${PULL_SECRET[stack]}: data`,
        `Secret task-api-${stack}/task-api-secrets: data`,
        // The DOKS kubeconfig the program looks up is secret too.
        "pulumi:providers:kubernetes kubernetes: kubeconfig",
      ],
    });
  });

  test("shows the real checksum/config and a marked checksum/secret made from the secret key names", async () => {
    const { files } = await renderWith(stack);
    const configMap = manifest(files, `configmap.task-api-${stack}.task-api-config.yaml`);
    const deployment = manifest(files, `deployment.task-api-${stack}.task-api.yaml`);
    expect(deployment.spec.template.metadata.annotations).toEqual({
      "checksum/config": configChecksum(configMap.data),
      "checksum/secret": secretChecksumPlaceholder(["DATABASE_PASSWORD", "OPENAI_API_KEY"]),
    });
  });
});

test("renders the same bytes in a process of its own, npm run render, as in this one", async () => {
  const [project, command, inProcess] = [copyProject(), tempDir(), tempDir()];
  succeeded(npmRun(project, "render", "--", "staging", "--out", command));
  writeRendering(
    await renderStack({ projectDir: project, stack: "staging", load: jestProgramLoader }),
    inProcess,
  );
  expect(Object.keys(readDir(command))).toHaveLength(6);
  expect(readDir(command)).toEqual(readDir(inProcess));
}, 60000);

test("the secret checksum placeholder changes with the set of key names, not their order", () => {
  const placeholder = secretChecksumPlaceholder(["A", "B"]);
  expect(placeholder).toMatch(/^\[secret-checksum:[0-9a-f]{16}\]$/);
  expect(secretChecksumPlaceholder(["B", "A"])).toBe(placeholder);
  expect(secretChecksumPlaceholder(["A", "B", "C"])).not.toBe(placeholder);
  expect(secretChecksumPlaceholder(["A"])).not.toBe(placeholder);
});

test("fails with the program's own message when the config is invalid", async () => {
  const error = await renderWith("staging", {
    "task-api:image": "ghcr.io/acme/task-api:latest",
  }).catch((e: unknown) => e);
  expect(pulumi.RunError.isInstance(error)).toBe(true);
  expect(InvalidConfigError.isInstance(error)).toBe(true);
  expect((error as Error).message).toContain('uses the tag "latest"');
});

test("adds no placeholder beside a secret stored in plaintext, so the program still refuses it", async () => {
  const plaintext = { "task-api:secrets": { DATABASE_PASSWORD: "in-the-clear" } };
  const values = withPlaceholderSecrets(readProjectDefaults(PROJECT_DIR), {
    ...readStackFile(STACK_FIXTURES, "staging"),
    ...plaintext,
  });
  expect(values["task-api:secrets"]).toEqual(plaintext["task-api:secrets"]);
  const error = await renderWith("staging", plaintext).catch((e: unknown) => e);
  expect(InvalidConfigError.isInstance(error)).toBe(true);
  expect((error as Error).message).toContain("plaintext");
  expect((error as Error).message).not.toContain("in-the-clear");
});

test("supplies a secret placeholder for each missing required secret and the registry token", () => {
  const values = withPlaceholderSecrets(
    readProjectDefaults(PROJECT_DIR),
    readStackFile(STACK_FIXTURES, "staging"),
  );
  const placeholder = { secure: SECRET_PLACEHOLDER };
  expect(values["task-api:secrets"]).toEqual({
    DATABASE_PASSWORD: placeholder,
    OPENAI_API_KEY: placeholder,
  });
  expect(values["task-api:registryToken"]).toEqual(placeholder);
});

test("says which secrets it shows as placeholders and that pulumi up would fail, and nothing once all are set", async () => {
  const unset = await renderStack({
    projectDir: projectWith("staging"),
    stack: "staging",
    load: jestProgramLoader,
  });
  expect(unset.placeholders).toEqual([
    "task-api:secrets.DATABASE_PASSWORD",
    "task-api:secrets.OPENAI_API_KEY",
    "task-api:registryToken",
  ]);
  expect(placeholderNotice(unset, "staging")).toContain(
    "task-api:secrets.DATABASE_PASSWORD, task-api:secrets.OPENAI_API_KEY, task-api:registryToken; `pulumi up -s staging` fails until each is set",
  );
  const set = await renderStack({
    projectDir: projectWith("staging", testSecretsFor("staging")),
    stack: "staging",
    load: jestProgramLoader,
  });
  expect(set.placeholders).toEqual([]);
  expect(placeholderNotice(set, "staging")).toBe("");
});

test("refuses a manifest that does not match the Kubernetes schema, naming the field", async () => {
  const broken: RegisteredResource = {
    type: "kubernetes:apps/v1:Deployment",
    name: "broken",
    custom: true,
    inputs: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "broken", namespace: "ns" },
      spec: { selector: {}, template: { spec: { containers: [{ image: "x:1" }] } } },
    },
  };
  await expect(renderResources([broken])).rejects.toThrow(
    /deployment\.ns\.broken\.yaml: Deployment ns\/broken: \/spec\/template\/spec\/containers\/0 must have required property name/,
  );
});

test("renders a stack on another DOKS cluster without credentials: the lookup names it, the kubeconfig stays hidden", async () => {
  // Staging is on task-api-staging already; another name shows that the render follows the config.
  const staging = await renderWith("staging");
  const other = await renderWith("staging", { "task-api:cluster": { doks: "task-api-other" } });
  const summary = parse(other.files[SUMMARY_FILE]) as Obj;
  expect(summary.invokes).toEqual([
    {
      token: DOKS_LOOKUP,
      inputs: { name: "task-api-other" },
    },
  ]);
  expect(summary.resources).toContainEqual({
    type: "pulumi:providers:kubernetes",
    name: "kubernetes",
    inputs: { enableConfigMapMutable: "true", enableSecretMutable: "true", kubeconfig: "[secret]" },
  });
  expect(summary.secretProperties).toContain("pulumi:providers:kubernetes kubernetes: kubeconfig");
  for (const content of nonEmpty(Object.values(other.files))) {
    expect(content).not.toContain(SECRET_PLACEHOLDER);
  }
  const output = formatRenderDiff(diffRenderings(staging, other));
  expect(output).toContain("-      name: task-api-staging\n+      name: task-api-other\n");
  expect(output).toContain(
    "pods will restart: yes (target cluster changed: doks task-api-staging -> doks task-api-other)",
  );
});

test("answers the DOKS lookup with a placeholder id, endpoint and CA from which a kubeconfig can be built", async () => {
  // A program that, like one building an exec-plugin kubeconfig, reads the non-secret fields.
  const load = () => {
    const cluster = getKubernetesClusterOutput({ name: "task-api-other" });
    new corev1.ConfigMap("cluster", {
      metadata: { name: "cluster", namespace: "ns" },
      data: {
        id: cluster.id,
        endpoint: cluster.endpoint,
        ca: cluster.kubeConfigs.apply((configs) => configs[0].clusterCaCertificate),
      },
    });
    return {};
  };
  const { objects } = await renderStack({
    projectDir: projectWith("staging"),
    stack: "staging",
    load,
  });
  const data = (objects.find((o) => o.kind === "ConfigMap") as Obj).data;
  expect(data).toEqual({
    id: "offline-task-api-other",
    endpoint: "https://task-api-other.k8s.ondigitalocean.invalid",
    ca: Buffer.from("offline CA certificate of task-api-other").toString("base64"),
  });
});

test("replaces the files of an earlier render and never deletes a file it did not write", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "Pulumi.staging.yaml"), "config: {}\n");
  writeFileSync(join(dir, "deployment.gone.old.yaml"), "# Rendered offline by `npm run render`\n");
  writeRendering(await renderWith("staging"), dir);
  const files = Object.keys(readDir(dir));
  expect(files).toContain("Pulumi.staging.yaml");
  expect(files).not.toContain("deployment.gone.old.yaml");
  expect(files).toHaveLength(7);
});

test("refuses what check:stacks refuses, with the program's problems, even where the program cannot see it", async () => {
  // Offline, DIGITALOCEAN_TOKEN is set, so the program never looks at digitalocean:token.
  const token = `dop_v1_${"5a".repeat(32)}`;
  const error = await renderWith("staging", { "digitalocean:token": token }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(InvalidConfigError.isInstance(error)).toBe(true);
  const message = String((error as Error).message);
  expect(message).toContain("digitalocean:token");
  expect(message).not.toContain(token);
});

test("never writes through a symlink: one planted among its files, or the directory itself", async () => {
  const rendering = await renderWith("staging");
  const [firstFile] = nonEmpty(Object.keys(rendering.files));
  const dir = tempDir();
  const target = join(tempDir(), "elsewhere.txt");
  writeFileSync(target, "not the render's\n");
  symlinkSync(target, join(dir, firstFile));
  expect(() => writeRendering(rendering, dir)).toThrow(`${join(dir, firstFile)} is in the way`);
  expect(readFileSync(target, "utf8")).toBe("not the render's\n");

  const linked = join(tempDir(), "out");
  symlinkSync(tempDir(), linked, "dir");
  expect(() => writeRendering(rendering, linked)).toThrow(`${linked} is a symlink`);
});

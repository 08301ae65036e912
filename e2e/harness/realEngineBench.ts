// npm run e2e:bench: what our program costs under the real engine. Times `pulumi preview` (nothing
// to change) and `pulumi up` (one config value changed) of the e2e stack against a program that
// registers the very same Kubernetes objects, read back from the cluster after our first `up`, as
// plain @pulumi/kubernetes resources: no components, no validation, no random checksum key. The two
// alternate run by run (A B A B ...) so that a busy moment on the machine hits both.

import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { E2E_CONTEXT } from "./controlPlane";
import { KubeClient, KubeObject } from "./kubeClient";
import { E2E_STACK, copyProject, editStackFile, initE2eStack } from "./project";
import { E2eEnvironment, PulumiCli } from "./pulumiCli";
import { openRegistry } from "./registry";
import { REPO_DIR } from "./toolchain";

const REPETITIONS = 3;
const OURS_NAMESPACE = "bench-ours";
const PLAIN_NAMESPACE = "bench-plain";

/**
 * The plain program: each object as it is, the ConfigMap's LOG_LEVEL and its checksum from config.
 * It imports the API groups' modules, as ours does (eslint.config.mjs), so both load the same SDK.
 */
const PLAIN_PROGRAM = `import * as appsv1 from "@pulumi/kubernetes/apps/v1";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

const objects = JSON.parse(readFileSync(\`\${__dirname}/objects.json\`, "utf8"));
const logLevel = new pulumi.Config().require("logLevel");
const provider = new Provider("kubernetes", {
  context: "${E2E_CONTEXT}",
  enableSecretMutable: true,
  enableConfigMapMutable: true,
});
const configMap = objects.find((o: any) => o.kind === "ConfigMap");
configMap.data.LOG_LEVEL = logLevel;
const configChecksum = createHash("sha256").update(JSON.stringify(configMap.data)).digest("hex");
for (const object of objects) {
  const opts = { provider };
  const name = object.metadata.name;
  switch (object.kind) {
    case "Namespace":
      new corev1.Namespace(name, object, opts);
      break;
    case "ConfigMap":
      new corev1.ConfigMap(name, object, opts);
      break;
    case "Secret":
      new corev1.Secret(name, { ...object, data: pulumi.secret(object.data) }, opts);
      break;
    case "Deployment":
      object.spec.template.metadata.annotations["checksum/config"] = configChecksum;
      new appsv1.Deployment(name, object, opts);
      break;
  }
}
`;

/** A live object as a manifest to create again: what its creator set, in another namespace. */
function asManifest(object: KubeObject, apiVersion: string, kind: string): Record<string, unknown> {
  const { metadata, ...rest } = object as KubeObject & { status?: unknown };
  delete rest.status;
  // What the API server and controllers added; the program set none of these.
  const labels = Object.fromEntries(
    Object.entries(metadata.labels ?? {}).filter(([key]) => key !== "kubernetes.io/metadata.name"),
  );
  const annotations = Object.fromEntries(
    Object.entries(metadata.annotations ?? {}).filter(
      ([key]) => !key.startsWith("deployment.kubernetes.io/"),
    ),
  );
  return {
    ...rest,
    apiVersion,
    kind,
    metadata: {
      name: kind === "Namespace" ? PLAIN_NAMESPACE : metadata.name,
      ...(kind === "Namespace" ? {} : { namespace: PLAIN_NAMESPACE }),
      // Empty maps left out: the provider drops them, and an empty one would diff forever.
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
  };
}

async function plainObjects(client: KubeClient): Promise<Record<string, unknown>[]> {
  const ns = `/api/v1/namespaces/${OURS_NAMESPACE}`;
  const get = async (path: string) => {
    const found = await client.get(path);
    if (!found) {
      throw new Error(`e2e:bench: ${path} is missing after our first up`);
    }
    return found;
  };
  return [
    asManifest(await get(ns), "v1", "Namespace"),
    asManifest(await get(`${ns}/configmaps/task-api-config`), "v1", "ConfigMap"),
    asManifest(await get(`${ns}/secrets/task-api-secrets`), "v1", "Secret"),
    asManifest(await get(`${ns}/secrets/ghcr-secret`), "v1", "Secret"),
    asManifest(
      await get(`/apis/apps/v1/namespaces/${OURS_NAMESPACE}/deployments/task-api`),
      "apps/v1",
      "Deployment",
    ),
  ];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Program {
  readonly name: string;
  readonly cli: PulumiCli;
  readonly setLogLevel: (value: string) => Promise<unknown>;
  readonly times: { preview: number[]; up: number[] };
}

export async function benchmark(
  environment: E2eEnvironment,
  report: (line: string) => void,
): Promise<void> {
  const passphrase = randomBytes(24).toString("hex");
  const client = new KubeClient(environment.server, environment.token, () =>
    readFileSync(environment.caFile),
  );
  const oursDir = join(environment.workDir, "ours");
  copyProject(oursDir);
  const oursCli = new PulumiCli(oursDir, environment, passphrase);
  await initE2eStack(
    oursCli,
    {
      namespace: OURS_NAMESPACE,
      secrets: { DATABASE_PASSWORD: "bench-password", OPENAI_API_KEY: "bench-api-key" },
      registryUser: "bench",
      registryToken: "bench-registry-token",
    },
    openRegistry(environment.registry).accounts,
  );
  // What is timed is the engine and the program, not a rollout: without the wait, as the figures
  // in docs/e2e.md were taken. The plain program copies the Deployment's annotations, this one's
  // pulumi.com/skipAwait included, so neither waits.
  editStackFile(oursDir, (config) => config.set("task-api:awaitRollout", false));
  const stack = ["--stack", E2E_STACK, "--non-interactive"];
  report("first up of our program (not timed)");
  await oursCli.ok(["up", "--yes", ...stack]);

  const plainDir = join(environment.workDir, "plain");
  mkdirSync(plainDir);
  writeFileSync(
    join(plainDir, "objects.json"),
    JSON.stringify(await plainObjects(client), null, 2),
  );
  writeFileSync(join(plainDir, "index.ts"), PLAIN_PROGRAM);
  writeFileSync(
    join(plainDir, "Pulumi.yaml"),
    "name: task-api-plain\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
  );
  writeFileSync(
    join(plainDir, "package.json"),
    '{ "name": "task-api-plain", "main": "index.ts" }\n',
  );
  // As a Pulumi program's tsconfig.json is, and with ts-node only transpiling, as the engine's
  // start-up does for ours (startup/engineMain.js): the type check is `npm test`'s business.
  const tsconfig = JSON.parse(readFileSync(join(REPO_DIR, "tsconfig.json"), "utf8")) as object;
  writeFileSync(
    join(plainDir, "tsconfig.json"),
    JSON.stringify({ ...tsconfig, "ts-node": { transpileOnly: true } }, null, 2),
  );
  symlinkSync(join(REPO_DIR, "node_modules"), join(plainDir, "node_modules"), "dir");
  const plainCli = new PulumiCli(plainDir, environment, passphrase);
  await plainCli.initStack(E2E_STACK);
  await plainCli.ok(["config", "set", "logLevel", "debug", "--stack", E2E_STACK]);
  report("first up of the plain program (not timed)");
  await plainCli.ok(["up", "--yes", ...stack]);

  const programs: Program[] = [
    {
      name: "ours",
      cli: oursCli,
      setLogLevel: (value) =>
        oursCli.ok([
          "config",
          "set",
          "--path",
          "task-api:config.LOG_LEVEL",
          value,
          "--stack",
          E2E_STACK,
        ]),
      times: { preview: [], up: [] },
    },
    {
      name: "plain",
      cli: plainCli,
      setLogLevel: (value) =>
        plainCli.ok(["config", "set", "logLevel", value, "--stack", E2E_STACK]),
      times: { preview: [], up: [] },
    },
  ];
  for (let round = 1; round <= REPETITIONS; round++) {
    for (const program of programs) {
      const preview = await program.cli.ok(["preview", "--expect-no-changes", ...stack]);
      await program.setLogLevel(`round-${round}`);
      const up = await program.cli.ok(["up", "--yes", ...stack]);
      program.times.preview.push(preview.seconds);
      program.times.up.push(up.seconds);
      report(
        `round ${round}/${REPETITIONS} ${program.name}: preview ${preview.seconds.toFixed(2)} s, up ${up.seconds.toFixed(2)} s`,
      );
    }
  }
  const [ours, plain] = programs;
  for (const operation of ["preview", "up"] as const) {
    const describe = (program: Program) => {
      const times = program.times[operation];
      return `${median(times).toFixed(2)} s (${Math.min(...times).toFixed(2)}-${Math.max(...times).toFixed(2)})`;
    };
    const ratio = median(ours.times[operation]) / median(plain.times[operation]);
    report(
      `pulumi ${operation}: ours ${describe(ours)}, plain ${describe(plain)}, ratio of medians ${ratio.toFixed(2)}`,
    );
  }
}

// The program users run (index.ts), run against each fixture stack file (STACK_FIXTURES) with config passed the
// way the engine passes it: objects as JSON, secret keys marked secret.

import { InvalidConfigError } from "../../lib/problems";
import { StackValue } from "../../lib/config/stackFile";
import * as pulumi from "@pulumi/pulumi";
import { isSecretInput, plain } from "../../review/engine/mockRuntime";
import { listStacks } from "../../review/engine/stackFiles";
import {
  STACK_FIXTURES,
  TEST_SECRETS,
  runFailingProgram,
  runProgram,
  stackConfig,
  testSecretsFor,
  withTestSecrets,
} from "../support/program";
import { nonEmpty } from "../support/nonEmpty";

const STACKS = listStacks(STACK_FIXTURES);

test("the fixture stacks are staging and production", () => {
  expect(STACKS).toEqual(["production", "staging"]);
});

describe.each(STACKS)("stack %s", (stack) => {
  test("deploys the four objects with a provider that updates Secret and ConfigMap data in place", async () => {
    const { mocks } = await runProgram(stack, stackConfig(stack, testSecretsFor(stack)));
    const provider = mocks.single("pulumi:providers:kubernetes");
    expect(provider.inputs).toMatchObject({
      enableSecretMutable: "true",
      enableConfigMapMutable: "true",
    });
    expect(mocks.ofType("kubernetes:core/v1:Secret")).toHaveLength(2);
    expect(mocks.ofType("kubernetes:core/v1:ConfigMap")).toHaveLength(1);
    expect(mocks.ofType("kubernetes:apps/v1:Deployment")).toHaveLength(1);
  });

  test("puts every object in the stack's namespace", async () => {
    const { mocks, outputs } = await runProgram(stack, stackConfig(stack, testSecretsFor(stack)));
    expect(outputs.namespace.value).toBe(`task-api-${stack}`);
    const namespaced = mocks.resources.filter(
      (r) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:core/v1:Namespace",
    );
    expect(namespaced).toHaveLength(4);
    for (const resource of nonEmpty(namespaced)) {
      expect(resource.inputs.metadata.namespace).toBe(`task-api-${stack}`);
    }
  });

  test("exports names and checksums, none of them secret", async () => {
    const { outputs } = await runProgram(stack, stackConfig(stack, testSecretsFor(stack)));
    expect(Object.keys(outputs).sort()).toEqual([
      "configChecksum",
      "configMapName",
      "deploymentName",
      "namespace",
      "pullSecretName",
      "secretChecksum",
      "secretName",
    ]);
    for (const output of nonEmpty(Object.values(outputs))) {
      expect(output.secret).toBe(false);
    }
    expect(outputs.secretName.value).toBe("task-api-secrets");
    expect(outputs.configMapName.value).toBe("task-api-config");
    expect(outputs.pullSecretName.value).toBe(stack === "staging" ? "ghcr-secret" : "docr-secret");
  });

  test("keeps the Deployment spec readable in a preview diff (not secret)", async () => {
    const { mocks } = await runProgram(stack, stackConfig(stack, testSecretsFor(stack)));
    const deployment = mocks.single("kubernetes:apps/v1:Deployment");
    expect(isSecretInput(deployment.inputs.spec)).toBe(false);
    expect(isSecretInput(deployment.inputs.metadata)).toBe(false);
    const annotations = deployment.inputs.spec.template.metadata.annotations;
    expect(annotations["checksum/config"]).toMatch(/^[0-9a-f]{64}$/);
    expect(annotations["checksum/secret"]).toMatch(/^[0-9a-f]{64}$/);
  });

  test("delivers each secret through the Secret and each setting through the ConfigMap", async () => {
    const { mocks } = await runProgram(stack, stackConfig(stack, testSecretsFor(stack)));
    const appSecret = mocks
      .ofType("kubernetes:core/v1:Secret")
      .find((s) => s.inputs.type === "Opaque");
    expect(Object.keys(plain<Record<string, string>>(appSecret?.inputs.data)).sort()).toEqual(
      Object.keys(TEST_SECRETS).sort(),
    );
    const configMap = mocks.single("kubernetes:core/v1:ConfigMap");
    expect(configMap.inputs.data).toMatchObject({ NODE_ENV: "production", PORT: "8080" });
  });
});

test("production runs more replicas with quieter logs and more resources than staging", async () => {
  const deployment = async (stack: string) => {
    const { mocks } = await runProgram(stack, stackConfig(stack, testSecretsFor(stack)));
    return {
      spec: mocks.single("kubernetes:apps/v1:Deployment").inputs.spec,
      config: mocks.single("kubernetes:core/v1:ConfigMap").inputs.data,
    };
  };
  const staging = await deployment("staging");
  const production = await deployment("production");
  expect(production.spec.replicas).toBe(3);
  expect(staging.spec.replicas).toBe(1);
  expect(production.config.LOG_LEVEL).toBe("warn");
  expect(staging.config.LOG_LEVEL).toBe("debug");
  expect(production.spec.template.spec.containers[0].resources.limits.memory).toBe("512Mi");
  expect(production.spec.template.spec.containers[0].image).not.toBe(
    staging.spec.template.spec.containers[0].image,
  );
});

test("turns restarts on change off per stack with restartOnChange: false", async () => {
  const { mocks } = await runProgram(
    "staging",
    stackConfig("staging", { ...withTestSecrets(), "task-api:restartOnChange": false }),
  );
  const spec = mocks.single("kubernetes:apps/v1:Deployment").inputs.spec;
  expect(spec.template.metadata.annotations).toBeUndefined();
});

describe("how long `pulumi up` waits for the rollout (task-api:rolloutTimeoutSeconds)", () => {
  async function deploymentOf(changes: Record<string, StackValue>) {
    const { mocks } = await runProgram(
      "staging",
      stackConfig("staging", { ...withTestSecrets(), ...changes }),
    );
    return mocks.single("kubernetes:apps/v1:Deployment");
  }

  test.each(STACKS)("stack %s waits 300 s, Pulumi.yaml's default", async (stack) => {
    const { mocks } = await runProgram(stack, stackConfig(stack, testSecretsFor(stack)));
    expect(mocks.single("kubernetes:apps/v1:Deployment").customTimeouts).toEqual({
      create: "300s",
      update: "300s",
    });
  });

  test("a stack's value reaches the Deployment's create and update timeouts", async () => {
    const deployment = await deploymentOf({ "task-api:rolloutTimeoutSeconds": 60 });
    expect(deployment.customTimeouts).toEqual({ create: "60s", update: "60s" });
  });

  test("awaitRollout false skips the wait and sets no timeout", async () => {
    const deployment = await deploymentOf({ "task-api:awaitRollout": false });
    expect(deployment.inputs.metadata.annotations["pulumi.com/skipAwait"]).toBe("true");
    expect(deployment.customTimeouts).toEqual({});
  });

  test("a value that is not a whole number of seconds deploys nothing and names the fix", async () => {
    const { error, mocks } = await runFailingProgram(
      "staging",
      stackConfig("staging", { ...withTestSecrets(), "task-api:rolloutTimeoutSeconds": "5m" }),
    );
    expect(mocks.resources).toEqual([]);
    expect(error.message).toContain(
      'task-api:rolloutTimeoutSeconds: must be a whole number from 10 to 86400 (got "5m")',
    );
    expect(error.message).toContain(
      "fix: pulumi config set --type int task-api:rolloutTimeoutSeconds 300 -s staging",
    );
  });
});

test("uses the kubeconfig context a stack names", async () => {
  const { mocks } = await runProgram(
    "staging",
    stackConfig("staging", { ...withTestSecrets(), "task-api:cluster": { context: "kind-dev" } }),
  );
  expect(mocks.single("pulumi:providers:kubernetes").inputs.context).toBe("kind-dev");
});

test("refuses to deploy a fixture stack whose secrets are not set yet, naming the commands", async () => {
  const { error } = await runFailingProgram("staging", stackConfig("staging"));
  // A RunError, so the engine prints the list without a stack trace. (The brand recognises one
  // from another load of its module too: tests/lib/values.test.ts.)
  expect(pulumi.RunError.isInstance(error)).toBe(true);
  expect(InvalidConfigError.isInstance(error)).toBe(true);
  const message = String(error.message);
  expect(message).toContain(
    "pulumi config set --secret --path 'secrets.DATABASE_PASSWORD' -s staging",
  );
  expect(message).toContain(
    "pulumi config set --secret --path 'secrets.OPENAI_API_KEY' -s staging",
  );
  expect(message).toContain("pulumi config set --secret task-api:registryToken -s staging");
});

test("every object the program owns asks the provider to take back fields edited by hand", async () => {
  // Without pulumi.com/patchForce, a `kubectl edit` turns every later preview into a server-side
  // apply conflict (e2e/lifecycle.e2e.test.ts shows it against a real API server).
  const { mocks } = await runProgram("staging", stackConfig("staging", testSecretsFor("staging")));
  const objects = mocks.resources.filter((r) => r.type.startsWith("kubernetes:"));
  expect(objects.map((r) => r.type).sort()).toEqual([
    "kubernetes:apps/v1:Deployment",
    "kubernetes:core/v1:ConfigMap",
    "kubernetes:core/v1:Namespace",
    "kubernetes:core/v1:Secret",
    "kubernetes:core/v1:Secret",
  ]);
  for (const object of nonEmpty(objects)) {
    const metadata = object.inputs.metadata as { annotations?: Record<string, string> };
    expect({ [object.name]: metadata.annotations?.["pulumi.com/patchForce"] }).toEqual({
      [object.name]: "true",
    });
  }
});

describe("taking over objects made with kubectl (README, Moving from kubectl)", () => {
  test("task-api:adoptExisting turns on the provider's upsert of existing objects", async () => {
    const { mocks } = await runProgram(
      "staging",
      stackConfig("staging", { ...testSecretsFor("staging"), "task-api:adoptExisting": true }),
    );
    expect(mocks.single("pulumi:providers:kubernetes").inputs.upsertExistingObjects).toBe("true");
  });

  test("without it the provider refuses to create over an existing object, and its inputs are as before", async () => {
    const { mocks } = await runProgram(
      "staging",
      stackConfig("staging", testSecretsFor("staging")),
    );
    const inputs = mocks.single("pulumi:providers:kubernetes").inputs;
    expect(Object.keys(inputs)).not.toContain("upsertExistingObjects");
    expect(inputs).toMatchObject({ enableSecretMutable: "true", enableConfigMapMutable: "true" });
  });

  test("task-api:selectorLabels becomes the Deployment's selector and is on its pods", async () => {
    const { mocks } = await runProgram(
      "staging",
      stackConfig("staging", {
        ...testSecretsFor("staging"),
        "task-api:selectorLabels": { app: "task-api" },
      }),
    );
    const deployment = mocks.single("kubernetes:apps/v1:Deployment").inputs;
    expect(deployment.spec.selector.matchLabels).toEqual({ app: "task-api" });
    expect(deployment.spec.template.metadata.labels).toMatchObject({
      app: "task-api",
      "app.kubernetes.io/managed-by": "pulumi",
    });
  });

  test("without it the selector is the program's own", async () => {
    const { mocks } = await runProgram(
      "staging",
      stackConfig("staging", testSecretsFor("staging")),
    );
    const deployment = mocks.single("kubernetes:apps/v1:Deployment").inputs;
    expect(deployment.spec.selector.matchLabels).toEqual({
      "app.kubernetes.io/name": "task-api",
      "app.kubernetes.io/instance": "task-api",
    });
  });
});

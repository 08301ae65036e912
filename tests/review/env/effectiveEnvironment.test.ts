// The effective-environment report (`npm run env`): which value the container sees for each name,
// from which layer, and what it shadows, with Kubernetes' real precedence (env > Secret > ConfigMap).

import {
  ContainerEnvironment,
  EnvRow,
  effectiveEnvironment,
  formatEnvironmentTable,
} from "../../../review/env/effectiveEnvironment";
import { DEFAULT_PORT, programDefaults } from "../../../lib/defaults";
import { KubernetesObject } from "../../../review/render/manifests";
import { removeTempDirs, renderWith } from "../../support/offline";

afterAll(removeTempDirs);

function row(environments: readonly ContainerEnvironment[], name: string): EnvRow | undefined {
  expect(environments).toHaveLength(1);
  return environments[0].rows.find((r) => r.name === name);
}

test("lists every variable of the staging container with its value and layer", async () => {
  const environments = effectiveEnvironment((await renderWith("staging")).objects);
  expect(environments.map((e) => e.container)).toEqual([
    "Deployment task-api-staging/task-api, container task-api",
  ]);
  expect(environments[0].rows.map((r) => [r.name, r.value, r.layer])).toEqual([
    ["DATABASE_HOST", "db-postgresql-staging-do-user-1234-0.db.ondigitalocean.com", "ConfigMap"],
    ["DATABASE_NAME", "tasks_staging", "ConfigMap"],
    ["DATABASE_PASSWORD", "[secret]", "Secret"],
    ["DATABASE_PORT", "25060", "ConfigMap"],
    ["FEATURE_BULK_IMPORT", "true", "ConfigMap"],
    ["LOG_LEVEL", "debug", "ConfigMap"],
    ["MAX_TOKENS", "2048", "ConfigMap"],
    ["NODE_ENV", "production", "ConfigMap (program default)"],
    ["OPENAI_API_KEY", "[secret]", "Secret"],
    ["OPENAI_MODEL", "gpt-4o-mini", "ConfigMap"],
    ["POD_NAME", "(fieldRef metadata.name)", "explicit env"],
    ["PORT", "8080", "ConfigMap (program default)"],
  ]);
});

test("a stack config value wins over the program default it shadows", async () => {
  const environments = effectiveEnvironment((await renderWith("staging")).objects);
  expect(row(environments, "LOG_LEVEL")).toEqual({
    name: "LOG_LEVEL",
    value: "debug",
    layer: "ConfigMap",
    shadows: ["program default (info)"],
  });
});

test("a secret wins over the program default it shadows and is shown as [secret]", async () => {
  const { objects } = await renderWith("staging", {
    "task-api:optionalSecrets": ["NODE_ENV"],
    // With the required ones: a stack that sets some secrets must set them all (check:stacks).
    "task-api:secrets": {
      DATABASE_PASSWORD: { secure: "v1:a" },
      OPENAI_API_KEY: { secure: "v1:b" },
      NODE_ENV: { secure: "anything" },
    },
  });
  expect(row(effectiveEnvironment(objects), "NODE_ENV")).toEqual({
    name: "NODE_ENV",
    value: "[secret]",
    layer: "Secret",
    shadows: ["program default (production)"],
  });
});

/** A Deployment `app` in namespace `ns` whose pod has this one container. */
function deploymentOf(container: Record<string, unknown>): KubernetesObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "app", namespace: "ns" },
    spec: { selector: {}, template: { spec: { containers: [{ name: "app", ...container }] } } },
  };
}

test("an explicit env entry beats both the Secret and the ConfigMap, as in Kubernetes", () => {
  // The program refuses such a shadowing env entry, so these objects are written by hand, with
  // the program's defaults in the ConfigMap as the program puts them there.
  const metadata = (name: string) => ({ name, namespace: "ns" });
  const configMapData = { ...programDefaults(DEFAULT_PORT), MODE: "from-cm" };
  const objects: KubernetesObject[] = [
    { apiVersion: "v1", kind: "ConfigMap", metadata: metadata("cm"), data: configMapData },
    { apiVersion: "v1", kind: "Secret", metadata: metadata("s"), data: { MODE: "[secret]" } },
    deploymentOf({
      envFrom: [{ configMapRef: { name: "cm" } }, { secretRef: { name: "s" } }],
      env: [{ name: "MODE", value: "from-env" }],
    }),
  ];
  const environments = effectiveEnvironment(objects);
  expect(row(environments, "MODE")).toEqual({
    name: "MODE",
    value: "from-env",
    layer: "explicit env",
    shadows: ["ConfigMap", "Secret"],
  });
  expect(formatEnvironmentTable(environments)).toMatch(
    /^MODE +from-env +explicit env +ConfigMap, Secret$/m,
  );
});

test("refuses an envFrom order the env-layer model does not describe", () => {
  const deployment = deploymentOf({
    envFrom: [{ secretRef: { name: "s" } }, { configMapRef: { name: "cm" } }],
  });
  expect(() => effectiveEnvironment([deployment])).toThrow(/envFrom is \[Secret, ConfigMap\]/);
});

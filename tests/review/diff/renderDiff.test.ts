// What `npm run diff` says about a change: two offline renders of staging, before and after a
// change to its stack file, compared. (tests/review/npmScripts.test.ts runs the command itself on a
// git repository, including a change to the program's code.)

import { getAccount } from "@pulumi/digitalocean/getAccount";
import { renderBase } from "../../../review/diff/baseRendering";
import { providerChanges } from "../../../review/diff/clusterTarget";
import { renderStack } from "../../../review/render/render";
import {
  NOTHING_RENDERED,
  RenderDiff,
  diffRenderings,
  formatRenderDiff,
} from "../../../review/diff/renderDiff";
import { ResourceSummary } from "../../../review/render/resourceSummary";
import { formatVerdict } from "../../../review/diff/restartVerdict";
import { StackValue, readStackFile } from "../../../lib/config/stackFile";
import { projectWith, removeTempDirs, renderWith } from "../../support/offline";
import { STACK_FIXTURES, TEST_SECRETS, withTestSecrets } from "../../support/program";

afterAll(removeTempDirs);

const STAGING_CONFIG = readStackFile(STACK_FIXTURES, "staging")["task-api:config"] as Record<
  string,
  StackValue
>;

async function diffOf(
  before: Record<string, StackValue>,
  after: Record<string, StackValue>,
  decrypt?: (ciphertext: string) => string,
): Promise<RenderDiff> {
  return diffRenderings(
    await renderWith("staging", before, decrypt),
    await renderWith("staging", after, decrypt),
  );
}

test("restarts pods when a config value changes, because checksum/config changes", async () => {
  const diff = await diffOf({}, { "task-api:config": { ...STAGING_CONFIG, LOG_LEVEL: "warn" } });
  expect(diff.manifests).toContain("-  LOG_LEVEL: debug\n+  LOG_LEVEL: warn\n");
  expect(diff.environment).toContain("+  LOG_LEVEL=warn  from ConfigMap");
  expect(formatVerdict(diff.restart)).toBe(
    "pods will restart: yes (Deployment task-api-staging/task-api: checksum/config changed (ConfigMap data))",
  );
});

test("restarts pods when a secret key is added, because checksum/secret changes", async () => {
  const diff = await diffOf(
    {},
    {
      "task-api:optionalSecrets": ["SENTRY_DSN"],
      // With the required ones: a stack that sets some secrets must set them all (check:stacks).
      "task-api:secrets": {
        DATABASE_PASSWORD: { secure: "v1:a" },
        OPENAI_API_KEY: { secure: "v1:b" },
        SENTRY_DSN: { secure: "https://key@sentry.example/1" },
      },
    },
  );
  expect(diff.manifests).toContain('+  SENTRY_DSN: "[secret]"\n');
  expect(diff.environment).toContain("+  SENTRY_DSN=[secret]  from Secret");
  expect(diff.restart.restart).toBe("yes");
  expect(diff.restart.reasons).toEqual([
    "Deployment task-api-staging/task-api: checksum/secret changed (secret keys +SENTRY_DSN)",
  ]);
  expect(diff.manifests).not.toContain("sentry.example");
});

test("does not restart pods when only the pull-secret token changes, and says it changed without showing it", async () => {
  const known = (ciphertext: string) => ciphertext;
  const diff = await diffOf(
    withTestSecrets(TEST_SECRETS, "ghp_OldTokenOldTokenOldToken0123456789"),
    withTestSecrets(TEST_SECRETS, "ghp_NewTokenNewTokenNewToken0123456789"),
    known,
  );
  expect(diff).toEqual({
    manifests: "",
    environment: "",
    restart: {
      restart: "no",
      reasons: [],
      likely: [],
      notes: [
        "registryToken re-encrypted: the pull secret is updated in place and no pod restarts " +
          "(the kubelet reads it at the next pull)",
      ],
    },
    replacements: [],
  });
  expect(formatRenderDiff(diff)).not.toContain("Token0123456789");
});

test("says pods will likely restart when a secret's ciphertext changes, showing neither ciphertext", async () => {
  const newCiphertext = "v1:bmV3bm9uY2U=:bmV3LWRhdGFiYXNlLXBhc3N3b3Jk";
  // Left encrypted, as npm run diff leaves them: the values are not visible, only that they changed.
  const diff = await diffOf(
    withTestSecrets(),
    withTestSecrets({ ...TEST_SECRETS, DATABASE_PASSWORD: newCiphertext }),
  );
  expect(diff.manifests).toBe("");
  const output = formatRenderDiff(diff);
  expect(output).toMatch(
    /\npods will restart: likely \(secrets\.DATABASE_PASSWORD re-encrypted: the value may have changed \(setting the same value again encrypts it anew too\); not visible offline\)$/,
  );
  for (const ciphertext of [TEST_SECRETS.DATABASE_PASSWORD, newCiphertext]) {
    expect(output).not.toContain(ciphertext);
  }
});

test("notes a re-encrypted secret that rolls nothing when restartOnChange is off", async () => {
  const off = { "task-api:restartOnChange": false };
  const diff = await diffOf(
    { ...off, ...withTestSecrets() },
    { ...off, ...withTestSecrets({ ...TEST_SECRETS, OPENAI_API_KEY: "v1:b3RoZXI=:b3RoZXI=" }) },
  );
  expect(formatVerdict(diff.restart)).toBe("pods will restart: no (no pod template changed)");
  expect(diff.restart.notes).toEqual([
    "secrets.OPENAI_API_KEY re-encrypted: the Secret changes, but no Deployment has a " +
      "checksum/secret annotation: running pods keep the old value until they restart",
  ]);
});

test("does not restart pods when the keys of the stack's config are reordered", async () => {
  const reversed = Object.fromEntries(Object.entries(STAGING_CONFIG).reverse());
  expect(Object.keys(reversed)).not.toEqual(Object.keys(STAGING_CONFIG));
  const diff = await diffOf({}, { "task-api:config": reversed });
  expect(diff.manifests).toBe("");
  expect(formatVerdict(diff.restart)).toBe("pods will restart: no (no pod template changed)");
});

test("does not restart pods for a replica count change, which only scales", async () => {
  const diff = await diffOf({}, { "task-api:replicas": 2 });
  expect(diff.manifests).toContain("-  replicas: 1\n+  replicas: 2\n");
  expect(diff.restart.restart).toBe("no");
});

test("restarts pods for a new image, naming the changed template fields", async () => {
  const diff = await diffOf({}, { "task-api:image": "ghcr.io/acme/task-api:1.5.0" });
  expect(diff.restart.reasons).toEqual([
    "Deployment task-api-staging/task-api: pod template changed at " +
      "spec.template.metadata.labels.app.kubernetes.io/version, spec.template.spec.containers[0].image",
  ]);
});

test("notes a config change that rolls nothing when restartOnChange is off", async () => {
  const off = { "task-api:restartOnChange": false };
  const diff = await diffOf(off, {
    ...off,
    "task-api:config": { ...STAGING_CONFIG, LOG_LEVEL: "warn" },
  });
  expect(diff.restart.restart).toBe("no");
  expect(diff.restart.notes).toEqual([
    "ConfigMap task-api-config changed, but Deployment task-api-staging/task-api has no checksum " +
      "annotation for it: running pods keep the old values until they restart",
  ]);
});

test("restarts pods when the kubeconfig context changes: the objects land on another cluster", async () => {
  const diff = await diffOf(
    { "task-api:cluster": { context: "kind-a" } },
    { "task-api:cluster": { context: "kind-b" } },
  );
  expect(diff.manifests).toContain("-      context: kind-a\n+      context: kind-b\n");
  expect(formatVerdict(diff.restart)).toBe(
    "pods will restart: yes (target cluster changed: context kind-a -> context kind-b)",
  );
  expect(diff.restart.notes).toEqual([]);
});

test("restarts pods when a stack moves from a DOKS cluster to a kubeconfig context", async () => {
  const diff = await diffOf({}, { "task-api:cluster": { context: "kind-dev" } });
  expect(diff.restart.reasons).toEqual([
    "target cluster changed: doks task-api-staging -> context kind-dev",
  ]);
});

test("notes a change of the provider's other inputs, which keeps the objects on their cluster", () => {
  const summary = (enableSecretMutable: string): ResourceSummary => ({
    resources: [
      {
        type: "pulumi:providers:kubernetes",
        name: "kubernetes",
        inputs: { enableSecretMutable, context: "kind-dev" },
      },
    ],
    invokes: [],
    components: [],
    secretProperties: [],
  });
  expect(providerChanges(summary("true"), summary("false"))).toEqual({
    target: undefined,
    notes: [
      "Kubernetes provider kubernetes: enableSecretMutable changed (cluster: context kind-dev)",
    ],
  });
});

/**
 * A program, as an older base might be, that reads a data source the offline run does not answer.
 * It handles the failure itself: one left unhandled would fail the test under Jest (the command's
 * own process is tested with one in tests/review/npmScripts.test.ts).
 */
function readsAccount(): Record<string, unknown> {
  void getAccount().catch(() => undefined);
  return {};
}

test("compares with nothing, noting the error's first line, when the base program fails to load", async () => {
  const base = await renderBase({
    projectDir: projectWith("staging"),
    stack: "staging",
    load: () => {
      throw new Error("Cannot find module './lib/old'\nRequire stack:\n- /base/index.ts");
    },
  });
  expect(base).toEqual({
    rendering: NOTHING_RENDERED,
    notes: [
      "the base does not render, so everything is compared with nothing: Cannot find module './lib/old'",
    ],
  });
});

test("compares with nothing when the base program makes an invoke the offline run does not answer", async () => {
  const base = await renderBase({
    projectDir: projectWith("staging"),
    stack: "staging",
    load: readsAccount,
  });
  expect(base).toEqual({
    rendering: NOTHING_RENDERED,
    notes: [
      "the base does not render, so everything is compared with nothing: unexpected invoke " +
        "digitalocean:index/getAccount:getAccount: this run has no answer for it",
    ],
  });
});

test("the head fails on an invoke the offline run does not answer", async () => {
  await expect(
    renderStack({ projectDir: projectWith("staging"), stack: "staging", load: readsAccount }),
  ).rejects.toThrow("unexpected invoke digitalocean:index/getAccount:getAccount");
});

describe("replacements: what pulumi up replaces rather than updates, and what it means", () => {
  test("a new selector replaces the Deployment: every pod down at once", async () => {
    const diff = await diffOf(
      {},
      {
        "task-api:selectorLabels": { app: "task-api" },
      },
    );
    expect(diff.replacements).toEqual([
      "replaced: Deployment task-api-staging/task-api (.spec.selector): deleted, then created again; every pod is deleted at once, then the new ones start: the app is down until they are Ready",
    ]);
    expect(formatRenderDiff(diff)).toMatch(
      /\nreplaced: Deployment task-api-staging\/task-api \(\.spec\.selector\).*\npods will restart: yes/,
    );
  });

  test("a new namespace replaces every object and leaves the old namespace, which is retained", async () => {
    const diff = await diffOf({}, { "task-api:namespace": "task-api-other" });
    expect(diff.replacements).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^replaced: ConfigMap task-api-other\/task-api-config \(\.metadata\.namespace\)/,
        ),
        expect.stringMatching(
          /^replaced: Deployment task-api-other\/task-api \(\.metadata\.namespace\)/,
        ),
        "replaced: Namespace task-api-other (.metadata.name): created anew; the old Namespace task-api-staging is kept in the cluster (retainOnDelete)",
      ]),
    );
  });

  test("a data or config change replaces nothing", async () => {
    const diff = await diffOf({}, { "task-api:config": { ...STAGING_CONFIG, LOG_LEVEL: "warn" } });
    expect(diff.replacements).toEqual([]);
  });
});

// lib/config/cluster.ts: `task-api:cluster` read on its own, and where the DigitalOcean token must
// be (or must not be) for what the stack uses.

import { digitalOceanTokenProblems, readCluster } from "../../../lib/config/cluster";
import { ClusterSettings, DigitalOceanToken, RegistrySettings } from "../../../lib/config/settings";
import { DOCR_SETTINGS as DOCR } from "../../support/registrySettings";
import { READER_STACK as STACK, readerOver } from "../../support/configReader";

/** readCluster over `cluster` (as JSON, encrypted or not); its settings and problems. */
function read(cluster: unknown, encrypted = false) {
  const reader = readerOver({ cluster }, encrypted ? ["cluster"] : []);
  return { settings: readCluster(reader), problems: reader.problems };
}

const SHAPE_FIX =
  "pulumi config rm task-api:cluster -s review && pulumi config set --path 'cluster.doks' task-api-review -s review";

test("unset or {} is the current kubeconfig context", () => {
  expect(read(undefined)).toEqual({ settings: { kind: "kubeconfig" }, problems: [] });
  expect(read({})).toEqual({ settings: { kind: "kubeconfig" }, problems: [] });
});

test("{context} names a kubeconfig context, {doks} a DOKS cluster", () => {
  expect(read({ context: "kind-dev" })).toEqual({
    settings: { kind: "kubeconfig", context: "kind-dev" },
    problems: [],
  });
  expect(read({ doks: "shop-prod" })).toEqual({
    settings: { kind: "doks", clusterName: "shop-prod" },
    problems: [],
  });
});

test.each([
  ["both kinds", { context: "kind-dev", doks: "shop" }, "an object with context, doks"],
  ["an empty context", { context: "" }, "an object with context"],
  ["an empty DOKS name", { doks: "" }, "an object with doks"],
  ["a field of neither kind", { eks: "shop" }, "an object with eks"],
  ["a list", ["shop"], "a list of 1"],
])("%s is refused with the two kinds there are", (_what, cluster, shown) => {
  expect(read(cluster)).toEqual({
    settings: { kind: "kubeconfig" },
    problems: [
      {
        key: "task-api:cluster",
        message: `must be {context: KUBECONFIG_CONTEXT} or {doks: CLUSTER_NAME} (got ${shown}); leave it unset to use the current kubeconfig context`,
        fix: SHAPE_FIX,
      },
    ],
  });
});

test("a cluster that arrived encrypted is refused without its value", () => {
  expect(read({ eks: "shop" }, true).problems).toEqual([
    {
      key: "task-api:cluster",
      message:
        "must be {context: KUBECONFIG_CONTEXT} or {doks: CLUSTER_NAME}; leave it unset to use the current kubeconfig context",
      fix: SHAPE_FIX,
    },
  ]);
});

test("a field named like a secret is refused as a leaked one, and nothing else is said", () => {
  const { settings, problems } = read({ doks: "shop", token: "x" });
  expect(settings).toEqual({ kind: "kubeconfig" });
  expect(problems).toEqual([
    expect.objectContaining({
      key: "task-api:cluster.token",
      message: expect.stringContaining("its name says it holds a secret") as string,
      fix: "pulumi config rm --path 'cluster.token' -s review",
    }),
  ]);
});

const DOKS: ClusterSettings = { kind: "doks", clusterName: "shop-prod" };
const CONTEXT: ClusterSettings = { kind: "kubeconfig", context: "kind-dev" };
function tokenProblems(
  token: DigitalOceanToken,
  cluster: ClusterSettings,
  registry?: RegistrySettings,
  encrypted: readonly string[] = [],
) {
  return digitalOceanTokenProblems(token, cluster, registry, {
    stack: STACK,
    isSecret: (name) => encrypted.includes(name),
  });
}

test("a token is needed, and found in the environment or the stack, for DOKS and DOCR only", () => {
  const missing: DigitalOceanToken = { environment: false, stack: "missing" };
  expect(tokenProblems(missing, CONTEXT)).toEqual([]);
  expect(tokenProblems({ environment: true, stack: "missing" }, DOKS, DOCR)).toEqual([]);
  expect(tokenProblems({ environment: false, stack: "secret" }, DOKS, DOCR)).toEqual([]);
  expect(tokenProblems(missing, DOKS, DOCR)).toEqual([
    {
      key: "digitalocean:token",
      message:
        "no DigitalOcean API token (DIGITALOCEAN_TOKEN or digitalocean:token), needed by task-api:cluster.doks (shop-prod) and task-api:registry.docr (acme)",
      fix: "export DIGITALOCEAN_TOKEN=... in your shell or CI, or pulumi config set --secret digitalocean:token -s review",
    },
  ]);
  // Names that arrived encrypted are not shown.
  expect(tokenProblems(missing, DOKS, DOCR, ["cluster", "registry"])[0].message).toBe(
    "no DigitalOcean API token (DIGITALOCEAN_TOKEN or digitalocean:token), needed by task-api:cluster.doks and task-api:registry.docr",
  );
});

test("a plaintext token is refused whether used or not, with the fix that fits", () => {
  const plaintext = (environment: boolean): DigitalOceanToken => ({
    environment,
    stack: "plaintext",
  });
  expect(tokenProblems(plaintext(false), CONTEXT)).toEqual([
    {
      key: "digitalocean:token",
      message:
        "is stored in plaintext in the stack file. Nothing in this stack uses it (no DOKS cluster, no DOCR registry). Treat it as leaked: revoke it in the DigitalOcean control panel, create a new one and set it as a secret, or remove it",
      fix: "pulumi config rm digitalocean:token -s review   (or pulumi config set --secret digitalocean:token -s review)",
    },
  ]);
  expect(tokenProblems(plaintext(true), DOKS)).toEqual([
    {
      key: "digitalocean:token",
      message:
        "is stored in plaintext in the stack file. The provider would use this one, not DIGITALOCEAN_TOKEN from the environment (set here too), for task-api:cluster.doks (shop-prod). Treat it as leaked: revoke it in the DigitalOcean control panel, create a new one and set it as a secret",
      fix: "pulumi config set --secret digitalocean:token -s review   (or pulumi config rm digitalocean:token -s review && export DIGITALOCEAN_TOKEN=...)",
    },
  ]);
  expect(tokenProblems(plaintext(false), CONTEXT, DOCR)[0].message).toContain(
    "not DIGITALOCEAN_TOKEN from the environment, for task-api:registry.docr (acme).",
  );
});

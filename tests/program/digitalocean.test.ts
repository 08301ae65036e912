// DigitalOcean as a first-class home: DOKS clusters looked up on every run, read-only DOCR pull
// credentials, the API token checked before anything runs, and the namespace the stack owns.

import { doksKubeconfig } from "../../lib/kubernetesProvider";
import { findLeaks, nonSecretProperties } from "../support/leakScan";
import { isSecretInput, plain } from "../../review/engine/mockRuntime";
import {
  DOCR_CREDENTIALS,
  DOKS_LOOKUP,
  docrCredentialsFor,
} from "../../review/engine/programFacts";
import {
  doksLookupResult,
  doksMintedToken,
  runFailingProgram,
  runProgram,
  stackConfig,
  testSecretsFor,
} from "../support/program";

const production = () => stackConfig("production", testSecretsFor("production"));
const staging = () => stackConfig("staging", testSecretsFor("staging"));

describe("a DOKS cluster", () => {
  test("is looked up by name on every run, and feeds the provider a secret kubeconfig", async () => {
    const { mocks } = await runProgram("staging", staging());
    expect(mocks.calls.map((call) => [call.token, call.inputs.name])).toEqual([
      [DOKS_LOOKUP, "task-api-staging"],
    ]);
    const provider = mocks.single("pulumi:providers:kubernetes");
    expect(isSecretInput(provider.inputs.kubeconfig)).toBe(true);
    const kubeconfig = JSON.parse(plain<string>(provider.inputs.kubeconfig));
    const found = doksLookupResult("task-api-staging") as { endpoint: string; id: string };
    expect(kubeconfig.clusters[0].cluster.server).toBe(found.endpoint);
    expect(provider.inputs.context).toBeUndefined();
  });

  test("gets its credentials from doctl when the provider connects, so none is kept in state", async () => {
    const { mocks } = await runProgram("staging", staging());
    const kubeconfig = JSON.parse(
      plain<string>(mocks.single("pulumi:providers:kubernetes").inputs.kubeconfig),
    );
    expect(kubeconfig.users[0].user.exec).toMatchObject({
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "doctl",
      args: [
        "kubernetes",
        "cluster",
        "kubeconfig",
        "exec-credential",
        "--version=v1beta1",
        "0b7c5a4e-task-api-staging",
      ],
    });
    expect(JSON.stringify(kubeconfig)).not.toContain(doksMintedToken("task-api-staging"));
  });

  test("gives the provider the same kubeconfig on every run (no provider change in previews)", async () => {
    const kubeconfigOf = async (token: string) => {
      const { mocks } = await runProgram("staging", staging(), {
        callAnswers: {
          [DOKS_LOOKUP]: (inputs) => ({
            ...doksLookupResult(String(inputs.name)),
            // DigitalOcean mints a new token into its raw kubeconfig on every lookup.
            kubeConfigs: [
              { ...(doksLookupResult(String(inputs.name)).kubeConfigs as object[])[0], token },
            ],
          }),
        },
      });
      return plain<string>(mocks.single("pulumi:providers:kubernetes").inputs.kubeconfig);
    };
    expect(await kubeconfigOf("minted-on-run-1")).toBe(await kubeconfigOf("minted-on-run-2"));
  });

  test("keeps the provider's in-place updates of Secret and ConfigMap data", async () => {
    const { mocks } = await runProgram("production", production());
    expect(mocks.single("pulumi:providers:kubernetes").inputs).toMatchObject({
      enableSecretMutable: "true",
      enableConfigMapMutable: "true",
    });
  });

  test("is not created by the program, and its kubeconfig is in no non-secret property or output", async () => {
    const { mocks, outputs } = await runProgram("production", production());
    expect(mocks.resources.map((r) => r.type)).not.toContain(
      "digitalocean:index/kubernetesCluster:KubernetesCluster",
    );
    const kubeconfig = plain<string>(mocks.single("pulumi:providers:kubernetes").inputs.kubeconfig);
    const needles = [kubeconfig, doksMintedToken("task-api-production")];
    expect(findLeaks({ ...nonSecretProperties(mocks), outputs }, needles)).toEqual([]);
  });

  test("without an endpoint or CA from DigitalOcean stops the deploy, naming the cluster", () => {
    expect(() =>
      doksKubeconfig("task-api-staging", { id: "x", endpoint: "", kubeConfigs: [] }),
    ).toThrow(
      'DigitalOcean returned no API endpoint or CA certificate for the DOKS cluster "task-api-staging"',
    );
  });
});

describe("a DigitalOcean Container Registry", () => {
  test("gets read-only credentials with the stack's expiry", async () => {
    const { mocks } = await runProgram("production", production());
    expect(mocks.single(DOCR_CREDENTIALS).inputs).toEqual({
      registryName: "acme",
      write: false,
      expirySeconds: 31536000,
    });
  });

  test("feeds its credentials JSON to a dockerconfigjson pull secret as secret data", async () => {
    const { mocks } = await runProgram("production", production());
    const pullSecret = mocks
      .ofType("kubernetes:core/v1:Secret")
      .find((secret) => secret.inputs.type === "kubernetes.io/dockerconfigjson");
    expect(pullSecret?.inputs.metadata.name).toBe("docr-secret");
    expect(isSecretInput(pullSecret?.inputs.data)).toBe(true);
    const data = plain<Record<string, string>>(pullSecret?.inputs.data);
    expect(Buffer.from(data[".dockerconfigjson"], "base64").toString()).toBe(
      docrCredentialsFor("acme"),
    );
    const pod = mocks.single("kubernetes:apps/v1:Deployment").inputs.spec.template.spec;
    expect(pod.imagePullSecrets).toEqual([{ name: "docr-secret" }]);
  });

  test("refuses an image from another registry, naming the image to use", async () => {
    const { error, mocks } = await runFailingProgram(
      "production",
      stackConfig("production", {
        ...testSecretsFor("production"),
        "task-api:image": "ghcr.io/acme/task-api:1.4.2",
      }),
    );
    expect(error.message).toContain(
      "the image comes from ghcr.io, but the pull secret is for registry.digitalocean.com/acme",
    );
    expect(error.message).toContain(
      "pulumi config set task-api:image registry.digitalocean.com/acme/task-api:1.4.2 -s production",
    );
    expect(mocks.resources).toEqual([]);
  });

  test("refuses an image from another DigitalOcean registry", async () => {
    const { error } = await runFailingProgram(
      "production",
      stackConfig("production", {
        ...testSecretsFor("production"),
        "task-api:image": "registry.digitalocean.com/other/task-api:1.4.2",
      }),
    );
    expect(error.message).toContain('not in the DigitalOcean registry "acme"');
  });
});

describe("the DigitalOcean token", () => {
  test("missing is reported before anything runs, with both ways to provide it", async () => {
    const { error, mocks } = await runFailingProgram("production", production(), {
      environment: {},
    });
    expect(error.message).toContain("digitalocean:token: no DigitalOcean API token");
    expect(error.message).toContain("task-api:cluster.doks (task-api-production)");
    expect(error.message).toContain("task-api:registry.docr (acme)");
    expect(error.message).toContain("pulumi config set --secret digitalocean:token -s production");
    expect(mocks.resources).toEqual([]);
    expect(mocks.calls).toEqual([]);
  });

  test("is accepted from DIGITALOCEAN_ACCESS_TOKEN too", async () => {
    const { mocks } = await runProgram("production", production(), {
      environment: { DIGITALOCEAN_ACCESS_TOKEN: "dop_v1_x" },
    });
    expect(mocks.ofType(DOCR_CREDENTIALS)).toHaveLength(1);
    expect(mocks.calls.map((call) => call.token)).toEqual([DOKS_LOOKUP]);
  });

  test("is accepted as a secret digitalocean:token", async () => {
    const config = stackConfig("production", {
      ...testSecretsFor("production"),
      "digitalocean:token": { secure: "dop_v1_from_config" },
    });
    const run = await runProgram("production", config, { environment: {} });
    expect(run.mocks.ofType(DOCR_CREDENTIALS)).toHaveLength(1);
  });

  test("in plaintext config is refused as leaked", async () => {
    const config = stackConfig("production", {
      ...testSecretsFor("production"),
      "digitalocean:token": "dop_v1_plaintext_in_git",
    });
    const { error } = await runFailingProgram("production", config, { environment: {} });
    expect(error.message).toContain("digitalocean:token: is stored in plaintext");
    expect(error.message).not.toContain("dop_v1_plaintext_in_git");
  });

  test("is not needed for a kubeconfig context and GHCR", async () => {
    const config = stackConfig("staging", {
      ...testSecretsFor("staging"),
      "task-api:cluster": { context: "kind-dev" },
    });
    const { mocks } = await runProgram("staging", config, { environment: {} });
    expect(mocks.calls).toEqual([]);
  });
});

test("an unknown cluster kind is refused with the two kinds there are", async () => {
  const { error } = await runFailingProgram(
    "staging",
    stackConfig("staging", { ...testSecretsFor("staging"), "task-api:cluster": { eks: "x" } }),
  );
  expect(error.message).toContain(
    "task-api:cluster: must be {context: KUBECONFIG_CONTEXT} or {doks: CLUSTER_NAME}",
  );
});

describe("the namespace", () => {
  test("is created, labelled for Pod Security Admission restricted, and holds every object", async () => {
    const { mocks } = await runProgram("staging", staging());
    const namespace = mocks.single("kubernetes:core/v1:Namespace");
    expect(namespace.inputs.metadata).toEqual({
      name: "task-api-staging",
      labels: {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
      },
      annotations: { "pulumi.com/patchForce": "true" },
    });
  });

  test("is left alone with createNamespace: false, and the objects still go into it", async () => {
    const { mocks } = await runProgram(
      "staging",
      stackConfig("staging", { ...testSecretsFor("staging"), "task-api:createNamespace": false }),
    );
    expect(mocks.ofType("kubernetes:core/v1:Namespace")).toEqual([]);
    expect(mocks.single("kubernetes:apps/v1:Deployment").inputs.metadata.namespace).toBe(
      "task-api-staging",
    );
  });

  test("is read with createNamespace: false, so that a missing one fails the preview", async () => {
    const { mocks } = await runProgram(
      "staging",
      stackConfig("staging", { ...testSecretsFor("staging"), "task-api:createNamespace": false }),
    );
    expect(mocks.reads).toEqual([
      { type: "kubernetes:core/v1:Namespace", name: "existing-namespace", id: "task-api-staging" },
    ]);
  });

  test("is not read when the program creates it", async () => {
    const { mocks } = await runProgram("staging", staging());
    expect(mocks.reads).toEqual([]);
  });
});

test("the DOCR credentials' expiry is refused under an hour and accepted from one", async () => {
  const withExpiry = (expirySeconds: number) =>
    stackConfig("production", {
      ...testSecretsFor("production"),
      "task-api:registry": { docr: "acme", expirySeconds },
    });
  const { error } = await runFailingProgram("production", withExpiry(3599));
  expect(error.message).toContain(
    "task-api:registry.expirySeconds: must be a whole number of seconds from 3600 to 1576800000",
  );
  const { mocks } = await runProgram("production", withExpiry(3600));
  expect(mocks.single(DOCR_CREDENTIALS).inputs.expirySeconds).toBe(3600);
});

// Everything the program produces, searched for the secrets it was given: no secret value, no
// base64 of one and no dockerconfig `auth` may appear outside a secret property.

import { findLeaks, nonSecretProperties } from "../support/leakScan";
import { isSecretInput, RecordingMocks } from "../../review/engine/mockRuntime";
import {
  RANDOM_PASSWORD,
  docrCredentialsFor,
  randomPasswordFor,
} from "../../review/engine/programFacts";
import {
  doksMintedToken,
  TEST_DO_TOKEN,
  TEST_REGISTRY_TOKEN,
  TEST_SECRETS,
  runFailingProgram,
  runProgram,
  stackConfig,
  testSecretsFor,
  withTestSecrets,
} from "../support/program";
import { nonEmpty } from "../support/nonEmpty";

const base64 = (text: string | Buffer) => Buffer.from(text).toString("base64");

/** Every form in which a secret of this run could leak. */
function needles(stack: string, mocks: RecordingMocks): string[] {
  const values = [...Object.values(TEST_SECRETS), TEST_REGISTRY_TOKEN];
  const auth = base64(`acme-deploy:${TEST_REGISTRY_TOKEN}`);
  const keyResource = mocks.single(RANDOM_PASSWORD);
  const key = randomPasswordFor(stack, keyResource.name, keyResource.inputs.length);
  // What DigitalOcean hands the program: the cluster's kubeconfig and its token, the DOCR login.
  const doksToken = doksMintedToken(`task-api-${stack}`);
  const docrAuth = (
    JSON.parse(docrCredentialsFor("acme")) as {
      auths: Record<string, { auth: string }>;
    }
  ).auths["registry.digitalocean.com"].auth;
  return [
    ...values,
    ...values.map((value) => base64(value)),
    auth,
    key,
    base64(key),
    doksToken,
    docrAuth,
    TEST_DO_TOKEN,
  ];
}

describe.each(["staging", "production"])("stack %s", (stack) => {
  test("no secret, base64 of one, registry auth or checksum key appears in any non-secret property or stack output", async () => {
    const log = jest.spyOn(process.stdout, "write");
    const errors = jest.spyOn(process.stderr, "write");
    const { mocks, outputs } = await runProgram(stack, stackConfig(stack, testSecretsFor(stack)));
    const secrets = needles(stack, mocks);

    // The scan must see the places where the secrets do live, or it proves nothing.
    const properties = nonSecretProperties(mocks);
    expect(Object.keys(properties).length).toBeGreaterThan(20);
    expect(findLeaks(properties, secrets)).toEqual([]);
    expect(findLeaks({ outputs }, secrets)).toEqual([]);
    expect(
      findLeaks({ logs: [...log.mock.calls, ...errors.mock.calls].map(String) }, secrets),
    ).toEqual([]);
    log.mockRestore();
    errors.mockRestore();
  });

  test("the scan finds the secrets where they are kept: in secret-wrapped Secret data", async () => {
    const { mocks } = await runProgram(stack, stackConfig(stack, testSecretsFor(stack)));
    const secretData = mocks
      .ofType("kubernetes:core/v1:Secret")
      .map((secret) => secret.inputs.data as unknown);
    for (const data of nonEmpty(secretData)) {
      expect(isSecretInput(data)).toBe(true);
    }
    const leaks = findLeaks({ data: secretData }, needles(stack, mocks));
    // Both values, plus the pull secret's login (inside the base64 of the dockerconfig document):
    // GHCR's token and auth for staging, DOCR's auth for production.
    expect(leaks.length).toBeGreaterThanOrEqual(stack === "staging" ? 4 : 3);
  });
});

test("error messages about bad secrets name the key, never the value or its base64", async () => {
  const nulSecret = "bad\u0000value-7731";
  const config = stackConfig("staging", {
    ...withTestSecrets({
      DATABASE_PASSWORD: nulSecret,
      DATABSE_PASSWORD: "typo-secret-value-4412",
      "BAD-NAME": "bad-name-secret-9981",
    }),
  });
  const { error } = await runFailingProgram("staging", config);
  expect(error.message).toContain("secrets.DATABASE_PASSWORD");
  expect(error.message).toContain("secrets.DATABSE_PASSWORD");
  expect(error.message).toContain("secrets.BAD-NAME");
  const values = [nulSecret, "typo-secret-value-4412", "bad-name-secret-9981", TEST_REGISTRY_TOKEN];
  expect(findLeaks({ message: error.message }, [...values, ...values.map(base64)])).toEqual([]);
});

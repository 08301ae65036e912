// Everything the program produces, searched for the secrets it was given: no secret value, no
// base64 of one and no dockerconfig `auth` may appear outside a secret property.

import * as pulumi from "@pulumi/pulumi";
import { randomBytesFor, isSecretInput, RecordingMocks } from "./support/mockRuntime";
import {
  TEST_REGISTRY_TOKEN,
  TEST_SECRETS,
  runFailingProgram,
  runProgram,
  stackConfig,
  withTestSecrets,
} from "./support/program";

const base64 = (text: string | Buffer) => Buffer.from(text).toString("base64");

/** Every form in which a secret of this run could leak. */
function needles(stack: string, mocks: RecordingMocks): string[] {
  const values = [...Object.values(TEST_SECRETS), TEST_REGISTRY_TOKEN];
  const auth = base64(`acme-deploy:${TEST_REGISTRY_TOKEN}`);
  const key = randomBytesFor(stack, mocks.single("random:index/randomBytes:RandomBytes").name);
  return [
    ...values,
    ...values.map((value) => base64(value)),
    auth,
    key.toString("hex"),
    key.toString("base64"),
  ];
}

/** Every string inside a value, and what each decodes to if it is base64 (one level deep). */
function texts(value: unknown): string[] {
  const strings: string[] = [];
  const walk = (item: unknown): void => {
    if (typeof item === "string") {
      strings.push(item);
      if (/^[A-Za-z0-9+/]{8,}={0,2}$/.test(item)) {
        strings.push(Buffer.from(item, "base64").toString("utf8"));
      }
    } else if (typeof item === "object" && item !== null) {
      Object.entries(item).forEach(([key, child]) => {
        strings.push(key);
        walk(child);
      });
    }
  };
  walk(value);
  return strings;
}

/** `where: needle` for every needle found in a non-secret place, also under one base64 layer. */
function findLeaks(haystacks: Record<string, unknown>, secrets: string[]): string[] {
  const found: string[] = [];
  for (const [where, value] of Object.entries(haystacks)) {
    const text = texts(value).join("\n");
    for (const secret of secrets) {
      if (text.includes(secret)) {
        found.push(`${where}: ${secret.slice(0, 6)}...`);
      }
    }
  }
  return found;
}

/** Every non-secret top-level property of every registered resource, including component outputs. */
function nonSecretProperties(mocks: RecordingMocks): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const resource of mocks.resources) {
    for (const [property, value] of Object.entries(resource.inputs)) {
      if (!isSecretInput(value)) {
        properties[`${resource.type}::${resource.name}.${property}`] = value;
      }
    }
  }
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    getRegisteredResources(): Map<string, { state: unknown }>;
  };
  for (const [urn, { state }] of monitor.getRegisteredResources()) {
    // Custom resources' state is what the mocks returned (the provider's side); the program's own
    // outputs are those its components register.
    if (!urn.split("::")[2].split("$").pop()?.startsWith("task-api:")) {
      continue;
    }
    const outputs =
      (state as { toJavaScript?: () => Record<string, unknown> }).toJavaScript?.() ??
      (state as Record<string, unknown>);
    for (const [property, value] of Object.entries(outputs ?? {})) {
      if (!isSecretInput(value)) {
        properties[`${urn} output ${property}`] = value;
      }
    }
  }
  return properties;
}

describe.each(["staging", "production"])("stack %s", (stack) => {
  test("no secret, base64 of one, registry auth or checksum key appears in any non-secret property or stack output", async () => {
    const log = jest.spyOn(process.stdout, "write");
    const errors = jest.spyOn(process.stderr, "write");
    const { mocks, outputs } = await runProgram(stack, stackConfig(stack, withTestSecrets()));
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
    const { mocks } = await runProgram(stack, stackConfig(stack, withTestSecrets()));
    const secretData = mocks
      .ofType("kubernetes:core/v1:Secret")
      .map((secret) => secret.inputs.data as unknown);
    for (const data of secretData) {
      expect(isSecretInput(data)).toBe(true);
    }
    const leaks = findLeaks({ data: secretData }, needles(stack, mocks));
    // Both values, the token and the auth (inside the base64 of the dockerconfig document).
    expect(leaks.length).toBeGreaterThanOrEqual(4);
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

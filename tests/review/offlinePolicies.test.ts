// review/offlinePolicies.ts (npm run policy): the policy pack on the resources the program
// registers for a stack, with the pack config file `--policy-pack-config` takes.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { offlineViolations, packResources, readPackConfig } from "../../review/offlinePolicies";
import { runProgram, stackConfig, testSecretsFor } from "../support/program";

const SENTRY_DSN = `https://${"0a1b2c3d4e5f60718293a4b5c6d7e8f9"}@o123456.ingest.sentry.io/4242`;
const ACCEPTED = "SENTRY_DSN:task-api/SENTRY_DSN";

async function resourcesOf(stack: string, changes: Record<string, unknown> = {}) {
  const { mocks } = await runProgram(
    stack,
    stackConfig(stack, { ...testSecretsFor(stack), ...changes }),
  );
  return packResources(mocks.resources, stack);
}

test.each(["staging", "production"])(
  "the program's %s stack passes every policy",
  async (stack) => {
    const resources = await resourcesOf(stack);
    expect(resources.map(({ type }) => type)).toEqual(
      expect.arrayContaining([
        "kubernetes:apps/v1:Deployment",
        "kubernetes:core/v1:ConfigMap",
        "kubernetes:core/v1:Secret",
        "kubernetes:core/v1:Namespace",
      ]),
    );
    expect(offlineViolations(resources)).toEqual([]);
  },
);

test("a finding the stack accepts is still a violation of the pack, until the pack config accepts it too", async () => {
  const resources = await resourcesOf("staging", {
    "task-api:config": { LOG_LEVEL: "info", SENTRY_DSN },
    "task-api:nonSecretConfigKeys": ["MAX_TOKENS", ACCEPTED],
  });
  const [violation, ...others] = offlineViolations(resources);
  expect(others).toEqual([]);
  expect(violation).toMatchObject({
    policy: "no-credential-in-plaintext",
    enforcementLevel: "mandatory",
    resource: "kubernetes:core/v1:ConfigMap task-api-config",
  });
  expect(violation.message).toContain(`data.SENTRY_DSN: secretlint finds a credential`);
  expect(violation.message).not.toContain(SENTRY_DSN);
  const accepting = { "no-credential-in-plaintext": { acceptedFindings: [ACCEPTED] } };
  expect(offlineViolations(resources, accepting)).toEqual([]);
  // Levels come from the config as the CLI applies them: a policy's own entry, else `all`.
  expect(offlineViolations(resources, { all: "advisory" })[0].enforcementLevel).toBe("advisory");
  expect(offlineViolations(resources, { all: "disabled" })).toEqual([]);
  expect(
    offlineViolations(resources, { all: "disabled", "no-credential-in-plaintext": "mandatory" }),
  ).toHaveLength(1);
});

test("a pack config naming no policy of the pack is refused, naming the pack's policies", () => {
  const dir = mkdtempSync(join(tmpdir(), "pack-config-"));
  try {
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({ "no-credentials": "advisory" }));
    expect(() => readPackConfig(file)).toThrow(
      /no policy no-credentials in the pack \(it has all, no-credential-in-plaintext, /,
    );
    writeFileSync(file, "[]");
    expect(() => readPackConfig(file)).toThrow(/not a JSON object of policy names/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

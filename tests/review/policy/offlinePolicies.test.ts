// review/policy/offlinePolicies.ts (npm run policy): the policy pack on the resources the program
// registers for a stack, with the pack config file `--policy-pack-config` takes.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  offlineViolations,
  packResources,
  readPackConfig,
} from "../../../review/policy/offlinePolicies";
import { runProgram, stackConfig, testSecretsFor } from "../../support/program";

/** The parts of the program's Deployment inputs the controls change. */
interface DeploymentProps {
  spec: {
    template: {
      metadata: { annotations: Record<string, string> };
      spec: { containers: { securityContext: Record<string, unknown> }[] };
    };
  };
}

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

test("the program's objects are matched: its Deployment without checksums, or with a privileged container, is refused", async () => {
  const resources = await resourcesOf("production");
  const deploymentAt = resources.findIndex(({ type }) => type === "kubernetes:apps/v1:Deployment");
  const changed = (edit: (props: DeploymentProps) => void) => {
    const props = structuredClone(resources[deploymentAt].props);
    edit(props as unknown as DeploymentProps);
    return resources.map((resource, index) =>
      index === deploymentAt ? { ...resource, props } : resource,
    );
  };
  const noChecksums = changed((props) => {
    const annotations = props.spec.template.metadata.annotations;
    for (const key of Object.keys(annotations).filter((k) => k.startsWith("checksum/"))) {
      delete annotations[key];
    }
  });
  expect(
    offlineViolations(noChecksums).map(
      ({ policy, message }) => `${policy}: ${message.split(",")[0]}`,
    ),
  ).toEqual([
    expect.stringMatching(
      /^pods-roll-on-data-change: .*envFrom\[0\]: reads ConfigMap "task-api-production\/task-api-config"$/,
    ),
    expect.stringMatching(
      /^pods-roll-on-data-change: .*envFrom\[1\]: reads Secret "task-api-production\/task-api-secrets"$/,
    ),
  ]);
  const escalating = changed((props) => {
    props.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true;
  });
  expect(
    offlineViolations(escalating).map(({ policy, enforcementLevel }) => [policy, enforcementLevel]),
  ).toEqual([["pod-security-restricted", "mandatory"]]);
});

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

describe("a pack config file", () => {
  const withFile = (content: unknown, check: (file: string) => void) => {
    const dir = mkdtempSync(join(tmpdir(), "pack-config-"));
    try {
      const file = join(dir, "config.json");
      writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
      check(file);
    } finally {
      rmSync(dir, { recursive: true });
    }
  };

  test("naming no policy of the pack is refused, naming the pack's policies", () => {
    withFile({ "no-credentials": "advisory" }, (file) =>
      expect(() => readPackConfig(file)).toThrow(
        /no policy no-credentials in the pack \(it has all, no-credential-in-plaintext, /,
      ),
    );
    withFile("[]", (file) =>
      expect(() => readPackConfig(file)).toThrow(/not a JSON object of policy names/),
    );
  });

  test("every problem at once: a level that is none, a property of the wrong type or shape, one the policy lacks; no value quoted", () => {
    const config = {
      all: "strict",
      "no-credential-in-plaintext": { acceptedFindings: "SENTRY_DSN:task-api/SENTRY_DSN" },
      "pods-roll-on-data-change": { enforcementLevel: "mandatory", acceptedFindings: [] },
      "pull-secret-is-dockerconfigjson": { acceptedFindings: ["no finding here"] },
    };
    withFile(config, (file) => {
      let message = "";
      try {
        readPackConfig(file);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message.split("\n").slice(1)).toEqual([
        "  all.enforcementLevel: not one of advisory, mandatory, remediate, disabled",
        "  no-credential-in-plaintext.acceptedFindings: must be array",
        "  pods-roll-on-data-change: must NOT have additional properties (acceptedFindings)",
        "  pull-secret-is-dockerconfigjson: must NOT have additional properties (acceptedFindings)",
      ]);
      expect(message).not.toContain("strict");
      expect(message).not.toContain("SENTRY_DSN");
    });
    withFile({ "no-credential-in-plaintext": { acceptedFindings: ["SENTRY_DSN"] } }, (file) =>
      expect(() => readPackConfig(file)).toThrow(/acceptedFindings\.0: must match pattern/),
    );
  });

  test("a valid one is read, and remediate counts as mandatory for these stack policies", async () => {
    const config = {
      all: "remediate",
      "no-credential-in-plaintext": { acceptedFindings: [ACCEPTED] },
    };
    withFile(config, (file) => expect(readPackConfig(file)).toEqual(config));
    const resources = await resourcesOf("staging", {
      "task-api:config": { LOG_LEVEL: "info", SENTRY_DSN },
      "task-api:nonSecretConfigKeys": ["MAX_TOKENS", ACCEPTED],
    });
    expect(offlineViolations(resources, { all: "remediate" })[0].enforcementLevel).toBe(
      "mandatory",
    );
  });
});

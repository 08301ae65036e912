// The policy pack (policy/) on a stack's offline run, for review without credentials or a
// cluster: every policy of the pack gets the resources the program registers under the mock
// runtime (review/engine), as the engine would hand them to `pulumi preview --policy-pack`, with
// the same pack config file `--policy-pack-config` takes. Two things only the engine knows are
// missing: the provider's check (auto-names, the `pulumi.com/autonamed` annotation) and which
// provider a resource uses, so every Kubernetes resource gets the program's one Kubernetes
// provider, which is how index.ts builds it.

import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { EnforcementLevel, StackValidationPolicy } from "@pulumi/policy";
import { PackResource, Violation } from "../../policy/kubernetesObjects";
import { PACK_NAME, policies } from "../../policy/policies";
import { RegisteredResource, plain } from "../engine/mockRuntime";
import { PROJECT } from "../engine/programFacts";
import { UsageError } from "../usageError";

/** The pack config file's content: per policy (or `all`), a level or a level with properties. */
export type PackConfig = Readonly<Record<string, EnforcementLevel | Record<string, unknown>>>;

export interface PolicyViolation extends Violation {
  readonly policy: string;
  readonly enforcementLevel: EnforcementLevel;
  /** `TYPE NAME` of the resource, as the CLI names it. */
  readonly resource: string;
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/**
 * Reads a pack config file as `--policy-pack-config` would, refusing what the engine refuses:
 * names of no policy, unknown levels, and properties that do not match a policy's configSchema
 * (checked with Ajv, as the engine checks them with a JSON Schema validator). Every problem at
 * once; no value of the file is quoted.
 */
export function readPackConfig(file: string): PackConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new UsageError(`--config ${file}: not valid JSON`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--config ${file}: not a JSON object of policy names`);
  }
  const byName = new Map(policies.map((policy) => [policy.name, policy]));
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(parsed)) {
    const policy = byName.get(name);
    if (policy === undefined && name !== "all") {
      problems.push(`no policy ${name} in the pack (it has all, ${[...byName.keys()].join(", ")})`);
      continue;
    }
    if (
      typeof entry !== "string" &&
      (typeof entry !== "object" || entry === null || Array.isArray(entry))
    ) {
      problems.push(
        `${name}: an enforcement level or an object with enforcementLevel and properties`,
      );
      continue;
    }
    const { enforcementLevel, ...properties } =
      typeof entry === "string" ? { enforcementLevel: entry } : (entry as Record<string, unknown>);
    if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel as EnforcementLevel)) {
      problems.push(`${name}.enforcementLevel: not one of ${LEVELS.join(", ")}`);
    }
    const schema = policy?.configSchema ?? { properties: {} };
    const validate = new Ajv({ allErrors: true }).compile({
      type: "object",
      ...schema,
      additionalProperties: false,
    });
    if (!validate(properties)) {
      for (const error of validate.errors ?? []) {
        const where = error.instancePath.replaceAll("/", ".");
        const extra = (error.params as { additionalProperty?: string }).additionalProperty;
        problems.push(
          `${name}${where}: ${error.message ?? "does not match the policy's schema"}` +
            (extra === undefined ? "" : ` (${extra})`),
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new UsageError(`--config ${file}:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
  return parsed as PackConfig;
}

/** The resources of an offline run as a policy receives them. */
export function packResources(
  resources: readonly RegisteredResource[],
  stack: string,
): PackResource[] {
  const providers = resources.filter(({ type }) => type === "pulumi:providers:kubernetes");
  const provider =
    providers.length === 1
      ? { type: providers[0].type, props: plainInputs(providers[0].inputs) }
      : undefined;
  return resources
    .filter(({ custom }) => custom)
    .map(({ type, name, inputs }) => ({
      type,
      name,
      urn: `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`,
      props: plainInputs(inputs),
      provider: type.startsWith("kubernetes:") ? provider : undefined,
    }));
}

/** Every violation of every enabled policy, with the level the config gives it. */
export function offlineViolations(
  resources: readonly PackResource[],
  config: PackConfig = {},
): PolicyViolation[] {
  return policies.flatMap((policy) => {
    const { enforcementLevel, properties } = configOf(policy, config);
    if (enforcementLevel === "disabled") {
      return [];
    }
    const found: Violation[] = [];
    const validate = policy.validateStack as (
      args: unknown,
      report: (message: string, urn?: string) => void,
    ) => void;
    validate({ resources, getConfig: () => properties }, (message, urn) =>
      found.push({ message, urn: urn ?? "" }),
    );
    return found.map((violation) => {
      const resource = resources.find(({ urn }) => urn === violation.urn);
      return {
        ...violation,
        policy: policy.name,
        enforcementLevel,
        resource: resource ? `${resource.type} ${resource.name}` : "the stack",
      };
    });
  });
}

/** The report: one block per violation, as the CLI prints them under "Policies:". */
export function formatViolations(violations: readonly PolicyViolation[], stack: string): string {
  const mandatory = violations.filter(({ enforcementLevel: l }) => l === "mandatory").length;
  const lines = [
    `policy pack ${PACK_NAME} on stack ${stack} (offline): ${mandatory} mandatory, ` +
      `${violations.length - mandatory} advisory violation(s)`,
  ];
  for (const { enforcementLevel, policy, resource, message } of violations) {
    lines.push(`  - [${enforcementLevel}]  ${policy}  (${resource})`, `    ${message}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A policy's level and properties from the config: its own entry, else `all`, else its default. */
function configOf(
  policy: StackValidationPolicy,
  config: PackConfig,
): { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> } {
  const own = config[policy.name];
  const all = config.all;
  const levelOf = (entry: PackConfig[string] | undefined) =>
    typeof entry === "string" ? entry : (entry?.enforcementLevel as EnforcementLevel | undefined);
  const defaults = Object.fromEntries(
    Object.entries(policy.configSchema?.properties ?? {}).map(([name, schema]) => [
      name,
      (schema as { default?: unknown }).default,
    ]),
  );
  const properties = Object.fromEntries(
    Object.entries(typeof own === "object" ? own : {}).filter(
      ([key]) => key !== "enforcementLevel",
    ),
  );
  const level = levelOf(own) ?? levelOf(all) ?? policy.enforcementLevel ?? "advisory";
  return {
    // A stack policy cannot remediate: @pulumi/policy treats the level as mandatory (server.js).
    enforcementLevel: level === "remediate" ? "mandatory" : level,
    properties: { ...defaults, ...properties },
  };
}

/** Inputs with every secret unwrapped, as @pulumi/policy hands them to a validation policy. */
function plainInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  const unwrap = (value: unknown): unknown => {
    const open = plain(value);
    if (Array.isArray(open)) {
      return open.map(unwrap);
    }
    if (typeof open === "object" && open !== null) {
      return Object.fromEntries(Object.entries(open).map(([key, item]) => [key, unwrap(item)]));
    }
    return open;
  };
  return unwrap(inputs) as Record<string, unknown>;
}

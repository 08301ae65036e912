// The pack's policies: each a rule of rules/ over all of the program's resources (a stack policy, since
// most rules match objects with each other: a pod spec and the Secret it names). Enforcement
// levels are the defaults; a pack config file (`--policy-pack-config`, docs/policy.md)
// changes them per policy and holds the accepted credential findings.

import {
  EnforcementLevel,
  ReportViolation,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { PackResource, Violation } from "./kubernetesObjects";
import * as credential from "./rules/credentialInPlaintext";
import * as pullSecret from "./rules/pullSecretType";
import * as podSecurity from "./rules/podSecurityRestricted";
import * as roll from "./rules/rollOnDataChange";
import * as subPath from "./rules/subPathMount";

/** The pack's name, as PulumiPolicy.yaml and the CLI's output give it. */
export const PACK_NAME = "task-api-kubernetes";

function stackPolicy(
  name: string,
  description: string,
  enforcementLevel: EnforcementLevel,
  rule: (resources: readonly PackResource[], args: StackValidationArgs) => Violation[],
  configSchema?: StackValidationPolicy["configSchema"],
): StackValidationPolicy {
  return {
    name,
    description,
    enforcementLevel,
    configSchema,
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      for (const { message, urn } of rule(args.resources, args)) {
        reportViolation(message, urn);
      }
    },
  };
}

export const policies: StackValidationPolicy[] = [
  stackPolicy(
    credential.NAME,
    "No credential in a ConfigMap or a container's literal env value.",
    "mandatory",
    (resources, args) =>
      credential.credentialViolations(resources, args.getConfig<credential.CredentialConfig>()),
    {
      properties: {
        acceptedFindings: {
          type: "array",
          items: { type: "string", pattern: "^[A-Za-z0-9_.-]+:.+$" },
          default: [],
        },
      },
    },
  ),
  stackPolicy(
    pullSecret.NAME,
    "An imagePullSecrets entry names a Secret the kubelet can pull with.",
    "mandatory",
    pullSecret.pullSecretViolations,
  ),
  stackPolicy(
    roll.NAME,
    "A workload that reads a ConfigMap or Secret of the program rolls when its data changes.",
    "advisory",
    roll.rollViolations,
  ),
  stackPolicy(
    subPath.NAME,
    "No Secret or ConfigMap volume mounted with subPath, which is never refreshed.",
    "advisory",
    subPath.subPathViolations,
  ),
  stackPolicy(
    podSecurity.NAME,
    'Pods in a namespace that enforces Pod Security "restricted" pass it.',
    "mandatory",
    podSecurity.podSecurityViolations,
  ),
];

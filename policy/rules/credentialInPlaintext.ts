// A credential where everyone who can read the namespace reads it: a ConfigMap's data, or a
// container's literal `env` value (the Deployment is readable by far more people than its
// Secrets). The program's own judge decides (lib/config/credentials.ts: secretlint, its
// recommended preset and our rule), on `NAME=value` as the program asks it, and the program's own
// acceptance: `NAME:FINDING` accepts that one finding of that name (lib/config/validation.ts,
// declaredExceptions), here through the pack's config instead of the stack's nonSecretConfigKeys.
// A message names the finding, never the value.

import { credentialFindings } from "../../lib/config/credentials";
import { isShowableName } from "../../lib/config/quoting";
import { declaredExceptions } from "../../lib/config/validation";
import {
  PackResource,
  Violation,
  arrayOf,
  at,
  containersOf,
  describe,
  isObject,
  podSpecs,
  stringAt,
} from "../kubernetesObjects";

export const NAME = "no-credential-in-plaintext";

export interface CredentialConfig {
  /** `NAME:FINDING` entries, e.g. `SENTRY_DSN:task-api/SENTRY_DSN`, as a violation prints them. */
  readonly acceptedFindings?: readonly string[];
}

export function credentialViolations(
  resources: readonly PackResource[],
  config: CredentialConfig = {},
): Violation[] {
  const accepted = config.acceptedFindings ?? [];
  const violations: Violation[] = [];
  const check = (resource: PackResource, field: string, name: string, value: unknown) => {
    if (typeof value !== "string") {
      return;
    }
    const acceptedHere = declaredExceptions(accepted, name) ?? [];
    const findings = credentialFindings(`${name}=${value}`).filter(
      (finding) => !acceptedHere.includes(finding),
    );
    if (findings.length === 0) {
      return;
    }
    // A name may itself be a pasted credential: then it is described, never printed.
    const shown = isShowableName(name);
    const where = shown ? field : field.replace(name, "<a name not shown>");
    violations.push({
      urn: resource.urn,
      message:
        `${describe(resource)} ${where}: secretlint finds a credential (${findings.join(", ")}), ` +
        `in plaintext to everyone who can read the namespace. Treat it as leaked and rotate it; ` +
        `keep the new one in a Secret from an encrypted config value (pulumi config set --secret) ` +
        `and read it with envFrom secretRef or env valueFrom secretKeyRef. If it is not a secret, ` +
        (shown
          ? `accept exactly this finding: "${findings.map((f) => `${name}:${f}`).join('", "')}" in ` +
            `the pack config's ${NAME}.acceptedFindings.`
          : `rename it: a name that holds a credential cannot be accepted.`),
    });
  };
  for (const resource of resources) {
    if (resource.type === "kubernetes:core/v1:ConfigMap") {
      const data = at(resource.props, "data");
      if (isObject(data)) {
        for (const key of Object.keys(data)) {
          check(resource, `data.${key}`, key, at(data, key));
        }
      }
    }
  }
  for (const pod of podSpecs(resources)) {
    for (const { path, container } of containersOf(pod)) {
      arrayOf(at(container, "env")).forEach((variable, index) => {
        const name = stringAt(variable, "name");
        if (name !== undefined) {
          check(pod.resource, `${path}.env[${index}].value`, name, at(variable, "value"));
        }
      });
    }
  }
  return violations;
}

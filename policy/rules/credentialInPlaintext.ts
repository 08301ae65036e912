// A credential where everyone who can read the namespace reads it: a ConfigMap's data, or a
// container's literal `env` value (the Deployment is readable by far more people than its
// Secrets). The program's own judge decides (lib/credentials/detector.ts: secretlint, its
// recommended preset and our rule), on `NAME=value` as the program asks it, and the program's own
// acceptance: `NAME:FINDING` accepts that one finding of that name (lib/config/appConfig.ts,
// declaredExceptions), here through the pack's config instead of the stack's nonSecretConfigKeys.
// A message names the finding, never the value.

import { credentialFindings, scanForCredentials } from "../../lib/credentials/detector";
import { isShowableName } from "../../lib/config/quoting";
import { declaredExceptions } from "../../lib/config/appConfig";
import {
  containersOf,
  describe,
  isObject,
  itemsOf,
  PackResource,
  podSpecs,
  stringValueAt,
  valueAt,
  Violation,
} from "../kubernetesObjects";

export const NAME = "no-credential-in-plaintext";

export interface CredentialConfig {
  /** `NAME:FINDING` entries, e.g. `SENTRY_DSN:task-api/SENTRY_DSN`, as a violation prints it. */
  readonly acceptedFindings?: readonly string[];
}

/** A plaintext value of the program: where it is, under which name. */
interface PlaintextValue {
  readonly resource: PackResource;
  /** The field above the name, e.g. `data` or `spec.template.spec.containers[0].env[1]`. */
  readonly parent: string;
  /** How the name goes on in the field path: `.KEY` for data, `.value` for an env entry. */
  readonly field: (name: string) => string;
  readonly name: string;
  readonly value: string;
}

export function credentialViolations(
  resources: readonly PackResource[],
  config: CredentialConfig = {},
): Violation[] {
  const values = plaintextValues(resources);
  // One trip to the detector's worker for them all (lib/credentials/detector.ts).
  scanForCredentials(values.map(({ name, value }) => `${name}=${value}`));
  const accepted = config.acceptedFindings ?? [];
  return values.flatMap(({ resource, parent, field, name, value }) => {
    // A name may itself be a pasted credential: then it is described, never printed, and no
    // acceptance (which would have to print it) applies to it.
    const shown = isShowableName(name);
    const acceptedHere = shown ? (declaredExceptions(accepted, name) ?? []) : [];
    const findings = credentialFindings(`${name}=${value}`).filter(
      (finding) => !acceptedHere.includes(finding),
    );
    if (findings.length === 0) {
      return [];
    }
    return [
      {
        urn: resource.urn,
        message:
          `${describe(resource)} ${parent}${shown ? field(name) : field("<a name not shown>")}: ` +
          `secretlint finds a credential (${findings.join(", ")}), in plaintext to everyone who ` +
          `can read the namespace. Treat it as leaked and rotate it; keep the new one in a Secret ` +
          `from an encrypted config value (pulumi config set --secret) and read it with envFrom ` +
          `secretRef or env valueFrom secretKeyRef. If it is not a secret, ` +
          (shown
            ? `accept exactly this finding: "${findings.map((f) => `${name}:${f}`).join('", "')}" ` +
              `in the pack config's ${NAME}.acceptedFindings.`
            : `rename it: a name that holds a credential cannot be accepted.`),
      },
    ];
  });
}

/** Every known string of a ConfigMap's data and of a container's literal env. */
function plaintextValues(resources: readonly PackResource[]): PlaintextValue[] {
  const values: PlaintextValue[] = [];
  for (const resource of resources.filter(({ type }) => type === "kubernetes:core/v1:ConfigMap")) {
    const data = valueAt(resource.props, "data");
    for (const key of isObject(data) ? Object.keys(data) : []) {
      const value = valueAt(data, key);
      if (typeof value === "string") {
        values.push({ resource, parent: "data", field: (name) => `.${name}`, name: key, value });
      }
    }
  }
  for (const pod of podSpecs(resources)) {
    for (const { path, container } of containersOf(pod)) {
      for (const { item, index } of itemsOf(valueAt(container, "env"))) {
        const name = stringValueAt(item, "name");
        const value = stringValueAt(item, "value");
        if (name !== undefined && value !== undefined) {
          const parent = `${path}.env[${index}]`;
          values.push({ resource: pod.resource, parent, field: () => ".value", name, value });
        }
      }
    }
  }
  return values;
}

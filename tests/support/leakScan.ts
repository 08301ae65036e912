// Searches what the program produced for secrets: every non-secret property of every registered
// resource, every output a component registered, and any other text (outputs, logs, errors).

import * as pulumi from "@pulumi/pulumi";
import { isSecretInput, RecordingMocks } from "../../review/engine/mockRuntime";

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
export function findLeaks(haystacks: Record<string, unknown>, secrets: string[]): string[] {
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
export function nonSecretProperties(mocks: RecordingMocks): Record<string, unknown> {
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

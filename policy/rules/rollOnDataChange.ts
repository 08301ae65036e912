// Pods that keep running old config: a Deployment (or StatefulSet, DaemonSet) rolls its pods only
// when its pod template changes, and env vars from a ConfigMap or Secret are read once, at
// container start (docs/configuration.md, "Restarts: when pods roll, and why").
// So a workload that reads an object of the same program needs something in its template that
// changes with that object's data. Two things do, and the pack accepts either:
//
// - a `checksum/…` pod template annotation for the object (the program's pattern, lib/checksum.ts,
//   and Helm's, helm.sh/docs/howto/charts_tips_and_tricks): `checksum/config` or
//   `checksum/configmap` for a ConfigMap, `checksum/secret` or `checksum/secrets` for a Secret, or
//   `checksum/X` where the object's name ends with X (`checksum/files-tls` for `app-files-tls`).
//   A policy sees one preview, not two, so it cannot see the value change; it checks the pattern.
// - a new name on every change: an auto-named object (the provider's `pulumi.com/autonamed`
//   annotation) that its provider replaces when the data changes, i.e. one that is immutable or
//   whose provider does not set enableConfigMapMutable / enableSecretMutable
//   (pulumi-kubernetes provider/pkg/provider/diff.go, forceNewProperties). The reference then
//   changes, and with it the template.

import {
  PackResource,
  PodSpecAt,
  ROLLING_WORKLOADS,
  Violation,
  arrayOf,
  at,
  containersOf,
  describe,
  objectsByName,
  podSpecs,
  referencedName,
  stringAt,
} from "../kubernetesObjects";

export const NAME = "pods-roll-on-data-change";

type DataKind = "ConfigMap" | "Secret";

const TYPES: Readonly<Record<DataKind, string>> = {
  ConfigMap: "kubernetes:core/v1:ConfigMap",
  Secret: "kubernetes:core/v1:Secret",
};

const KIND_WORDS: Readonly<Record<DataKind, readonly string[]>> = {
  ConfigMap: ["config", "configmap"],
  Secret: ["secret", "secrets"],
};

const MUTABLE_FLAGS: Readonly<Record<DataKind, string>> = {
  ConfigMap: "enableConfigMapMutable",
  Secret: "enableSecretMutable",
};

/** A field of a pod spec that reads a ConfigMap or Secret by name. */
interface DataReference {
  readonly kind: DataKind;
  readonly name: string;
  readonly field: string;
}

export function rollViolations(resources: readonly PackResource[]): Violation[] {
  const objects = {
    ConfigMap: objectsByName(resources, TYPES.ConfigMap),
    Secret: objectsByName(resources, TYPES.Secret),
  };
  const violations: Violation[] = [];
  for (const pod of podSpecs(resources)) {
    if (!ROLLING_WORKLOADS.includes(pod.resource.type)) {
      continue;
    }
    const judged = new Set<PackResource>();
    for (const reference of dataReferences(pod)) {
      const object = objects[reference.kind].get(referencedName(pod, reference.name));
      if (object === undefined || judged.has(object)) {
        continue;
      }
      judged.add(object);
      if (renamedOnChange(object, reference.kind) || hasChecksum(pod, reference)) {
        continue;
      }
      violations.push({
        urn: pod.resource.urn,
        message:
          `${describe(pod.resource)} ${reference.field}: reads ${describe(object)}, and nothing ` +
          `in its pod template (${pod.path.replace(/\.spec$/, ".metadata.annotations")}) changes ` +
          `with that data, so a change of it leaves the running pods on the old data. Add a pod ` +
          `template annotation checksum/${KIND_WORDS[reference.kind][0]} whose value is a hash of ` +
          `the data (the pods then roll exactly when it changes; for a Secret, an HMAC with a key ` +
          `kept secret, not a plain hash of the values), or let the ${reference.kind} be ` +
          `auto-named so that every change replaces it under a new name.`,
      });
    }
  }
  return violations;
}

/** Every ConfigMap and Secret a pod spec reads: envFrom, env valueFrom, and volumes. */
function dataReferences(pod: PodSpecAt): DataReference[] {
  const references: DataReference[] = [];
  const add = (kind: DataKind, name: string | undefined, field: string) => {
    if (name !== undefined) {
      references.push({ kind, name, field });
    }
  };
  for (const { path, container } of containersOf(pod)) {
    arrayOf(at(container, "envFrom")).forEach((source, index) => {
      add("ConfigMap", stringAt(source, "configMapRef", "name"), `${path}.envFrom[${index}]`);
      add("Secret", stringAt(source, "secretRef", "name"), `${path}.envFrom[${index}]`);
    });
    arrayOf(at(container, "env")).forEach((variable, index) => {
      const field = `${path}.env[${index}].valueFrom`;
      add("ConfigMap", stringAt(variable, "valueFrom", "configMapKeyRef", "name"), field);
      add("Secret", stringAt(variable, "valueFrom", "secretKeyRef", "name"), field);
    });
  }
  arrayOf(at(pod.spec, "volumes")).forEach((volume, index) => {
    const field = `${pod.path}.volumes[${index}]`;
    add("ConfigMap", stringAt(volume, "configMap", "name"), field);
    add("Secret", stringAt(volume, "secret", "secretName"), field);
    arrayOf(at(volume, "projected", "sources")).forEach((source) => {
      add("ConfigMap", stringAt(source, "configMap", "name"), field);
      add("Secret", stringAt(source, "secret", "name"), field);
    });
  });
  return references;
}

function hasChecksum(pod: PodSpecAt, { kind, name }: DataReference): boolean {
  return Object.keys(pod.templateAnnotations ?? {}).some((key) => {
    const subject = key.startsWith("checksum/") ? key.slice("checksum/".length) : "";
    return subject !== "" && (KIND_WORDS[kind].includes(subject) || name.endsWith(subject));
  });
}

function renamedOnChange(object: PackResource, kind: DataKind): boolean {
  const autonamed =
    stringAt(object.props, "metadata", "annotations", "pulumi.com/autonamed") === "true";
  const immutable = at(object.props, "immutable") === true;
  // The provider's inputs hold its settings as JSON-encoded strings ("true") or as booleans.
  const mutable = at(object.provider?.props, MUTABLE_FLAGS[kind]);
  return autonamed && (immutable || !(mutable === true || mutable === "true"));
}

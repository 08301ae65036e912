// Pods that keep running old config: a Deployment (or StatefulSet, DaemonSet) rolls its pods only
// when its pod template changes, and env vars from a ConfigMap or Secret are read once, at
// container start (docs/configuration.md, "Restarts: when pods roll, and why").
// So a workload that reads an object of the same program needs something in its template that
// changes with that object's data. Two things do, and the pack accepts either:
//
// - a `checksum/…` pod template annotation for the object (the program's pattern, lib/checksum.ts,
//   and Helm's, helm.sh/docs/howto/charts_tips_and_tricks): `checksum/X` where X is the object's
//   name or ends it after a `-` (`checksum/files-tls` for `app-files-tls`), or, for the one
//   object of its kind that no such annotation names, `checksum/config` or `checksum/configmap`
//   (a ConfigMap), `checksum/secret` or `checksum/secrets` (a Secret). A policy sees one preview,
//   not two, so it cannot see the value change; it checks the pattern.
// - a new name on every change: an auto-named object (the provider's `pulumi.com/autonamed`
//   annotation) that its provider replaces when the data changes, i.e. one that is immutable or
//   whose provider does not set enableConfigMapMutable / enableSecretMutable
//   (pulumi-kubernetes provider/pkg/provider/diff.go, forceNewProperties). The reference then
//   changes, and with it the template.

import { CONFIG_CHECKSUM_ANNOTATION, SECRET_CHECKSUM_ANNOTATION } from "../../lib/checksum";
import {
  PackResource,
  PodSpecAt,
  ROLLING_WORKLOADS,
  Violation,
  itemsOf,
  valueAt,
  containersOf,
  describe,
  objectsByName,
  podSpecs,
  referencedName,
  stringValueAt,
} from "../kubernetesObjects";

export const NAME = "pods-roll-on-data-change";

type DataKind = "ConfigMap" | "Secret";

const TYPES: Readonly<Record<DataKind, string>> = {
  ConfigMap: "kubernetes:core/v1:ConfigMap",
  Secret: "kubernetes:core/v1:Secret",
};

/** The annotations that stand for the one object of a kind that none names. */
const KIND_CHECKSUMS: Readonly<Record<DataKind, readonly string[]>> = {
  ConfigMap: [CONFIG_CHECKSUM_ANNOTATION, "checksum/configmap"],
  Secret: [SECRET_CHECKSUM_ANNOTATION, "checksum/secrets"],
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

/** An object of the program that a pod spec reads, with the first field that reads it. */
interface ReadObject {
  readonly reference: DataReference;
  readonly object: PackResource;
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
    const read: ReadObject[] = [];
    for (const reference of dataReferences(pod)) {
      const key = referencedName(pod, reference.name);
      const object = key === undefined ? undefined : objects[reference.kind].get(key);
      if (object !== undefined && !read.some((earlier) => earlier.object === object)) {
        read.push({ reference, object });
      }
    }
    const checksums = Object.keys(pod.templateAnnotations ?? {}).filter((key) =>
      key.startsWith("checksum/"),
    );
    for (const { reference, object } of read) {
      if (renamedOnChange(object, reference.kind) || hasChecksum(reference, read, checksums)) {
        continue;
      }
      violations.push({
        urn: pod.resource.urn,
        message:
          `${describe(pod.resource)} ${reference.field}: reads ${describe(object)}, and nothing ` +
          `in its pod template (${pod.path.replace(/\.spec$/, ".metadata.annotations")}) changes ` +
          `with that data, so a change of it leaves the running pods on the old data. Add a pod ` +
          `template annotation ${KIND_CHECKSUMS[reference.kind][0]} whose value is a hash of ` +
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
    for (const { item: source, index } of itemsOf(valueAt(container, "envFrom"))) {
      add("ConfigMap", stringValueAt(source, "configMapRef", "name"), `${path}.envFrom[${index}]`);
      add("Secret", stringValueAt(source, "secretRef", "name"), `${path}.envFrom[${index}]`);
    }
    for (const { item: variable, index } of itemsOf(valueAt(container, "env"))) {
      const field = `${path}.env[${index}].valueFrom`;
      add("ConfigMap", stringValueAt(variable, "valueFrom", "configMapKeyRef", "name"), field);
      add("Secret", stringValueAt(variable, "valueFrom", "secretKeyRef", "name"), field);
    }
  }
  for (const { item: volume, index } of itemsOf(valueAt(pod.spec, "volumes"))) {
    const field = `${pod.path}.volumes[${index}]`;
    add("ConfigMap", stringValueAt(volume, "configMap", "name"), field);
    add("Secret", stringValueAt(volume, "secret", "secretName"), field);
    for (const { item: source } of itemsOf(valueAt(volume, "projected", "sources"))) {
      add("ConfigMap", stringValueAt(source, "configMap", "name"), field);
      add("Secret", stringValueAt(source, "secret", "name"), field);
    }
  }
  return references;
}

/**
 * Whether a checksum annotation stands for the object `reference` reads: one that names it, or
 * the generic one of its kind when it is the only object of that kind that none names.
 */
function hasChecksum(
  reference: DataReference,
  read: readonly ReadObject[],
  checksums: readonly string[],
): boolean {
  const names = (key: string, name: string) => {
    const subject = key.slice("checksum/".length);
    return subject !== "" && (name === subject || name.endsWith(`-${subject}`));
  };
  if (checksums.some((key) => names(key, reference.name))) {
    return true;
  }
  const unnamedOfKind = read.filter(
    (other) =>
      other.reference.kind === reference.kind &&
      !checksums.some((key) => names(key, other.reference.name)),
  );
  return (
    unnamedOfKind.length === 1 &&
    checksums.some((key) => KIND_CHECKSUMS[reference.kind].includes(key))
  );
}

function renamedOnChange(object: PackResource, kind: DataKind): boolean {
  const autonamed =
    stringValueAt(object.props, "metadata", "annotations", "pulumi.com/autonamed") === "true";
  const immutable = valueAt(object.props, "immutable") === true;
  // The provider's inputs hold its settings as JSON-encoded strings ("true") or as booleans.
  const mutable = valueAt(object.provider?.props, MUTABLE_FLAGS[kind]);
  return autonamed && (immutable || !(mutable === true || mutable === "true"));
}

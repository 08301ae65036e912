// A Secret (or ConfigMap) mounted with `subPath` is never refreshed: the kubelet updates the files
// of a mounted Secret or ConfigMap in place, but a subPath mount binds one file as it was at
// container start, and the Kubernetes documentation of both (kubernetes.io/docs/concepts/
// configuration/secret and .../configmap, on mounted data being updated) says a subPath mount
// receives no updates. A rotated certificate or password then never reaches the running pod. The
// program mounts its file sets as directories (components/SecretFileSet.ts).

import {
  PackResource,
  Violation,
  JsonObject,
  containersOf,
  describe,
  isObject,
  itemsOf,
  podSpecs,
  stringValueAt,
  valueAt,
} from "../kubernetesObjects";
import { isShowableName } from "../../lib/config/quoting";

export const NAME = "no-subpath-on-refreshed-volume";

export function subPathViolations(resources: readonly PackResource[]): Violation[] {
  const violations: Violation[] = [];
  for (const pod of podSpecs(resources)) {
    // The volumes whose files the kubelet refreshes, by name, with what they hold.
    const refreshed = new Map<string, string>();
    for (const { item: volume } of itemsOf(valueAt(pod.spec, "volumes"))) {
      const name = stringValueAt(volume, "name");
      const source = refreshedSource(volume);
      if (name !== undefined && source !== undefined) {
        refreshed.set(name, source);
      }
    }
    for (const { path, container } of containersOf(pod)) {
      for (const { item: mount, index } of itemsOf(valueAt(container, "volumeMounts"))) {
        const name = stringValueAt(mount, "name");
        const source = name === undefined ? undefined : refreshed.get(name);
        // An empty subPath is none (the API reference: "Defaults to "" (volume's root)").
        const subPathField = ["subPath", "subPathExpr"].find(
          (field) => (stringValueAt(mount, field) ?? "") !== "",
        );
        if (name === undefined || source === undefined || subPathField === undefined) {
          continue;
        }
        violations.push({
          urn: pod.resource.urn,
          message:
            `${describe(pod.resource)} ${path}.volumeMounts[${index}].${subPathField}: the ` +
            `volume ${isShowableName(name) ? `"${name}"` : "(its name not shown)"} (${source}) is mounted with ${subPathField}, so its file ` +
            `is never refreshed and a rotated value never reaches the running container. Mount ` +
            `the volume as a directory (drop ${subPathField}, set mountPath to a folder of its ` +
            `own) and point the app at the file in it.`,
        });
      }
    }
  }
  return violations;
}

function refreshedSource(volume: JsonObject): string | undefined {
  if (isObject(valueAt(volume, "secret"))) {
    return "a Secret";
  }
  if (isObject(valueAt(volume, "configMap"))) {
    return "a ConfigMap";
  }
  if (isObject(valueAt(volume, "projected"))) {
    return "a projected volume";
  }
  return undefined;
}

// What a render registers besides Kubernetes objects (providers, random keys, DigitalOcean
// credentials) and which properties are hidden as `[secret]`, for the reviewer who wants to know
// what `pulumi up` would create next to the manifests.

import { Manifest, describeObject, isKubernetesObjectType } from "./manifests";
import { RegisteredResource } from "./mockRuntime";
import { secretProperties, showInputs } from "./redaction";

export interface ResourceSummary {
  /** Custom resources that are not Kubernetes objects, with their inputs as shown. */
  readonly resources: readonly { type: string; name: string; inputs: unknown }[];
  /** Component resources, `type name`: the program's structure. */
  readonly components: readonly string[];
  /** `Secret ns/name: data`: every property shown as `[secret]`, by owner. */
  readonly secretProperties: readonly string[];
}

export function resourceSummary(
  resources: readonly RegisteredResource[],
  manifests: readonly Manifest[],
): ResourceSummary {
  const others = resources.filter((r) => r.custom && !isKubernetesObjectType(r.type));
  const byTypeAndName = (a: { type: string; name: string }, b: { type: string; name: string }) =>
    compare(`${a.type} ${a.name}`, `${b.type} ${b.name}`);
  return {
    resources: others
      .map((r) => ({ type: r.type, name: r.name, inputs: showInputs(r.inputs) }))
      .sort(byTypeAndName),
    components: resources
      .filter((r) => !r.custom)
      .map((r) => `${r.type} ${r.name}`)
      .sort(compare),
    secretProperties: [
      ...manifests.flatMap((m) =>
        m.secretProperties.map((p) => `${describeObject(m.shown)}: ${p}`),
      ),
      ...others.flatMap((r) => secretProperties(r.inputs).map((p) => `${r.type} ${r.name}: ${p}`)),
    ].sort(compare),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

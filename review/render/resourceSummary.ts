// What a render registers besides Kubernetes objects (providers, random keys, DigitalOcean
// credentials), the data sources the program read (invokes: which DOKS cluster it looked up), and
// which properties are hidden as `[secret]`, for the reviewer who wants to know what `pulumi up`
// would create next to the manifests, and where.

import { compareCodePoints } from "../../lib/values";
import { Manifest, describeObject, isKubernetesObjectType } from "./manifests";
import { RegisteredResource } from "../engine/mockRuntime";
import { secretProperties, showInputs } from "./redaction";
import { stableYaml } from "./stableYaml";

/** An invoke (data source read) as the program made it: its token and its inputs as shown. */
export interface Invoke {
  readonly token: string;
  readonly inputs: unknown;
}

export interface ResourceSummary {
  /** Custom resources that are not Kubernetes objects, with their inputs as shown. */
  readonly resources: readonly { type: string; name: string; inputs: unknown }[];
  /**
   * The invokes the program made, each once, sorted. The provider's kubeconfig is `[secret]` for
   * every cluster; the lookup's inputs (the cluster's name) say which one it is.
   */
  readonly invokes: readonly Invoke[];
  /** Component resources, `type name`: the program's structure. */
  readonly components: readonly string[];
  /** `Secret ns/name: data`: every property shown as `[secret]`, by owner. */
  readonly secretProperties: readonly string[];
}

export function resourceSummary(
  resources: readonly RegisteredResource[],
  manifests: readonly Manifest[],
  calls: readonly { token: string; inputs: Record<string, unknown> }[],
): ResourceSummary {
  const others = resources.filter((r) => r.custom && !isKubernetesObjectType(r.type));
  const byTypeAndName = (a: { type: string; name: string }, b: { type: string; name: string }) =>
    compareCodePoints(`${a.type} ${a.name}`, `${b.type} ${b.name}`);
  return {
    resources: others
      .map((r) => ({ type: r.type, name: r.name, inputs: showInputs(r.inputs) }))
      .sort(byTypeAndName),
    invokes: [...new Map(calls.map((call) => invokeEntry(call.token, call.inputs)))]
      .sort(([a], [b]) => compareCodePoints(a, b))
      .map(([, invoke]) => invoke),
    components: resources
      .filter((r) => !r.custom)
      .map((r) => `${r.type} ${r.name}`)
      .sort(compareCodePoints),
    secretProperties: [
      ...manifests.flatMap((m) =>
        m.secretProperties.map((p) => `${describeObject(m.shown)}: ${p}`),
      ),
      ...others.flatMap((r) => secretProperties(r.inputs).map((p) => `${r.type} ${r.name}: ${p}`)),
    ].sort(compareCodePoints),
  };
}

// Keyed by what is shown, so that the same lookup made twice is listed once, and ordered by the
// same text, so that the order in which the program's lookups ran never shows as a change.
function invokeEntry(token: string, inputs: Record<string, unknown>): [string, Invoke] {
  const shown = { token, inputs: showInputs(inputs) };
  return [stableYaml(shown), shown];
}

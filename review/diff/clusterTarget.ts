// Where a render's Kubernetes objects land. Offline, the provider's kubeconfig is `[secret]` for
// every cluster, so a move to another cluster shows only in the provider's inputs that pick one
// (`context`, ...) and in the lookups the program made (the DOKS cluster's name). When the cluster
// they describe differs between base and head, `pulumi up` creates every object on the other
// cluster: its pods start there, whatever their templates say.

import { isPlainObject } from "../../lib/values";
import { DOKS_LOOKUP, KUBERNETES_PROVIDER } from "../engine/programFacts";
import { Invoke, ResourceSummary } from "../render/resourceSummary";
import { stableYaml } from "../render/stableYaml";

/** pulumi-kubernetes provider inputs that pick the cluster, and that `clusterTarget` describes. */
const CLUSTER_INPUTS = ["kubeconfig", "context", "cluster"];

export interface ProviderChanges {
  /** `target cluster changed: A -> B`, if the objects land on another cluster. */
  readonly target?: string;
  /** Other changes of the providers' inputs or of the lookups, with the cluster they target. */
  readonly notes: readonly string[];
}

/** `doks task-api-staging`, `context kind-dev`, `the current kubeconfig context`. */
export function clusterTarget(summary: ResourceSummary): string {
  const lookups = summary.invokes.map(describeLookup);
  const settings = kubernetesProviders(summary).flatMap(({ name, inputs }) => {
    if (typeof inputs.context === "string") {
      return [`context ${inputs.context}`];
    }
    if (typeof inputs.cluster === "string") {
      return [`kubeconfig cluster ${inputs.cluster}`];
    }
    if (inputs.kubeconfig !== undefined) {
      // A kubeconfig the program built from a lookup is described by the lookup.
      return lookups.length > 0 ? [] : [`the kubeconfig given to provider ${name}`];
    }
    return ["the current kubeconfig context"];
  });
  return [...new Set([...lookups, ...settings])].join(", ");
}

/** How the Kubernetes providers and the lookups differ between two renders that both exist. */
export function providerChanges(before: ResourceSummary, after: ResourceSummary): ProviderChanges {
  const from = clusterTarget(before);
  const to = clusterTarget(after);
  const moved = from !== to;
  const beforeInputs = new Map(kubernetesProviders(before).map((p) => [p.name, p.inputs]));
  const notes = kubernetesProviders(after).flatMap(({ name, inputs }) => {
    const old = beforeInputs.get(name) ?? {};
    const changed = [...new Set([...Object.keys(old), ...Object.keys(inputs)])]
      .filter((key) => stableYaml(old[key]) !== stableYaml(inputs[key]))
      // When the cluster changed, the target line says it already.
      .filter((key) => !(moved && CLUSTER_INPUTS.includes(key)))
      .sort();
    return changed.length > 0
      ? [`Kubernetes provider ${name}: ${changed.join(", ")} changed (cluster: ${to})`]
      : [];
  });
  if (!moved && stableYaml(before.invokes) !== stableYaml(after.invokes)) {
    notes.push(`the program's lookups changed (cluster: ${to}); summary.txt lists them`);
  }
  return { target: moved ? `target cluster changed: ${from} -> ${to}` : undefined, notes };
}

function kubernetesProviders(
  summary: ResourceSummary,
): { name: string; inputs: Record<string, unknown> }[] {
  return summary.resources
    .filter((resource) => resource.type === KUBERNETES_PROVIDER)
    .map(({ name, inputs }) => ({ name, inputs: isPlainObject(inputs) ? inputs : {} }));
}

function describeLookup(invoke: Invoke): string {
  const name = isPlainObject(invoke.inputs) ? invoke.inputs.name : undefined;
  return invoke.token === DOKS_LOOKUP && typeof name === "string"
    ? `doks ${name}`
    : `${invoke.token} ${JSON.stringify(invoke.inputs)}`;
}

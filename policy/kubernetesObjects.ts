// How the pack reads any program's Kubernetes resources: which resource types hold a pod spec and
// where, what is not known yet during a preview, and how objects of the same program are matched:
// by kind, namespace and name, the namespace being the object's own, else its provider's, else
// `default`, where the API server puts an object without one. Only what the program declares is
// judged: an object made elsewhere (kubectl, another stack) may exist in the cluster.

import * as policySdk from "@pulumi/policy";

// @pulumi/policy exports the error it throws on an unknown value (index.js) but marks it internal,
// so its typings leave it out.
const { UnknownValueError } = policySdk as unknown as {
  UnknownValueError: new (...args: never[]) => Error;
};

/** What a policy needs of a resource: the shape of @pulumi/policy's PolicyResource. */
export interface PackResource {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  /** The resource's inputs after its provider's check, as the engine sent them. */
  readonly props: Record<string, unknown>;
  readonly provider?: { readonly type: string; readonly props: Record<string, unknown> };
}

/** A violation of one policy: the resource, and a message that names the field and the fix. */
export interface Violation {
  readonly urn: string;
  readonly message: string;
}

/** A JSON object of a resource's inputs. */
export type JsonObject = Record<string, unknown>;

/** A pod spec within a resource: where it is, and the pod template's metadata when it has one. */
export interface PodSpecAt {
  readonly resource: PackResource;
  /** The field path of the pod spec, e.g. `spec.template.spec`. */
  readonly path: string;
  readonly spec: JsonObject;
  /** The pod template's annotations; undefined for a bare Pod. */
  readonly templateAnnotations?: JsonObject;
}

// Where each workload type keeps its pod spec (the API reference of each kind).
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  "kubernetes:core/v1:Pod": ["spec"],
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** Workloads whose pods are replaced when, and only when, their pod template changes. */
export const ROLLING_WORKLOADS: readonly string[] = [
  "kubernetes:apps/v1:Deployment",
  "kubernetes:apps/v1:StatefulSet",
  "kubernetes:apps/v1:DaemonSet",
];

/**
 * What `valueAt` gives for a value the engine does not know yet: during a preview, an input
 * computed from another resource's output, which @pulumi/policy throws on when a policy reads it.
 * Distinct from undefined (not set): a rule judges neither, and the update, where the value is
 * known, runs the policies again.
 */
export const UNKNOWN = Symbol("unknown during preview");

function readKnown(read: () => unknown): unknown {
  try {
    return read();
  } catch (error) {
    if (error instanceof UnknownValueError) {
      return UNKNOWN;
    }
    throw error;
  }
}

/**
 * The value at a path of fields below a value: undefined when a field on the way is missing or
 * not an object, UNKNOWN when one is not known yet.
 */
export function valueAt(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const field of path) {
    if (current === UNKNOWN) {
      return UNKNOWN;
    }
    if (!isObject(current)) {
      return undefined;
    }
    const parent = current;
    current = readKnown(() => parent[field]);
  }
  return current;
}

/** The string at a path below a value (see valueAt), or undefined (also when unknown). */
export function stringValueAt(value: unknown, ...path: string[]): string | undefined {
  const found = valueAt(value, ...path);
  return typeof found === "string" ? found : undefined;
}

/** Whether a value and everything below it is known: a rule that reads all of it judges it. */
export function isFullyKnown(value: unknown): boolean {
  const visit = (item: unknown): boolean => {
    if (item === UNKNOWN) {
      return false;
    }
    if (typeof item !== "object" || item === null) {
      return true;
    }
    const parent = item as Record<string, unknown>;
    return Object.keys(parent).every((key) => visit(readKnown(() => parent[key])));
  };
  return visit(value);
}

/**
 * The known object items of a list field, with their index (for the field paths a message
 * prints). An item not known yet is left out: it is judged in the update.
 */
export function itemsOf(value: unknown): { readonly item: JsonObject; readonly index: number }[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return Array.from({ length: value.length }, (_, index) => ({
    item: readKnown(() => value[index] as unknown),
    index,
  })).filter((entry): entry is { item: JsonObject; index: number } => isObject(entry.item));
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The pod spec of a workload resource, or undefined when the type holds none. */
export function podSpecOf(resource: PackResource): PodSpecAt | undefined {
  const path = POD_SPEC_PATHS[resource.type];
  const spec = path && valueAt(resource.props, ...path);
  if (!path || !isObject(spec)) {
    return undefined;
  }
  const template = path.length > 1 ? path.slice(0, -1) : undefined;
  const annotations = template && valueAt(resource.props, ...template, "metadata", "annotations");
  return {
    resource,
    path: path.join("."),
    spec,
    templateAnnotations: template ? (isObject(annotations) ? annotations : {}) : undefined,
  };
}

export function podSpecs(resources: readonly PackResource[]): PodSpecAt[] {
  return resources.flatMap((resource) => podSpecOf(resource) ?? []);
}

/** A container of a pod spec with its field path, init and ephemeral containers included. */
export interface ContainerAt {
  readonly path: string;
  readonly container: JsonObject;
}

export function containersOf({ path, spec }: PodSpecAt): ContainerAt[] {
  return (["initContainers", "containers", "ephemeralContainers"] as const).flatMap((list) =>
    itemsOf(valueAt(spec, list)).map(({ item, index }) => ({
      path: `${path}.${list}[${index}]`,
      container: item,
    })),
  );
}

/** A resource's kind as its type token names it: `kubernetes:core/v1:Secret` → `Secret`. */
export function kindOf(resource: PackResource): string {
  return resource.type.slice(resource.type.lastIndexOf(":") + 1);
}

/**
 * The namespace a namespaced object lands in: its own, else its provider's `namespace` setting,
 * else `default` (what the API server gives an object created without one). Undefined when not
 * known yet.
 */
export function namespaceOf(resource: PackResource): string | undefined {
  const own = valueAt(resource.props, "metadata", "namespace");
  if (own === UNKNOWN) {
    return undefined;
  }
  if (typeof own === "string" && own !== "") {
    return own;
  }
  const ofProvider = valueAt(resource.provider?.props, "namespace");
  return typeof ofProvider === "string" && ofProvider !== "" ? ofProvider : "default";
}

/** How a violation names a resource: its kind and `namespace/name` as the program wrote them. */
export function describe(resource: PackResource): string {
  const name = stringValueAt(resource.props, "metadata", "name") ?? resource.name;
  const namespace = stringValueAt(resource.props, "metadata", "namespace");
  return `${kindOf(resource)} "${namespace ? `${namespace}/${name}` : name}"`;
}

/**
 * The program's objects of one type by `namespace/name`: what a pod spec's reference (a name, in
 * the pod's namespace) finds. An object whose name or namespace is not known yet is left out:
 * nothing can be said to name it.
 */
export function objectsByName(
  resources: readonly PackResource[],
  type: string,
): Map<string, PackResource> {
  const found = new Map<string, PackResource>();
  for (const resource of resources.filter((candidate) => candidate.type === type)) {
    const name = stringValueAt(resource.props, "metadata", "name");
    const namespace = namespaceOf(resource);
    if (name !== undefined && namespace !== undefined) {
      found.set(`${namespace}/${name}`, resource);
    }
  }
  return found;
}

/** `namespace/name` of an object that a pod spec names, in the pod's namespace. */
export function referencedName(pod: PodSpecAt, name: string): string | undefined {
  const namespace = namespaceOf(pod.resource);
  return namespace === undefined ? undefined : `${namespace}/${name}`;
}

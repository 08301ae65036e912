// How the pack reads any program's Kubernetes resources: which resource types hold a pod spec and
// where, what a pod spec refers to, and how objects of the same program are matched (kind,
// namespace as written, name). Only what the program wrote is known: an object the program does
// not declare (made by kubectl, another stack) is never judged.

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
export type Json = Record<string, unknown>;

/** A pod spec within a resource: where it is, and the pod template's metadata when it has one. */
export interface PodSpecAt {
  readonly resource: PackResource;
  /** The field path of the pod spec, e.g. `spec.template.spec`. */
  readonly path: string;
  readonly spec: Json;
  /** The pod template's annotations; undefined for a bare Pod. */
  readonly templateAnnotations?: Json;
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
 * A value the engine may not know yet: during a preview, an input computed from another resource's
 * output is unknown, and @pulumi/policy throws when a policy reads it. Such a value is skipped (the
 * update, where it is known, runs the policies again), so one unknown field never stops a policy.
 */
export function known<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof UnknownValueError) {
      return undefined;
    }
    throw error;
  }
}

/**
 * The value at a path of fields below a value, or undefined when a field on the way is missing, is
 * not an object, or is not known yet.
 */
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const field of path) {
    if (!isObject(current)) {
      return undefined;
    }
    const parent = current;
    current = known(() => parent[field]);
  }
  return current;
}

/** The string at a path below a value (see at), or undefined. */
export function stringAt(value: unknown, ...path: string[]): string | undefined {
  const found = at(value, ...path);
  return typeof found === "string" ? found : undefined;
}

/** The pod spec of a workload resource, or undefined when the type holds none. */
export function podSpecOf(resource: PackResource): PodSpecAt | undefined {
  const path = POD_SPEC_PATHS[resource.type];
  const spec = path && at(resource.props, ...path);
  if (!path || !isObject(spec)) {
    return undefined;
  }
  const template = path.length > 1 ? path.slice(0, -1) : undefined;
  const annotations = template && at(resource.props, ...template, "metadata", "annotations");
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
  readonly container: Json;
}

export function containersOf({ path, spec }: PodSpecAt): ContainerAt[] {
  return (["initContainers", "containers", "ephemeralContainers"] as const).flatMap((list) =>
    arrayOf(at(spec, list)).map((container, index) => ({
      path: `${path}.${list}[${index}]`,
      container,
    })),
  );
}

/**
 * The items of a list field, each an object: an item that is not one (or not known yet) reads as
 * `{}`, so that the others keep their index in the field paths a message prints.
 */
export function arrayOf(value: unknown): Json[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return Array.from({ length: value.length }, (_, index) => {
    const item = known(() => value[index] as unknown);
    return isObject(item) ? item : {};
  });
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A resource's kind as its type token names it: `kubernetes:core/v1:Secret` → `Secret`. */
export function kindOf(resource: PackResource): string {
  return resource.type.slice(resource.type.lastIndexOf(":") + 1);
}

/** `namespace/name` as the program wrote it (`name` when it set no namespace). */
export function objectName(resource: PackResource): string {
  const name = stringAt(resource.props, "metadata", "name") ?? resource.name;
  const namespace = stringAt(resource.props, "metadata", "namespace");
  return namespace ? `${namespace}/${name}` : name;
}

/** How a violation names a resource: its kind and `namespace/name`. */
export function describe(resource: PackResource): string {
  return `${kindOf(resource)} "${objectName(resource)}"`;
}

/**
 * The program's objects of one type, by `namespace/name`: what a pod spec's reference (by name, in
 * the pod's own namespace) finds. Objects whose name is unknown yet cannot be found.
 */
export function objectsByName(
  resources: readonly PackResource[],
  type: string,
): Map<string, PackResource> {
  return new Map(
    resources
      .filter((resource) => resource.type === type)
      .map((resource) => [objectName(resource), resource] as const),
  );
}

/** `namespace/name` of an object that a pod spec names, in the pod's namespace. */
export function referencedName(pod: PodSpecAt, name: string): string {
  const namespace = stringAt(pod.resource.props, "metadata", "namespace");
  return namespace ? `${namespace}/${name}` : name;
}

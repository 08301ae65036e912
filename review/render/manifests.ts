// The Kubernetes objects a program registers, as manifests: one per object, with a file name that
// depends only on the object's kind, namespace and name, so renders of two versions of the program
// line up file by file.

import { RegisteredResource } from "../engine/mockRuntime";
import { compareCodePoints, isPlainObject } from "../../lib/values";
import { revealInputs, secretProperties, showInputs } from "./redaction";

/** The part of every Kubernetes object the review tools rely on. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** One object of a render. */
export interface Manifest {
  /** `<kind>.<namespace>.<name>.yaml`, lowercase kind; cluster-scoped objects have no namespace. */
  readonly fileName: string;
  /** What reviewers read: every secret value shown as `[secret]`. */
  readonly shown: KubernetesObject;
  /** What the API server would receive, secrets included: validated, never written. */
  readonly actual: KubernetesObject;
  /** Top-level properties that arrived secret, e.g. a Secret's `data`. */
  readonly secretProperties: readonly string[];
  /** Registered with `retainOnDelete`: removed from the stack, the object stays in the cluster. */
  readonly retained: boolean;
}

/** pulumi-kubernetes type tokens: `kubernetes:<group>/<version>:<Kind>`. */
const KUBERNETES_TYPE = /^kubernetes:[^:]+:[^:]+$/;

export function isKubernetesObjectType(type: string): boolean {
  return KUBERNETES_TYPE.test(type);
}

/** Every Kubernetes object among `resources`, ordered by file name. */
export function manifestsOf(resources: readonly RegisteredResource[]): Manifest[] {
  const manifests = resources
    .filter((resource) => resource.custom && isKubernetesObjectType(resource.type))
    .map((resource) => {
      const shown = asKubernetesObject(showInputs(resource.inputs), resource);
      return {
        fileName: manifestFileName(shown),
        shown,
        actual: asKubernetesObject(revealInputs(resource.inputs), resource),
        secretProperties: secretProperties(resource.inputs),
        retained: resource.retainOnDelete ?? false,
      };
    })
    .sort((a, b) => compareCodePoints(a.fileName, b.fileName));
  for (let i = 1; i < manifests.length; i++) {
    if (manifests[i].fileName === manifests[i - 1].fileName) {
      throw new Error(`two objects would be written to ${manifests[i].fileName}`);
    }
  }
  return manifests;
}

export function manifestFileName(object: KubernetesObject): string {
  const { namespace, name } = object.metadata;
  return (
    [object.kind.toLowerCase(), namespace, name].filter((part) => part !== undefined).join(".") +
    ".yaml"
  );
}

/** `Deployment task-api-staging/task-api`: how messages name an object. */
export function describeObject(object: KubernetesObject): string {
  const { namespace, name } = object.metadata;
  return `${object.kind} ${namespace === undefined ? name : `${namespace}/${name}`}`;
}

// pulumi-kubernetes puts apiVersion and kind into the inputs of every object it registers; an
// object without them, or without a name, cannot be rendered and says so.
function asKubernetesObject(inputs: unknown, resource: RegisteredResource): KubernetesObject {
  if (
    isPlainObject(inputs) &&
    typeof inputs.apiVersion === "string" &&
    typeof inputs.kind === "string" &&
    isPlainObject(inputs.metadata) &&
    typeof inputs.metadata.name === "string"
  ) {
    return inputs as KubernetesObject;
  }
  throw new Error(
    `${resource.type} "${resource.name}" has no apiVersion, kind and metadata.name to render ` +
      `(set metadata.name explicitly; auto-names are chosen by the engine)`,
  );
}

// Which objects `pulumi up` would replace, not update, and what that means for the running app:
// the lines `npm run diff` prints before its restart verdict. A reviewer who reads "pods will
// restart" for a selector change would expect a rolling update; the provider deletes the
// Deployment and creates it again, every pod down at once.
//
// The fields are pulumi-kubernetes' own (provider/pkg/provider/diff.go, forceNewProperties): for
// every kind `.metadata.name` and `.metadata.namespace`; a Deployment's `.spec.selector`; a
// Secret's `.type`; and a Secret's or ConfigMap's data when it is `immutable: true` (the program's
// provider sets enableSecretMutable and enableConfigMapMutable, so other data changes update in
// place). An object whose name is fixed, as all of this program's are, is deleted before its
// replacement is created (the provider asks for deleteBeforeReplace when metadata.name is set).
// A removed object registered with `retainOnDelete` is only forgotten by the stack.

import { isDeepStrictEqual } from "node:util";
import { KubernetesObject } from "../render/manifests";
import { Rendering } from "../render/render";

/** What the app goes through when an object of this kind is deleted and created again. */
const MEANING: Readonly<Record<string, string>> = {
  Deployment:
    "every pod is deleted at once, then the new ones start: the app is down until they are Ready",
  Secret:
    "the Secret is missing for a moment: pods starting then cannot start until it exists, running ones keep their environment",
  ConfigMap:
    "the ConfigMap is missing for a moment: pods starting then cannot start until it exists, running ones keep their environment",
  Namespace: "everything in the namespace is deleted with it",
};

const identity = (o: KubernetesObject) =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;

/** The provider's replacing fields that differ between two versions of one object. */
function replacingChanges(before: KubernetesObject, after: KubernetesObject): string[] {
  const changed = (path: string, a: unknown, b: unknown) => (isDeepStrictEqual(a, b) ? [] : [path]);
  const spec = (o: KubernetesObject) => (o.spec ?? {}) as { selector?: unknown };
  const immutable = before.immutable === true || after.immutable === true;
  return [
    ...changed(".metadata.namespace", before.metadata.namespace, after.metadata.namespace),
    ...(after.kind === "Deployment"
      ? changed(".spec.selector", spec(before).selector, spec(after).selector)
      : []),
    ...(after.kind === "Secret" ? changed(".type", before.type, after.type) : []),
    ...((after.kind === "Secret" || after.kind === "ConfigMap") && immutable
      ? [
          ...changed(".data", before.data, after.data),
          ...changed(".immutable", before.immutable, after.immutable),
        ]
      : []),
  ];
}

/**
 * One line per object replaced or removed between `base` and `head`: `replaced: KIND NS/NAME
 * (FIELDS): what it means`, and `removed from the stack, kept in the cluster: ...` for a retained
 * one. Objects are matched by kind and name; a kind with exactly one object on each side and
 * another name or namespace is that object moved, which the provider also replaces.
 */
export function replacementLines(base: Rendering, head: Rendering): string[] {
  const lines: string[] = [];
  const matched = new Set<KubernetesObject>();
  const retainedBefore = new Set(base.retained ?? []);
  const fileOf = (rendering: Rendering, object: KubernetesObject) =>
    Object.keys(rendering.files)[rendering.objects.indexOf(object)];
  for (const after of head.objects) {
    const sameKind = base.objects.filter((o) => o.kind === after.kind);
    const before =
      sameKind.find(
        (o) =>
          o.metadata.name === after.metadata.name &&
          o.metadata.namespace === after.metadata.namespace,
      ) ??
      (sameKind.length === 1 && head.objects.filter((o) => o.kind === after.kind).length === 1
        ? sameKind[0]
        : undefined);
    if (before === undefined) {
      continue;
    }
    matched.add(before);
    const fields = [
      ...(before.metadata.name === after.metadata.name ? [] : [".metadata.name"]),
      ...replacingChanges(before, after),
    ];
    if (fields.length > 0) {
      lines.push(
        retainedBefore.has(fileOf(base, before))
          ? `replaced: ${identity(after)} (${fields.join(", ")}): created anew; the old ${identity(before)} is kept in the cluster (retainOnDelete)`
          : `replaced: ${identity(after)} (${fields.join(", ")}): deleted, then created again; ${MEANING[after.kind] ?? "it is missing in between"}`,
      );
    }
  }
  for (const before of base.objects.filter((o) => !matched.has(o))) {
    if (head.objects.some((o) => identity(o) === identity(before))) {
      continue;
    }
    lines.push(
      retainedBefore.has(fileOf(base, before))
        ? `removed from the stack, kept in the cluster (retainOnDelete): ${identity(before)}`
        : `deleted: ${identity(before)}`,
    );
  }
  return lines;
}

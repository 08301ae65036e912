/**
 * Annotations on every object the program owns. `pulumi.com/patchForce` makes the provider's
 * server-side apply take every field it sets even when another field manager holds it
 * (pulumi-kubernetes, pkg/await/await.go, patchForce). Without it, one `kubectl edit` of the
 * ConfigMap or Secret leaves the field owned by "kubectl-edit", and from then on every preview and
 * `up` fails with "Server-Side Apply field conflict detected" instead of showing the drift and
 * putting the stack's value back (found by the end-to-end run, e2e/lifecycle.e2e.test.ts). The
 * program owns these objects whole, so its values win.
 */
export const OWNED_OBJECT_ANNOTATIONS: Readonly<Record<string, string>> = {
  "pulumi.com/patchForce": "true",
};

import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { OWNED_OBJECT_ANNOTATIONS } from "../lib/ownership";

/** Pod Security Standards levels (kubernetes.io/docs/concepts/security/pod-security-standards). */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export interface AppNamespaceArgs {
  /** Name of the namespace, e.g. `task-api-staging`. */
  readonly namespaceName: string;
  /** Pod Security Admission level enforced, warned about and audited. @default "restricted" */
  readonly podSecurity?: PodSecurityLevel;
  /** Further labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The stack's namespace, labelled so that Pod Security Admission enforces the "restricted"
 * standard: a pod that is not hardened is refused by the API server, not merely discouraged.
 */
export class AppNamespace extends pulumi.ComponentResource {
  /** Name of the namespace; depending on it orders every object after the namespace exists. */
  public readonly namespaceName: pulumi.Output<string>;

  constructor(name: string, args: AppNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("task-api:k8s:AppNamespace", name, {}, opts);

    const level = args.podSecurity ?? "restricted";
    const namespace = new corev1.Namespace(
      name,
      {
        metadata: {
          name: args.namespaceName,
          labels: {
            ...args.labels,
            "pod-security.kubernetes.io/enforce": level,
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/warn": level,
            "pod-security.kubernetes.io/audit": level,
          },
          annotations: { ...OWNED_OBJECT_ANNOTATIONS },
        },
      },
      // Deleting a namespace deletes everything in it, including what others put there. If this
      // stack stops managing it (createNamespace: false) or is destroyed, the namespace stays.
      { parent: this, retainOnDelete: true },
    );

    this.namespaceName = namespace.metadata.name;
    this.registerOutputs({ namespaceName: this.namespaceName });
  }
}

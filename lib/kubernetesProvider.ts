import * as digitalocean from "@pulumi/digitalocean";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings } from "./stackConfig";

/**
 * The Kubernetes provider every object of the app is created with.
 *
 * `enableSecretMutable` and `enableConfigMapMutable` (stable since pulumi-kubernetes 4.24, #3886):
 * without them a data change *replaces* our fixed-name Secret and ConfigMap by deleting first, so
 * pods starting in between fail with CreateContainerConfigError. With them the change is an
 * in-place update, and the checksum annotations roll the pods (DESIGN.md, Pulumi fact 1).
 */
export function createKubernetesProvider(
  name: string,
  cluster: ClusterSettings,
  opts?: pulumi.CustomResourceOptions,
): k8s.Provider {
  const mutable = { enableSecretMutable: true, enableConfigMapMutable: true };
  if (cluster.kind === "kubeconfig") {
    // No kubeconfig given: the provider uses $KUBECONFIG or ~/.kube/config like kubectl does.
    return new k8s.Provider(name, { ...mutable, context: cluster.context }, opts);
  }
  // Looked up on every run rather than stored from a cluster resource: DOKS kubeconfigs carry a
  // token that expires (7 days by default), and a kubeconfig frozen in state breaks later runs.
  const doks = digitalocean.getKubernetesClusterOutput({ name: cluster.clusterName }, opts);
  const kubeconfig = pulumi.secret(
    doks.kubeConfigs.apply((configs) => firstKubeconfig(cluster.clusterName, configs)),
  );
  return new k8s.Provider(name, { ...mutable, kubeconfig }, opts);
}

/** The kubeconfig DigitalOcean returned for a cluster; a deploy-time fact, so checked here. */
export function firstKubeconfig(
  clusterName: string,
  configs: readonly { readonly rawConfig: string }[],
): string {
  const raw = configs[0]?.rawConfig;
  if (!raw) {
    // No kubeconfig content in the message: it would carry the cluster's token.
    throw new Error(`DigitalOcean returned no kubeconfig for the DOKS cluster "${clusterName}"`);
  }
  return raw;
}

import { getKubernetesClusterOutput } from "@pulumi/digitalocean/getKubernetesCluster";
import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { ClusterSettings } from "./config/settings";

/**
 * The Kubernetes provider every object of the app is created with.
 *
 * `enableSecretMutable` and `enableConfigMapMutable` (stable since pulumi-kubernetes 4.24, #3886):
 * without them a data change *replaces* our fixed-name Secret and ConfigMap by deleting first, so
 * pods starting in between fail with CreateContainerConfigError. With them the change is an
 * in-place update, and the checksum annotations roll the pods (docs/configuration.md, "Restarts:
 * when pods roll, and why"; uids and ReplicaSets checked in e2e/scenarios.e2e.test.ts).
 *
 * `upsertExistingObjects` (pulumi-kubernetes 4.29+, #4278): creating an object that already exists
 * updates it by server-side apply instead of failing with AlreadyExists. Off unless the stack sets
 * `task-api:adoptExisting` for the update that takes objects over (docs/moving-from-kubectl.md):
 * left on, a resource renamed without an alias is created over the live object and then deleted.
 * Changing it updates the provider, never replaces it (its DiffConfig replaces only for a new
 * cluster), so no object is replaced.
 */
export function createKubernetesProvider(
  name: string,
  cluster: ClusterSettings,
  behaviour: { readonly upsertExistingObjects: boolean },
  opts?: pulumi.CustomResourceOptions,
): Provider {
  const mutable = {
    enableSecretMutable: true,
    enableConfigMapMutable: true,
    // Left out when off, so that stacks which never set it keep the provider's inputs unchanged.
    ...(behaviour.upsertExistingObjects ? { upsertExistingObjects: true } : {}),
  };
  if (cluster.kind === "kubeconfig") {
    // No kubeconfig given: the provider uses $KUBECONFIG or ~/.kube/config like kubectl does.
    return new Provider(name, { ...mutable, context: cluster.context }, opts);
  }
  // Looked up on every run, never taken from a cluster resource kept in state.
  const doks = getKubernetesClusterOutput({ name: cluster.clusterName }, opts);
  const kubeconfig = pulumi.secret(
    doks.apply((found) => doksKubeconfig(cluster.clusterName, found)),
  );
  return new Provider(name, { ...mutable, kubeconfig }, opts);
}

/** What the DOKS lookup returns that a kubeconfig needs. */
export interface DoksCluster {
  readonly id: string;
  readonly endpoint: string;
  readonly kubeConfigs: readonly { readonly clusterCaCertificate: string }[];
}

/**
 * A kubeconfig for a DOKS cluster that holds no credential: `doctl` fetches a short-lived token
 * whenever the provider connects, exactly as the kubeconfig `doctl kubernetes cluster kubeconfig
 * save` writes does (doctl, commands/kubernetes.go). The raw kubeconfig DigitalOcean returns
 * instead embeds a token minted on every lookup and valid 7 days: kept in state as the provider's
 * input, it would differ on every run (a provider change in every preview and drift check) and
 * break `pulumi refresh` and `destroy` a week after the last update.
 */
export function doksKubeconfig(clusterName: string, cluster: DoksCluster): string {
  const caCertificate = cluster.kubeConfigs[0]?.clusterCaCertificate;
  if (!cluster.endpoint || !caCertificate) {
    throw new Error(
      `DigitalOcean returned no API endpoint or CA certificate for the DOKS cluster "${clusterName}"`,
    );
  }
  const contextName = `do-${clusterName}`;
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: contextName,
        cluster: { server: cluster.endpoint, "certificate-authority-data": caCertificate },
      },
    ],
    users: [
      {
        name: `${contextName}-doctl`,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "doctl",
            args: [
              "kubernetes",
              "cluster",
              "kubeconfig",
              "exec-credential",
              "--version=v1beta1",
              cluster.id,
            ],
            interactiveMode: "Never",
            installHint:
              "The DOKS clusters of this stack need doctl (https://docs.digitalocean.com/reference/doctl/), " +
              "authenticated with `doctl auth init` or DIGITALOCEAN_ACCESS_TOKEN.",
          },
        },
      },
    ],
    contexts: [
      { name: contextName, context: { cluster: contextName, user: `${contextName}-doctl` } },
    ],
    "current-context": contextName,
  });
}

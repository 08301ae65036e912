// Navigation over rendered objects: the Deployments, their containers, and the ConfigMaps and
// Secrets a container reads through `envFrom`. Typed with kubernetes-models' interfaces (types
// only: nothing of the library is loaded here).

import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { ISecret } from "kubernetes-models/v1/Secret";
import { KubernetesObject } from "./manifests";

export type DeploymentObject = KubernetesObject & IDeployment;
export type ConfigMapObject = KubernetesObject & IConfigMap;
export type SecretObject = KubernetesObject & ISecret;

/** One `envFrom` entry resolved to the rendered object it names (undefined: not rendered). */
export type EnvFromSource =
  | { readonly kind: "ConfigMap"; readonly name: string; readonly object?: ConfigMapObject }
  | { readonly kind: "Secret"; readonly name: string; readonly object?: SecretObject };

export function isDeployment(object: KubernetesObject): object is DeploymentObject {
  return object.apiVersion === "apps/v1" && object.kind === "Deployment";
}

/** The containers of a Deployment's pod template, in order. */
export function containersOf(deployment: DeploymentObject): IContainer[] {
  return deployment.spec?.template.spec?.containers ?? [];
}

/**
 * A container's `envFrom` in order, each entry resolved in the Deployment's namespace. Throws on a
 * `prefix`, which renames keys and which the env-layer model does not describe.
 */
export function envFromSources(
  deployment: DeploymentObject,
  container: IContainer,
  objects: readonly KubernetesObject[],
): EnvFromSource[] {
  const namespace = deployment.metadata.namespace;
  const find = (kind: string, name: string): KubernetesObject | undefined =>
    objects.find(
      (o) =>
        o.apiVersion === "v1" &&
        o.kind === kind &&
        o.metadata.name === name &&
        o.metadata.namespace === namespace,
    );
  return (container.envFrom ?? []).map((source) => {
    if (source.prefix !== undefined) {
      throw new Error(`envFrom with a prefix is not supported (container ${container.name})`);
    }
    if (source.configMapRef) {
      const name = source.configMapRef.name ?? "";
      return { kind: "ConfigMap", name, object: find("ConfigMap", name) as ConfigMapObject };
    }
    if (source.secretRef) {
      const name = source.secretRef.name ?? "";
      return { kind: "Secret", name, object: find("Secret", name) as SecretObject };
    }
    throw new Error(
      `envFrom entry of container ${container.name} names neither a ConfigMap nor a Secret`,
    );
  });
}

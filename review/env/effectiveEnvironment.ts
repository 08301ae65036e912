// The environment a container will see, read off rendered objects: which value each variable gets,
// from which layer, and what it shadows. The precedence is not decided here: the rendered objects
// are turned back into the inputs of `planEnvironment` (lib/envLayers.ts), the function the
// components build the ConfigMap with, and its answer is checked against the rendered ConfigMap,
// so the report cannot drift from the program without failing.

import type { IContainer } from "kubernetes-models/v1/Container";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import { DEFAULT_PORT, programDefaults } from "../../lib/defaults";
import { EnvSource, planEnvironment } from "../../lib/envLayers";
import {
  GENERATED_SECRETS_ANNOTATION,
  describeGeneratedSecret,
  describePreviousValue,
  parseGeneratedSecretsAnnotation,
} from "../../lib/generatedSecrets";
import { KubernetesObject, describeObject } from "../render/manifests";
import { MountedFileSet, formatMountedFiles, mountedFiles } from "./mountedFiles";
import { SECRET_MARK } from "../render/redaction";
import {
  ConfigMapObject,
  DeploymentObject,
  SecretObject,
  containersOf,
  envFromSources,
  isDeployment,
} from "../render/workloads";

/** One variable of a container's environment. */
export interface EnvRow {
  readonly name: string;
  /** The value the container sees; `[secret]` for a Secret's. */
  readonly value: string;
  /** Where the value comes from: ConfigMap, ConfigMap (program default), Secret, explicit env. */
  readonly layer: string;
  /** The lower layers that set the same name and lose, e.g. `program default (info)`. */
  readonly shadows: readonly string[];
}

export interface ContainerEnvironment {
  /** `Deployment ns/name, container NAME`. */
  readonly container: string;
  readonly rows: readonly EnvRow[];
  /** The file sets mounted from secret volumes (review/env/mountedFiles.ts). */
  readonly mounts: readonly MountedFileSet[];
}

const LAYER: Record<EnvSource, string> = {
  default: "ConfigMap (program default)",
  config: "ConfigMap",
  secret: "Secret",
  env: "explicit env",
};

/** The environment of every container of every rendered Deployment. */
export function effectiveEnvironment(objects: readonly KubernetesObject[]): ContainerEnvironment[] {
  return objects.filter(isDeployment).flatMap((deployment) =>
    containersOf(deployment).map((container) => ({
      container: `${describeObject(deployment)}, container ${container.name}`,
      rows: containerRows(deployment, container, objects),
      mounts: mountedFiles(deployment, container, objects),
    })),
  );
}

function containerRows(
  deployment: DeploymentObject,
  container: IContainer,
  objects: readonly KubernetesObject[],
): EnvRow[] {
  const where = `${describeObject(deployment)}, container ${container.name}`;
  const sources = envFromSources(deployment, container, objects);
  const kinds = sources.map((source) => source.kind).join(", ");
  // The model knows one shape, the program's: envFrom [ConfigMap, Secret], either optional.
  if (!["", "ConfigMap", "Secret", "ConfigMap, Secret"].includes(kinds)) {
    throw new Error(
      `${where}: envFrom is [${kinds}]; the env-layer model describes [ConfigMap, Secret] only`,
    );
  }
  let configMap: ConfigMapObject | undefined;
  let secret: SecretObject | undefined;
  for (const source of sources) {
    if (source.kind === "ConfigMap") {
      configMap = source.object;
    } else {
      secret = source.object;
    }
  }
  const configMapData: Record<string, string> = { ...configMap?.data };

  const port = container.ports?.find((p) => p.name === "http")?.containerPort ?? DEFAULT_PORT;
  const defaults = programDefaults(port);
  // A ConfigMap entry equal to its program default is reported as the default: the rendered
  // objects cannot tell the two apart, and the container sees the same value either way.
  const config = Object.fromEntries(
    Object.entries(configMapData).filter(([key, value]) => defaults[key] !== value),
  );
  const env = new Map((container.env ?? []).map((variable) => [variable.name, variable]));
  const plan = planEnvironment({
    defaults,
    config,
    secretKeys: Object.keys({ ...secret?.data, ...secret?.stringData }),
    explicitEnv: [...env.keys()],
  });
  if (!sameData(plan.configMapData, configMapData)) {
    throw new Error(
      `${where}: the rendered ConfigMap does not match the env-layer model (lib/envLayers.ts); ` +
        `the program and the model have drifted apart`,
    );
  }

  const generated = parseGeneratedSecretsAnnotation(
    secret?.metadata.annotations?.[GENERATED_SECRETS_ANNOTATION],
  );
  // Each previous value's variable, and the generated secret it is the earlier value of.
  const previousOf: Record<string, string> = Object.fromEntries(
    Object.entries(generated).flatMap(([name, { previous }]) =>
      previous === undefined ? [] : [[previous.name, name]],
    ),
  );
  return plan.variables.map((variable) => ({
    name: variable.name,
    value:
      variable.source === "secret"
        ? SECRET_MARK
        : variable.source === "env"
          ? envValue(env.get(variable.name))
          : configMapData[variable.name],
    layer:
      variable.source === "secret" && variable.name in generated
        ? `Secret (${describeGeneratedSecret(generated[variable.name])})`
        : variable.source === "secret" && variable.name in previousOf
          ? `Secret (${describePreviousValue(previousOf[variable.name], generated[previousOf[variable.name]])})`
          : LAYER[variable.source],
    shadows: variable.shadows.map((source) =>
      source === "default" ? `program default (${defaults[variable.name]})` : LAYER[source],
    ),
  }));
}

function envValue(variable: IEnvVar | undefined): string {
  const from = variable?.valueFrom;
  if (from?.fieldRef) {
    return `(fieldRef ${from.fieldRef.fieldPath})`;
  }
  if (from?.resourceFieldRef) {
    return `(resourceFieldRef ${from.resourceFieldRef.resource})`;
  }
  if (from?.configMapKeyRef) {
    return `(configMapKeyRef ${from.configMapKeyRef.name}/${from.configMapKeyRef.key})`;
  }
  if (from?.secretKeyRef) {
    return `${SECRET_MARK} (secretKeyRef ${from.secretKeyRef.name}/${from.secretKeyRef.key})`;
  }
  return variable?.value ?? "";
}

function sameData(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** A table per container, columns aligned: for reading in a terminal. */
export function formatEnvironmentTable(environments: readonly ContainerEnvironment[]): string {
  return environments
    .map(({ container, rows, mounts }) => {
      const cells = [
        ["NAME", "VALUE", "LAYER", "SHADOWS"],
        ...rows.map((row) => [row.name, row.value, row.layer, row.shadows.join(", ")]),
      ];
      const widths = [0, 1, 2].map((column) => Math.max(...cells.map((c) => c[column].length)));
      const lines = cells.map((c) =>
        c
          .map((cell, column) => (column < 3 ? cell.padEnd(widths[column]) : cell))
          .join("  ")
          .trimEnd(),
      );
      const files = formatMountedFiles(mounts);
      return (
        `${container}\n${lines.join("\n")}\n` +
        (files.length > 0 ? `\nmounted files:\n${files.map((f) => `  ${f}\n`).join("")}` : "")
      );
    })
    .join("\n");
}

/**
 * One line per variable, nothing aligned: for diffs, where a longer value elsewhere must not turn
 * every line of an aligned table into a change.
 */
export function formatEnvironmentLines(environments: readonly ContainerEnvironment[]): string {
  return environments
    .map(
      ({ container, rows, mounts }) =>
        `${container}\n` +
        rows
          .map(
            (row) =>
              `  ${row.name}=${row.value}  from ${row.layer}` +
              (row.shadows.length > 0 ? `, shadows ${row.shadows.join(", ")}` : "") +
              "\n",
          )
          .join("") +
        formatMountedFiles(mounts)
          .map((line) => `  files ${line}\n`)
          .join(""),
    )
    .join("");
}

// Whether a change rolls pods, decided the way Kubernetes decides it: a Deployment rolls when, and
// only when, its pod template changes. The checksum annotations are how data changes reach the
// template, so the reason names the checksum that changed (and, for secrets, which keys did). And
// objects created on another cluster start their pods there, whatever their templates say.
// A secret value is the one change no offline render can see: when its ciphertext in the stack file
// differs, the verdict is "likely".

import { CONFIG_CHECKSUM_ANNOTATION, SECRET_CHECKSUM_ANNOTATION } from "../../lib/checksum";
import { FILE_SET_CHECKSUM_PREFIX } from "../../lib/secretFiles";
import { reencrypted } from "../render/ciphertexts";
import { regeneratedSecrets, rotationSteps } from "./generatedSecretChanges";
import { providerChanges } from "./clusterTarget";
import { KubernetesObject, describeObject } from "../render/manifests";
import { isPlainObject } from "../../lib/values";
import { Rendering } from "../render/render";
import { secretKeysRead } from "../render/secretChecksumPlaceholder";
import { DeploymentObject, containersOf, envFromSources, isDeployment } from "../render/workloads";

export interface RestartVerdict {
  /** `likely`: only a secret's ciphertext changed, and the value behind it cannot be compared. */
  readonly restart: "yes" | "likely" | "no";
  /** Why pods restart, one line per Deployment and cause. */
  readonly reasons: readonly string[];
  /** Why pods probably restart: secrets set again, whose values are not visible offline. */
  readonly likely: readonly string[];
  /** Changes that do not restart pods but that a reviewer may expect to. */
  readonly notes: readonly string[];
}

/** How many changed template fields a reason lists before it says "and N more". */
const MAX_PATHS = 5;

export function restartVerdict(baseRender: Rendering, headRender: Rendering): RestartVerdict {
  const base = baseRender.objects;
  const head = headRender.objects;
  const reasons: string[] = [];
  const notes: string[] = [];
  // A stack new at the base has nowhere to move from: its Deployments are new, said below.
  if (base.length > 0) {
    const providers = providerChanges(baseRender.summary, headRender.summary);
    reasons.push(...(providers.target === undefined ? [] : [providers.target]));
    notes.push(...providers.notes);
  }
  const baseDeployments = new Map(base.filter(isDeployment).map((d) => [describeObject(d), d]));
  const headDeployments = new Map(head.filter(isDeployment).map((d) => [describeObject(d), d]));

  for (const [id, after] of headDeployments) {
    const before = baseDeployments.get(id);
    if (before === undefined) {
      reasons.push(`${id} is new: its pods start`);
      continue;
    }
    notes.push(...rotationSteps(before, base, after, head));
    const templatePaths = changedPaths(before.spec?.template, after.spec?.template);
    if (templatePaths.length === 0) {
      notes.push(...unrolledDataChanges(id, before, after, base, head));
      notes.push(
        ...regeneratedSecrets(before, base, after, head).map(
          (secret) =>
            `${secret} is generated anew, but ${id} has no ${SECRET_CHECKSUM_ANNOTATION} ` +
            `annotation: running pods keep the old value until they restart`,
        ),
      );
      continue;
    }
    const annotation = (name: string) => `metadata.annotations.${name}`;
    if (templatePaths.includes(annotation(CONFIG_CHECKSUM_ANNOTATION))) {
      reasons.push(`${id}: ${CONFIG_CHECKSUM_ANNOTATION} changed (ConfigMap data)`);
    }
    if (templatePaths.includes(annotation(SECRET_CHECKSUM_ANNOTATION))) {
      const keys = keyChange(secretKeysRead(before, base), secretKeysRead(after, head));
      const regenerated = regeneratedSecrets(before, base, after, head);
      const why = [
        ...(keys === "" && regenerated.length > 0 ? [] : [`secret keys ${keys}`]),
        ...(regenerated.length > 0 ? [`generated anew: ${regenerated.join(", ")}`] : []),
      ];
      reasons.push(`${id}: ${SECRET_CHECKSUM_ANNOTATION} changed (${why.join("; ")})`);
    }
    const others = templatePaths.filter(
      (path) =>
        path !== annotation(CONFIG_CHECKSUM_ANNOTATION) &&
        path !== annotation(SECRET_CHECKSUM_ANNOTATION),
    );
    if (others.length > 0) {
      const listed = others.slice(0, MAX_PATHS).map((path) => `spec.template.${path}`);
      const more = others.length > MAX_PATHS ? ` and ${others.length - MAX_PATHS} more` : "";
      reasons.push(`${id}: pod template changed at ${listed.join(", ")}${more}`);
    }
  }
  for (const id of baseDeployments.keys()) {
    if (!headDeployments.has(id)) {
      reasons.push(`${id} is deleted: its pods stop`);
    }
  }
  const likely: string[] = [];
  for (const path of reencrypted(baseRender.ciphertexts, headRender.ciphertexts)) {
    if (path === "registryToken") {
      notes.push(
        `registryToken re-encrypted: the pull secret is updated in place and no pod restarts ` +
          `(the kubelet reads it at the next pull)`,
      );
    } else if (path.startsWith("secretFileContents.")) {
      const set = path.split(".")[1];
      const rolls = [...headDeployments.values()].some(
        (d) =>
          d.spec?.template.metadata?.annotations?.[`${FILE_SET_CHECKSUM_PREFIX}${set}`] !==
          undefined,
      );
      if (rolls) {
        likely.push(`${path} re-encrypted: file set ${set} changed, and it asks for a rollout`);
      } else {
        notes.push(
          `${path} re-encrypted: the Secret of file set ${set} is updated in place and no pod ` +
            `restarts; the kubelet refreshes the mounted files (with its defaults, within about 90 s)`,
        );
      }
    } else if ([...headDeployments.values()].some(hasSecretChecksum)) {
      likely.push(
        `${path} re-encrypted: the value may have changed (setting the same value again encrypts it anew too); not visible offline`,
      );
    } else {
      notes.push(
        `${path} re-encrypted: the Secret changes, but no Deployment has a ` +
          `${SECRET_CHECKSUM_ANNOTATION} annotation: running pods keep the old value until they restart`,
      );
    }
  }
  const restart = reasons.length > 0 ? "yes" : likely.length > 0 ? "likely" : "no";
  return { restart, reasons, likely, notes };
}

/** The one line CI posts: `pods will restart: yes|likely|no (...)`. */
export function formatVerdict(verdict: RestartVerdict): string {
  const why = [...verdict.reasons, ...verdict.likely];
  return `pods will restart: ${verdict.restart} (${why.length > 0 ? why.join("; ") : "no pod template changed"})`;
}

// Every secret of `task-api:secrets` is a key of the one Secret the app's Deployment reads, so a
// Deployment whose template carries the secret checksum rolls when any of them changes.
function hasSecretChecksum(deployment: DeploymentObject): boolean {
  return (
    deployment.spec?.template.metadata?.annotations?.[SECRET_CHECKSUM_ANNOTATION] !== undefined
  );
}

// Data that changed under a Deployment whose template did not: with restartOnChange off there are
// no checksums, and running pods keep the old environment until they restart for another reason.
function unrolledDataChanges(
  id: string,
  before: DeploymentObject,
  after: DeploymentObject,
  base: readonly KubernetesObject[],
  head: readonly KubernetesObject[],
): string[] {
  const sources = (deployment: DeploymentObject, objects: readonly KubernetesObject[]) =>
    containersOf(deployment).flatMap((c) => envFromSources(deployment, c, objects));
  const beforeSources = sources(before, base);
  return sources(after, head)
    .filter((source) => {
      const old = beforeSources.find((s) => s.kind === source.kind && s.name === source.name);
      return changedPaths(old?.object?.data, source.object?.data).length > 0;
    })
    .map(
      (source) =>
        `${source.kind} ${source.name} changed, but ${id} has no checksum annotation for it: ` +
        `running pods keep the old values until they restart`,
    );
}

function keyChange(before: readonly string[], after: readonly string[]): string {
  const added = after.filter((key) => !before.includes(key)).map((key) => `+${key}`);
  const removed = before.filter((key) => !after.includes(key)).map((key) => `-${key}`);
  return [...added, ...removed].join(" ");
}

/** Dotted paths (`spec.containers[0].image`) at which two JSON values differ. */
export function changedPaths(a: unknown, b: unknown, path = ""): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    const length = Math.max(a.length, b.length);
    return Array.from({ length }, (_, i) => changedPaths(a[i], b[i], `${path}[${i}]`)).flat();
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) =>
      changedPaths(a[key], b[key], path === "" ? key : `${path}.${key}`),
    );
  }
  return a === b ? [] : [path === "" ? "(whole)" : path];
}

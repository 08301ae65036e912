// Which generated secrets (lib/generatedSecrets.ts) a change makes anew: one whose rotation or
// length differs replaces its RandomPassword, which draws a new value (components/AppSecret.ts),
// so the Secret's data and `checksum/secret` change although no render can show either value;
// and what each rotation step does to a value kept from the rotation before (issue 25).

import { GeneratedSecret } from "../../lib/generatedSecrets";
import { KubernetesObject } from "../render/manifests";
import { generatedSecretsRead } from "../render/secretChecksumPlaceholder";
import { DeploymentObject } from "../render/workloads";

type Versions = [name: string, was: GeneratedSecret, is: GeneratedSecret];

/** Each generated secret the Deployment reads before and after, by name, sorted. */
function bothVersions(
  before: DeploymentObject,
  base: readonly KubernetesObject[],
  after: DeploymentObject,
  head: readonly KubernetesObject[],
): Versions[] {
  const old = generatedSecretsRead(before, base);
  const now = generatedSecretsRead(after, head);
  return Object.keys(now)
    .filter((name) => name in old)
    .sort()
    .map((name): Versions => [name, old[name], now[name]]);
}

/** `NAME (rotation "a" -> "b")` for each generated secret the Deployment reads that is made anew. */
export function regeneratedSecrets(
  before: DeploymentObject,
  base: readonly KubernetesObject[],
  after: DeploymentObject,
  head: readonly KubernetesObject[],
): string[] {
  return bothVersions(before, base, after, head).flatMap(([name, was, is]) => {
    const what = changes(was, is);
    return what.length === 0 ? [] : [`${name} (${what.join(", ")})`];
  });
}

/**
 * What each rotation step of a change does to the values the app reads (issue 25), one line
 * each, never a value: a rotation that keeps the old value, a second rotation that drops the
 * oldest, a retire, and a previousRotation that names no earlier value of the secret (a new
 * random value would be delivered as the "previous" one).
 */
export function rotationSteps(
  before: DeploymentObject,
  base: readonly KubernetesObject[],
  after: DeploymentObject,
  head: readonly KubernetesObject[],
): string[] {
  return bothVersions(before, base, after, head).flatMap(([name, was, is]) => {
    const kept = is.previous;
    const dropped = was.previous;
    const lines: string[] = [];
    const rotated = was.rotation !== is.rotation;
    if (rotated && kept?.rotation === was.rotation) {
      lines.push(
        `rotation: ${name} gets a new value, the old one stays as ${kept.name}; pods restart`,
      );
    }
    if (
      dropped !== undefined &&
      dropped.rotation !== kept?.rotation &&
      dropped.rotation !== is.rotation
    ) {
      lines.push(
        rotated && kept !== undefined
          ? `warning: a second rotation before retiring: the value of rotation "${dropped.rotation}" (${dropped.name}) is dropped; sessions signed with it stop verifying`
          : `${dropped.name} is dropped; pods restart`,
      );
    }
    const knownBefore = [was.rotation, ...(dropped === undefined ? [] : [dropped.rotation])];
    if (kept !== undefined && !knownBefore.includes(kept.rotation)) {
      lines.push(
        `warning: previousRotation "${kept.rotation}" was not a rotation of ${name} before: ${kept.name} gets a new value, not the old one (set it to "${was.rotation}" to keep that)`,
      );
    }
    return lines;
  });
}

function changes(old: GeneratedSecret, now: GeneratedSecret): string[] {
  return [
    ...(old.rotation === now.rotation
      ? []
      : [`rotation ${JSON.stringify(old.rotation)} -> ${JSON.stringify(now.rotation)}`]),
    ...(old.length === now.length ? [] : [`length ${old.length} -> ${now.length}`]),
  ];
}

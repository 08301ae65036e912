// Which generated secrets (lib/generatedSecrets.ts) a change makes anew: one whose rotation or
// length differs replaces its RandomPassword, which draws a new value (components/AppSecret.ts),
// so the Secret's data and `checksum/secret` change although no render can show either value.

import { GeneratedSecret } from "../lib/generatedSecrets";
import { KubernetesObject } from "./manifests";
import { generatedSecretsRead } from "./secretChecksumPlaceholder";
import { DeploymentObject } from "./workloads";

/** `NAME (rotation "a" -> "b")` for each generated secret the Deployment reads that is made anew. */
export function regeneratedSecrets(
  before: DeploymentObject,
  base: readonly KubernetesObject[],
  after: DeploymentObject,
  head: readonly KubernetesObject[],
): string[] {
  const old = generatedSecretsRead(before, base);
  const now = generatedSecretsRead(after, head);
  return Object.keys(now)
    .filter((name) => name in old)
    .sort()
    .flatMap((name) => {
      const what = changes(old[name], now[name]);
      return what.length === 0 ? [] : [`${name} (${what.join(", ")})`];
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

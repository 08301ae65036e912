// Watches objects from the test's own process while `pulumi` runs in another: the way to measure
// how long an object was missing, which the engine's own output cannot tell.

import { KubeClient } from "./kubeClient";

/** The longest time an object answered 404, and the GETs the API server did not answer. */
export interface Absence {
  readonly absentMs: number;
  readonly unreachable: number;
  readonly polls: number;
}

/** Stops of the watches still running, for an `afterAll` to end after a failed test. */
export const runningWatches = new Set<() => Promise<unknown>>();

/** Every 100 ms a GET of `path` until `stop`, which says how long it was absent at most. */
export function watchObject(client: KubeClient, path: string): { stop: () => Promise<Absence> } {
  let running = true;
  let absentSince: number | undefined;
  let absentMs = 0;
  let unreachable = 0;
  let polls = 0;
  const loop = (async () => {
    while (running) {
      polls++;
      try {
        const found = await client.get(path);
        if (found === undefined) {
          absentSince ??= Date.now();
        } else if (absentSince !== undefined) {
          absentMs = Math.max(absentMs, Date.now() - absentSince);
          absentSince = undefined;
        }
      } catch {
        unreachable++;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const end = async () => {
    running = false;
    await loop;
    runningWatches.delete(end);
  };
  runningWatches.add(end);
  return {
    stop: async () => {
      await end();
      if (absentSince !== undefined) {
        absentMs = Math.max(absentMs, Date.now() - absentSince);
      }
      return { absentMs, unreachable, polls };
    },
  };
}

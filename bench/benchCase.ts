// One measurement of `npm run bench`, in a process of its own so that its peak memory is its own.
// Prints one line of JSON. Usage (from bench.ts, started by startup/run.js):
//   benchCase.ts stack STACK REPS | benchCase.ts ours N REPS RECORD_FILE | benchCase.ts baseline N REPS RECORD_FILE

import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { ProgramLoader, freshProgramLoader, runUnderMocks } from "../review/engine/programRun";
import { Rendering, SUMMARY_FILE, renderResources, runStackOffline } from "../review/render/render";
import { RecordedObject, baselineProgram, oursProgram, recordObjects } from "./benchPrograms";
import { PROJECT_DIR } from "../review/engine/programFacts";

export interface CaseResult {
  readonly kind: string;
  readonly size: string;
  /** Process start to the first measurement: Node, the compile cache, the SDK and providers. */
  readonly startupMs: number;
  /** The first render, which also compiles and loads the program's own modules. */
  readonly firstMs: number;
  /** Median of the later runs: running the program under the mocks until all is registered. */
  readonly programMs: number;
  /** Median of the later runs: manifests, schema check and YAML of what was registered. */
  readonly renderMs: number;
  readonly resources: number;
  readonly maxRssMiB: number;
  /** SHA-256 of the manifests (not the summary): equal for "ours" and "baseline". */
  readonly manifestsDigest: string;
}

const EMPTY_CONFIG = { values: {}, secretKeys: [] };

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function digest(rendering: Rendering): string {
  const hash = createHash("sha256");
  for (const [file, content] of Object.entries(rendering.files)) {
    if (file !== SUMMARY_FILE) {
      hash.update(`${file}\0${content}\0`);
    }
  }
  return hash.digest("hex");
}

/** Runs `load` `reps + 1` times; the first run is reported apart as the cold one. */
async function measure(
  kind: string,
  size: string,
  reps: number,
  once: () => Promise<{ resources: number; program: number; rendering: Rendering }>,
): Promise<CaseResult> {
  const startupMs = performance.now();
  const first = await timed(once);
  const programs: number[] = [];
  const renders: number[] = [];
  let last = first.value;
  for (let i = 0; i < reps; i++) {
    const run = await timed(once);
    programs.push(run.value.program);
    renders.push(run.ms - run.value.program);
    last = run.value;
  }
  return {
    kind,
    size,
    startupMs,
    firstMs: first.ms,
    programMs: median(programs),
    renderMs: median(renders),
    resources: last.resources,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    manifestsDigest: digest(last.rendering),
  };
}

function generated(load: ProgramLoader, recordTo?: string) {
  let recorded = false;
  return async () => {
    const run = await timed(() => runUnderMocks("bench", EMPTY_CONFIG, load));
    const resources = run.value.mocks.resources;
    if (recordTo !== undefined && !recorded) {
      writeFileSync(recordTo, JSON.stringify(recordObjects(resources)));
      recorded = true;
    }
    const rendering = await renderResources(resources);
    return { resources: resources.length, program: run.ms, rendering };
  };
}

async function main(): Promise<CaseResult> {
  const [kind, size, repsText, recordFile] = process.argv.slice(2);
  const reps = Number(repsText);
  if (kind === "stack") {
    const load = freshProgramLoader(PROJECT_DIR);
    return measure(kind, size, reps, async () => {
      const run = await timed(() =>
        runStackOffline({ projectDir: PROJECT_DIR, stack: size, load }),
      );
      const resources = run.value.mocks.resources;
      return {
        resources: resources.length,
        program: run.ms,
        rendering: await renderResources(resources),
      };
    });
  }
  if (kind === "ours") {
    return measure(kind, size, reps, generated(oursProgram(Number(size)), recordFile));
  }
  if (kind === "baseline") {
    const objects = JSON.parse(readFileSync(recordFile, "utf8")) as RecordedObject[];
    return measure(kind, size, reps, generated(baselineProgram(objects)));
  }
  throw new Error(`unknown case ${kind}`);
}

main().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);

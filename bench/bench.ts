// The benchmark behind `npm run bench [-- --base REF] [--runs N]` (scripts/bench.ts).
// Figures only, no pass or fail (docs/benchmarks.md). Every comparison alternates its two sides run
// by run (A B A B), so that both see the same load on a shared machine, and reports min / median /
// max of the runs and of each round's ratio:
//   1. the review commands as a user waits for them (one `npm run` process each), against the
//      same commands at REF when --base is given (a clone of that commit, bench/processes.ts);
//   2. each committed stack in one process: start-up, first render, warm renders;
//   3. `npm run render` against `kubectl kustomize` and `helm template` of the same objects, when
//      those binaries are there (bench/peers.ts);
//   4. N ConfiguredApp instances against the same objects as plain @pulumi/kubernetes resources
//      (bench/benchPrograms.ts), each run a process of its own (bench/benchCase.ts): the one-off
//      process a user waits for, and the warm render inside it.
// Progress goes to stderr, the figures to stdout. Not part of `npm test`: timings depend on the
// machine.

import { cpus, loadavg, tmpdir } from "node:os";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { listStacks } from "../review/engine/stackFiles";
import { PROJECT_DIR } from "../review/engine/programFacts";
import type { CaseResult } from "./benchCase";
import { peers } from "./peers";
import { Checkout, Command, ProcessRun, alternate, checkoutAt, timeProcess } from "./processes";
import { mib, ms, pairRatios, ranged, ratio, spread, table } from "./stats";

const START = join(PROJECT_DIR, "startup", "run.js");
const COMMANDS: readonly (readonly [string, string])[] = [
  ["render", "staging"],
  ["env", "staging"],
  ["diff", "staging"],
];
const SIZES = [1, 10, 100];
/** Warm runs in each process after the first (cold) one; fewer for big programs. */
const WARM: Record<number, number> = { 1: 7, 10: 5, 100: 2 };

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
const out = (text: string) => process.stdout.write(text);
const seconds = (value: number) => (value / 1000).toFixed(2);
const walls = (runs: readonly ProcessRun[]) => runs.map((run) => run.wallMs);
const peak = (runs: readonly ProcessRun[]) => {
  const peaks = runs.flatMap((run) => (run.peakRssMiB === undefined ? [] : [run.peakRssMiB]));
  return peaks.length > 0 ? mib(spread(peaks).median) : "-";
};
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(", ");

function readDir(dir: string): string {
  return readdirSync(dir)
    .sort()
    .map((file) => `${file}\0${readFileSync(join(dir, file), "utf8")}`)
    .join("\0");
}

function npmRun(cwd: string, label: string, ...args: string[]): Command {
  return { label, file: "npm", args: ["run", "--silent", ...args], cwd };
}

/** Section 1: render, env and diff as one-off processes, before (REF) and after (this tree). */
function commands(base: Checkout | undefined, rounds: number): void {
  const rows = COMMANDS.map(([command, stack]) => {
    const args = [command, "--", stack];
    const sides = [
      ...(base ? [npmRun(base.projectDir, "before", ...args)] : []),
      npmRun(PROJECT_DIR, "after", ...args),
    ];
    progress(`npm run ${args.join(" ")}`);
    const runs = alternate(sides, rounds, progress);
    const after = runs[runs.length - 1];
    if (base === undefined) {
      return [`npm run ${args.join(" ")}`, ranged(walls(after), seconds, " s"), peak(after)];
    }
    const before = runs[0];
    const same =
      before[0].stdout === after[0].stdout &&
      (command !== "render" ||
        readDir(join(base.projectDir, "rendered", stack)) ===
          readDir(join(PROJECT_DIR, "rendered", stack)));
    return [
      `npm run ${args.join(" ")}`,
      ranged(walls(before), seconds, " s"),
      ranged(walls(after), seconds, " s"),
      ranged(pairRatios(walls(before), walls(after)), ratio),
      `${peak(before)} / ${peak(after)}`,
      same ? "yes" : "NO",
    ];
  });
  const header = base
    ? [
        "command",
        `before (${base.commit.slice(0, 12)})`,
        "after (this tree)",
        "after/before",
        "peak RSS before / after",
        "same output",
      ]
    : ["command", "wall", "peak RSS"];
  out(
    `Review commands, one process each as a user waits for them; median (min-max) of ${rounds} ` +
      `alternating runs${base ? "; same output: stdout, and rendered/ for render" : ""}:\n` +
      `${table(header, rows)}\n\n`,
  );
}

function benchCase(label: string, ...args: string[]): Command {
  return {
    label,
    file: process.execPath,
    args: [START, join(__dirname, "benchCase.ts"), ...args],
    cwd: PROJECT_DIR,
  };
}

const caseResult = (run: ProcessRun) =>
  JSON.parse(run.stdout.trim().split("\n").pop() ?? "") as CaseResult;

/** Section 2: each committed stack in one process, split into start-up, first and warm render. */
function stacks(): void {
  const rows = listStacks(PROJECT_DIR).map((stack) => {
    progress(`stack ${stack} in one process`);
    const run = timeProcess(benchCase(stack, "stack", stack, "7"));
    const result = caseResult(run);
    return [
      stack,
      ms(run.wallMs),
      ms(result.startupMs),
      ms(result.firstMs),
      ms(result.programMs + result.renderMs),
      mib(result.maxRssMiB),
    ];
  });
  out(
    "Committed stacks, one process each (start-up: Node, the compile cache, the SDK and " +
      "providers; warm: median of 7):\n" +
      `${table(["stack", "process", "start-up", "first render", "warm render", "peak RSS"], rows)}\n\n`,
  );
}

/** Section 3: npm run render against kubectl kustomize and helm template of the same objects. */
function peerComparison(scratch: string, rounds: number): void {
  const rendered = join(PROJECT_DIR, "rendered", "staging");
  const { found, missing } = peers(rendered, scratch);
  const outDir = join(scratch, "render");
  const ours: Command[] = [
    npmRun(PROJECT_DIR, "npm run render", "render", "--", "staging", "--out", outDir),
    {
      label: "node startup/run.js",
      file: process.execPath,
      args: [START, join("scripts", "render.ts"), "staging", "--out", outDir],
      cwd: PROJECT_DIR,
    },
  ];
  progress("npm run render against its peers");
  const runs = alternate([...ours, ...found.map((peer) => peer.command)], rounds, progress);
  const render = walls(runs[0]);
  const rows = runs.map((side, i) => [
    i < ours.length ? `${ours[i].label} (staging)` : found[i - ours.length].command.label,
    ranged(walls(side), seconds, " s"),
    i === 0 ? "1.00" : ranged(pairRatios(walls(side), render), ratio),
  ]);
  out(
    `npm run render against the tools reviewers know, the same ${readdirSync(rendered).length - 1} ` +
      `objects as plain files; median (min-max) of ${rounds} alternating runs:\n` +
      `${table(["command", "wall", "npm run render / this"], rows)}\n` +
      found.map((peer) => `  ${peer.version}\n`).join("") +
      missing.map((name) => `  not found, so not compared: ${name}\n`).join("") +
      "\n",
  );
}

/** Section 4: N ConfiguredApp (ours) against the same objects as plain resources (baseline). */
function generated(scratch: string, rounds: number): void {
  const rows = SIZES.map((n) => {
    const record = join(scratch, `objects-${n}.json`);
    const warm = String(WARM[n]);
    progress(`N = ${n}: ours / baseline, a process each`);
    // The first "ours" records the objects the baseline registers, so it runs first in each round.
    const runs = alternate(
      [
        benchCase("ours", "ours", String(n), warm, record),
        benchCase("baseline", "baseline", String(n), warm, record),
      ],
      rounds,
      progress,
    );
    const [ours, base] = runs.map((side) => side.map(caseResult));
    const total = (results: readonly CaseResult[]) =>
      results.map((result) => result.programMs + result.renderMs);
    return [
      String(n),
      `${ours[0].resources} / ${base[0].resources}`,
      `${ms(spread(total(ours)).median)} / ${ms(spread(total(base)).median)}`,
      ranged(pairRatios(total(base), total(ours)), ratio),
      `${ms(spread(total(ours)).median / n)} / ${ms(spread(total(base)).median / n)}`,
      `${seconds(spread(walls(runs[0])).median)} s / ${seconds(spread(walls(runs[1])).median)} s`,
      ranged(pairRatios(walls(runs[1]), walls(runs[0])), ratio),
      `${mib(spread(ours.map((r) => r.maxRssMiB)).median)} / ${mib(spread(base.map((r) => r.maxRssMiB)).median)}`,
      ours.every((result) => result.manifestsDigest === base[0].manifestsDigest) &&
      base.every((result) => result.manifestsDigest === base[0].manifestsDigest)
        ? "yes"
        : "NO",
    ];
  });
  out(
    "Generated program: N ConfiguredApp (ours) / the same objects as plain @pulumi/kubernetes " +
      `resources (baseline), ${rounds} alternating pairs of processes; warm: median of the warm ` +
      "runs (program + render) in each process; one-off: the whole process:\n" +
      table(
        [
          "N",
          "resources",
          "warm",
          "warm ratio",
          "warm per app",
          "one-off",
          "one-off ratio",
          "peak RSS",
          "same manifests",
        ],
        rows,
      ) +
      "\n\n",
  );
}

export interface BenchOptions {
  /** A commit to time the review commands against, if any. */
  readonly base?: string;
  /** Rounds of each comparison; default 7, and 5 for the generated program. */
  readonly rounds?: number;
}

export function runBenchmark({ base: baseRef, rounds }: BenchOptions): void {
  const cpu = cpus();
  out(
    `task-api benchmark: node ${process.version}, ${process.platform} ${process.arch}, ` +
      `${cpu.length} CPU(s) ${cpu[0]?.model ?? ""}; load average ${load()} at the start\n\n`,
  );
  const scratch = mkdtempSync(join(tmpdir(), "task-api-bench-"));
  const base = baseRef === undefined ? undefined : checkoutAt(PROJECT_DIR, baseRef);
  try {
    commands(base, rounds ?? 7);
    stacks();
    peerComparison(scratch, rounds ?? 7);
    generated(scratch, rounds ?? 5);
  } finally {
    base?.remove();
    rmSync(scratch, { recursive: true, force: true });
  }
  out(`load average ${load()} at the end\n`);
}

// The benchmark behind `npm run bench` (scripts/bench.ts).
// Figures only, no pass or fail: how long an offline render takes for each committed stack, and
// what our components cost next to the same Kubernetes objects registered directly, for N = 1, 10
// and 100 app instances. Each measurement runs in a process of its own (benchCase.ts), one after
// the other, so that peak memory is per case and cases do not compete for the CPU.
// Not part of `npm test`: timings depend on the machine. See docs/benchmarks.md.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { listStacks } from "../review/engine/stackFiles";
import type { CaseResult } from "./benchCase";
import { PROJECT_DIR } from "../review/engine/programFacts";

const SIZES = [1, 10, 100];
/** Timed runs after the first (cold) one; fewer for big programs, whose runs vary less. */
const REPS: Record<number, number> = { 1: 15, 10: 7, 100: 3 };
const TS_NODE = require.resolve("ts-node/dist/bin.js");

function runCase(...args: string[]): CaseResult {
  const output = execFileSync(
    process.execPath,
    [TS_NODE, "--transpile-only", join(__dirname, "benchCase.ts"), ...args],
    { cwd: PROJECT_DIR, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  return JSON.parse(output.trim().split("\n").pop() ?? "") as CaseResult;
}

function cliWallMs(stack: string, outDir: string): number {
  const start = performance.now();
  execFileSync(
    process.execPath,
    [
      TS_NODE,
      "--transpile-only",
      join(PROJECT_DIR, "scripts", "render.ts"),
      stack,
      "--out",
      outDir,
    ],
    { cwd: PROJECT_DIR, stdio: "ignore" },
  );
  return performance.now() - start;
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const mib = (value: number) => `${value.toFixed(0)} MiB`;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i].length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function runBenchmark(): void {
  const cpu = cpus();
  process.stdout.write(
    `task-api offline render benchmark: node ${process.version}, ${process.platform} ` +
      `${process.arch}, ${cpu.length} CPU(s) ${cpu[0]?.model ?? ""}\n\n`,
  );

  const stacks = listStacks(PROJECT_DIR);
  const scratch = mkdtempSync(join(tmpdir(), "task-api-bench-"));
  try {
    const stackRows = stacks.map((stack) => {
      const wall = cliWallMs(stack, join(scratch, stack));
      const result = runCase("stack", stack, "7");
      return [
        stack,
        ms(wall),
        ms(result.startupMs),
        ms(result.firstMs),
        ms(result.programMs + result.renderMs),
        mib(result.maxRssMiB),
      ];
    });
    process.stdout.write(
      "Committed stacks (npm run render):\n" +
        table(
          ["stack", "npm run render", "startup", "first render", "warm render", "peak RSS"],
          stackRows,
        ) +
        "\n\n",
    );

    const rows = SIZES.map((n) => {
      const record = join(scratch, `objects-${n}.json`);
      const ours = runCase("ours", String(n), String(REPS[n]), record);
      const base = runCase("baseline", String(n), String(REPS[n]), record);
      const oursTotal = ours.programMs + ours.renderMs;
      const baseTotal = base.programMs + base.renderMs;
      return [
        String(n),
        `${ours.resources} / ${base.resources}`,
        `${ms(ours.programMs)} / ${ms(base.programMs)}`,
        `${ms(ours.renderMs)} / ${ms(base.renderMs)}`,
        `${ms(oursTotal)} / ${ms(baseTotal)}`,
        (oursTotal / baseTotal).toFixed(2),
        `${ms(oursTotal / n)} / ${ms(baseTotal / n)}`,
        `${mib(ours.maxRssMiB)} / ${mib(base.maxRssMiB)}`,
        ours.manifestsDigest === base.manifestsDigest ? "yes" : "NO",
      ];
    });
    process.stdout.write(
      "Generated program: N ConfiguredApp (ours) / the same objects as raw @pulumi/kubernetes " +
        "resources (baseline); medians of warm runs\n" +
        table(
          [
            "N",
            "resources",
            "program",
            "render",
            "total",
            "ratio",
            "per app",
            "peak RSS",
            "same manifests",
          ],
          rows,
        ) +
        "\n",
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

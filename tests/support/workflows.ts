// The GitHub Actions workflows as the tests read them: parsed YAML with the few fields we check,
// GitHub's own parser for validity, and GitHub's own expression engine to evaluate `if:` and
// `concurrency` expressions for a given event instead of matching their text.

import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import { truthy } from "@actions/expressions/result";
import {
  NoOperationTraceWriter,
  convertWorkflowTemplate,
  parseWorkflow,
} from "@actions/workflow-parser";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { PROJECT_DIR } from "../../review/engine/programFacts";
import { readRepoFile } from "./repository";

export const WORKFLOW_DIR = join(PROJECT_DIR, ".github", "workflows");

export interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string | number | boolean>;
  readonly env?: Record<string, string>;
}

export interface Concurrency {
  readonly group: string;
  readonly "cancel-in-progress"?: boolean | string;
}

export interface Job {
  readonly name?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly environment?: string | { readonly name: string; readonly url?: string };
  readonly permissions?: Record<string, string> | string;
  readonly concurrency?: string | Concurrency;
  readonly strategy?: { readonly matrix?: Record<string, unknown> };
  readonly env?: Record<string, string>;
  readonly steps?: Step[];
}

export interface Workflow {
  /** File name under .github/workflows. */
  readonly file: string;
  /** The file as written, for checks on the text itself (pins, flags). */
  readonly text: string;
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string> | string;
  readonly concurrency?: string | Concurrency;
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

export function workflowFiles(): string[] {
  return readdirSync(WORKFLOW_DIR)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
}

export function loadWorkflow(file: string): Workflow {
  const text = readRepoFile(".github", "workflows", file);
  // The `yaml` package reads YAML 1.2, where `on:` stays the string "on" (YAML 1.1 makes it true).
  return { file, text, ...(parse(text) as Omit<Workflow, "file" | "text">) };
}

/** Every problem GitHub's workflow parser finds: YAML, schema, expressions, job graph. */
export async function githubParserErrors(workflow: Workflow): Promise<string[]> {
  const parsed = parseWorkflow(
    { name: workflow.file, content: workflow.text },
    new NoOperationTraceWriter(),
  );
  const errors = parsed.context.errors.getErrors().map((error) => error.message);
  if (parsed.value === undefined) {
    return errors;
  }
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  const converted = (template.errors ?? []).map((error) => error.Message);
  return [...new Set([...errors, ...converted])];
}

export interface JobStep {
  readonly jobId: string;
  readonly job: Job;
  readonly step: Step;
}

export function steps(workflow: Workflow): JobStep[] {
  return Object.entries(workflow.jobs).flatMap(([jobId, job]) =>
    (job.steps ?? []).map((step) => ({ jobId, job, step })),
  );
}

/** Steps that use `owner/repo` (any version). */
export function stepsUsing(workflow: Workflow, action: string): JobStep[] {
  return steps(workflow).filter(({ step }) => step.uses?.split("@")[0] === action);
}

export function needsOf(job: Job): string[] {
  return job.needs === undefined ? [] : [job.needs].flat();
}

export function environmentOf(job: Job): string | undefined {
  return typeof job.environment === "string" ? job.environment : job.environment?.name;
}

/** The npm scripts a shell script runs: `npm test`, `npm run [flags] NAME`, `npm run-script NAME`. */
export function npmScriptsRun(script: string): string[] {
  const scripts: string[] = [];
  for (const match of script.matchAll(
    /\bnpm\s+(?:(?:run|run-script)\s+(?:-{1,2}[\w-]+\s+)*([\w:.-]+)|(test)\b)/g,
  )) {
    scripts.push(match[1] ?? match[2]);
  }
  return scripts;
}

/** One combination of a job's matrix, e.g. `{ stack: "production", environment: "production-drift" }`. */
export type MatrixCombination = Record<string, unknown>;

/**
 * The combinations a job runs, as GitHub expands its matrix: the product of the list-valued keys,
 * less the `exclude` entries (their `${{ }}` values rendered with `contexts`), then each `include`
 * entry added to every combination it does not contradict, or run on its own if it fits none.
 * A job without a matrix runs once, with an empty combination.
 */
export function matrixCombinations(job: Job, contexts: Contexts = {}): MatrixCombination[] {
  const matrix = job.strategy?.matrix;
  if (matrix === undefined) {
    return [{}];
  }
  const { include, exclude, ...dimensions } = matrix as {
    include?: MatrixCombination[];
    exclude?: MatrixCombination[];
  } & Record<string, unknown[]>;
  const render = (value: unknown) =>
    typeof value === "string" ? interpolate(value, contexts) : value;
  const matches = (combination: MatrixCombination, entry: MatrixCombination, keys: string[]) =>
    keys.every((key) => !(key in entry) || render(entry[key]) === combination[key]);
  const keys = Object.keys(dimensions);
  let combinations: MatrixCombination[] = keys.reduce<MatrixCombination[]>(
    (partial, key) =>
      partial.flatMap((combination) =>
        dimensions[key].map((value) => ({ ...combination, [key]: value })),
      ),
    [{}],
  );
  combinations = combinations.filter(
    (combination) => !(exclude ?? []).some((entry) => matches(combination, entry, keys)),
  );
  for (const entry of include ?? []) {
    const fitting = combinations.filter((combination) => matches(combination, entry, keys));
    if (fitting.length === 0) {
      combinations.push({ ...entry });
    }
    for (const combination of fitting) {
      Object.assign(combination, entry);
    }
  }
  return combinations;
}

/** Contexts of an expression (`github`, `needs`, `matrix`, ...) as plain JSON-like values. */
export type Contexts = Record<string, unknown>;

/**
 * Evaluates an expression as GitHub does, e.g. a job's `if:` (with or without `${{ }}`).
 * Status functions (`success()`, `always()`) are not provided: a job condition that needs them
 * fails here loudly rather than being guessed.
 */
export function evaluate(expression: string, contexts: Contexts): data.ExpressionData {
  const source = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(expression)?.[1] ?? expression;
  const tokens = new Lexer(source).lex().tokens;
  const tree = new Parser(tokens, Object.keys(contexts), []).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return new Evaluator(tree, context).evaluate();
}

export function isTrue(expression: string, contexts: Contexts): boolean {
  return truthy(evaluate(expression, contexts));
}

/** A string with `${{ }}` parts, such as a concurrency group, as GitHub renders it. */
export function interpolate(template: string, contexts: Contexts): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
    evaluate(expression, contexts).coerceString(),
  );
}

export interface ScriptRun {
  readonly status: number | null;
  readonly stdout: string;
  /** What the script appended to $GITHUB_STEP_SUMMARY. */
  readonly summary: string;
}

/**
 * Runs a step's `run:` script as GitHub runs `shell: bash` (`bash --noprofile --norc -eo pipefail`),
 * with `commands` (name → bash body) found first on PATH in place of the real tools.
 */
export function runScript(
  script: string,
  env: Record<string, string>,
  commands: Record<string, string>,
): ScriptRun {
  const dir = mkdtempSync(join(tmpdir(), "workflow-step-"));
  try {
    const bin = join(dir, "bin");
    mkdirSync(bin);
    for (const [name, body] of Object.entries(commands)) {
      writeFileSync(join(bin, name), `#!/usr/bin/env bash\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    }
    const summaryFile = join(dir, "summary.md");
    writeFileSync(summaryFile, "");
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
      cwd: dir,
      encoding: "utf8",
      env: {
        PATH: `${bin}:${process.env.PATH ?? ""}`,
        GITHUB_STEP_SUMMARY: summaryFile,
        ...env,
      },
    });
    return {
      status: result.status,
      stdout: result.stdout,
      summary: readFileSync(summaryFile, "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

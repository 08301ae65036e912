// The drift workflow: on a schedule, each stack is previewed against its live objects
// (`pulumi preview --refresh --expect-no-changes`), and any difference fails the run.

import { stackNames } from "../support/repository";
import {
  environmentOf,
  interpolate,
  loadWorkflow,
  matrixCombinations,
  stepsUsing,
} from "../support/workflows";

const workflow = loadWorkflow("drift.yml");
const pulumiSteps = stepsUsing(workflow, "pulumi/actions");

test("runs on a schedule, and by hand", () => {
  const schedule = workflow.on.schedule as { cron: string }[];
  expect(schedule.length).toBeGreaterThan(0);
  expect(Object.keys(workflow.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
});

test("previews every stack that has a Pulumi.<stack>.yaml, each on its own", () => {
  expect(pulumiSteps).toHaveLength(1);
  const [{ job, step }] = pulumiSteps;
  expect(step.with?.["stack-name"]).toBe("${{ matrix.stack }}");
  expect([...(job.strategy?.matrix?.stack as string[])].sort()).toEqual(stackNames());
  // One stack's drift must not cancel the check of another.
  expect((job.strategy as { "fail-fast"?: boolean })["fail-fast"]).toBe(false);
});

test("refreshes from the live objects and fails on any difference, without changing anything", () => {
  const [{ step }] = pulumiSteps;
  expect(step.with).toMatchObject({
    command: "preview",
    refresh: true,
    "expect-no-changes": true,
  });
});

test("checks each stack in a GitHub environment: staging in staging, production in production-drift", () => {
  const [{ job, step }] = pulumiSteps;
  const environments = matrixCombinations(job).map((matrix) => [
    interpolate(String(step.with?.["stack-name"]), { matrix }),
    interpolate(environmentOf(job) ?? "", { matrix }),
  ]);
  expect(environments.sort()).toEqual([
    ["production", "production-drift"],
    ["staging", "staging"],
  ]);
});

test("stale or failing pods are drift too: npm run status follows the preview, even when it found drift", () => {
  const job = Object.values(loadWorkflow("drift.yml").jobs)[0];
  const status = (job.steps ?? []).find((step) => step.name === "npm run status");
  expect(status?.if).toBe("${{ !cancelled() }}");
  expect(status?.env).toEqual({ STACK: "${{ matrix.stack }}" });
  expect(status?.run).toContain('npm run --silent status -- "$STACK" --wait 300');
  expect(status?.run).toMatch(/exit "\$code"\s*$/);
});

// The deploy workflow: staging on every push to main; production only from a release tag or a
// manual run, only after staging succeeded in the same run, and only through the GitHub
// environment "production" (required reviewers). Conditions and concurrency groups are evaluated
// with GitHub's expression engine for the events that matter.

import { stackNames } from "../support/repository";
import {
  Concurrency,
  Contexts,
  Job,
  environmentOf,
  interpolate,
  isTrue,
  loadWorkflow,
  needsOf,
  stepsUsing,
  workflowFiles,
} from "../support/workflows";
import { nonEmpty } from "../support/nonEmpty";

const workflow = loadWorkflow("deploy.yml");
const { test: testJob, staging, production } = workflow.jobs;

/** pulumi/actions steps that change a stack, in every workflow. */
const updates = workflowFiles()
  .map(loadWorkflow)
  .flatMap((w) => stepsUsing(w, "pulumi/actions"))
  .filter(({ step }) =>
    ["up", "update", "refresh", "destroy"].includes(String(step.with?.command)),
  );

function run(eventName: string, ref: string, sha = "0a1b2c3"): Contexts {
  return { github: { event_name: eventName, ref, sha, repository: "acme/task-api" } };
}

const PUSH_MAIN = run("push", "refs/heads/main");
const PUSH_TAG = run("push", "refs/tags/v1.4.2");
const DISPATCH_MAIN = run("workflow_dispatch", "refs/heads/main");
const DISPATCH_TAG = run("workflow_dispatch", "refs/tags/v1.4.1");
const DISPATCH_BRANCH = run("workflow_dispatch", "refs/heads/try-something");

/** Whether a job runs for an event, given that the jobs it needs succeeded. */
function runs(job: Job, event: Contexts): boolean {
  // Without a status function GitHub adds success(): the job runs only if its needs succeeded.
  expect(job.if ?? "").not.toMatch(/always\(|failure\(|cancelled\(|success\(/);
  return job.if === undefined || isTrue(job.if, event);
}

test("runs on pushes to main, on release tags and by hand, and on nothing else", () => {
  expect(workflow.on).toEqual({
    push: { branches: ["main"], tags: ["v*"] },
    workflow_dispatch: null,
  });
});

test("updates staging on every push to main, once npm test passed", () => {
  expect(runs(testJob, PUSH_MAIN)).toBe(true);
  expect(needsOf(staging)).toEqual(["test"]);
  expect(runs(staging, PUSH_MAIN)).toBe(true);
});

test("a manual run from any other branch deploys nothing", () => {
  expect(runs(testJob, DISPATCH_BRANCH)).toBe(false);
  expect(runs(production, DISPATCH_BRANCH)).toBe(false);
});

test.each([
  ["a push to main", false, PUSH_MAIN],
  ["a release tag", true, PUSH_TAG],
  ["a manual run from main", true, DISPATCH_MAIN],
  ["a manual run from a release tag (rollback)", true, DISPATCH_TAG],
  ["a manual run from another branch", false, DISPATCH_BRANCH],
] as const)("%s updates production: %s", (_what, expected, event) => {
  expect(runs(testJob, event) && runs(staging, event) && runs(production, event)).toBe(expected);
});

test("production is updated only after staging succeeded for the same commit in the same run", () => {
  expect(needsOf(production)).toEqual(["staging"]);
  // runs() refuses status functions, so a failed or skipped staging skips production.
  expect(runs(production, PUSH_TAG)).toBe(true);
});

test("production is updated only in the GitHub environment production, staging in staging", () => {
  const byStack = (stack: string) =>
    updates.filter(({ step }) => step.with?.["stack-name"] === stack);
  expect(byStack("production").length).toBeGreaterThan(0);
  for (const { job } of nonEmpty(byStack("production"))) {
    expect(environmentOf(job)).toBe("production");
  }
  for (const { job } of nonEmpty(byStack("staging"))) {
    expect(environmentOf(job)).toBe("staging");
  }
  expect(environmentOf(production)).toBe("production");
});

test("updates every stack that has a Pulumi.<stack>.yaml, each from one job", () => {
  const stacks = updates.map(({ step }) => String(step.with?.["stack-name"]));
  expect([...stacks].sort()).toEqual(stackNames());
});

test("never runs two updates of one stack at once, and never cancels a running one", () => {
  const groups = new Map<string, string>();
  for (const { job, step } of nonEmpty(updates)) {
    const concurrency = job.concurrency as Concurrency;
    expect(concurrency["cancel-in-progress"]).toBe(false);
    // The same group whatever started the run, so runs of main and of a tag queue behind each other.
    const rendered = [PUSH_MAIN, run("push", "refs/tags/v2.0.0", "9f8e7d6"), DISPATCH_MAIN].map(
      (event) => interpolate(concurrency.group, event),
    );
    expect(new Set(rendered).size).toBe(1);
    groups.set(String(step.with?.["stack-name"]), rendered[0]);
  }
  // One group per stack: staging and production do not wait for each other's unrelated runs.
  expect(new Set(groups.values()).size).toBe(groups.size);
});

test("after each pulumi up, npm run status waits for every pod to run the stack's config and fails the job otherwise, its verdict in the summary", () => {
  for (const [job, stack] of [
    [staging, "staging"],
    [production, "production"],
  ] as const) {
    const names = (job.steps ?? []).map((step) => step.name ?? step.uses ?? step.run ?? "");
    const up = names.indexOf("pulumi up");
    expect(up).toBeGreaterThan(-1);
    const status = (job.steps ?? [])[up + 1];
    expect(status.name).toBe("npm run status");
    expect(status.if).toBeUndefined();
    expect(status.run).toContain(`npm run --silent status -- ${stack} --wait 300`);
    expect(status.run).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(status.run).toMatch(/exit "\$code"\s*$/);
  }
});

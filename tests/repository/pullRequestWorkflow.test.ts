// The pull-request workflow: tested first, then staging's live preview posted as a comment (with
// the repository's secrets), and the offline diff in the job summary for production always and
// for staging without those secrets.
// Conditions are evaluated with GitHub's expression engine for the events that matter.

import { readRepoFile, stackNames } from "../support/repository";
import {
  Contexts,
  Job,
  interpolate,
  isTrue,
  loadWorkflow,
  matrixCombinations,
  needsOf,
  runScript,
  stepsUsing,
} from "../support/workflows";

const workflow = loadWorkflow("pull-request.yml");
const { access, preview } = workflow.jobs;
const offlineDiff = workflow.jobs["offline-diff"];

interface PullRequest {
  readonly number: number;
  readonly headRepository: string;
  readonly secrets: Record<string, string>;
}

const REPOSITORY = "acme/task-api";
const ALL_SECRETS = {
  PULUMI_ACCESS_TOKEN: "pul-x",
  PULUMI_CONFIG_PASSPHRASE: "p",
  DIGITALOCEAN_TOKEN: "dop_v1_x",
};

function contexts(pr: PullRequest): Contexts {
  return {
    github: {
      repository: REPOSITORY,
      event_name: "pull_request",
      event: {
        pull_request: { number: pr.number, head: { repo: { full_name: pr.headRepository } } },
      },
    },
    secrets: pr.secrets,
  };
}

/** The stacks a pull request's run previews live, and those it diffs offline. */
interface Shown {
  readonly live: string[];
  readonly offline: string[];
}

/** The stacks each of the jobs shows, given what the access check answered ("true" or not). */
function shownFor(live: string): Shown {
  const needs = { needs: { access: { outputs: { live } } } };
  const runs = (job: Job) => job.if === undefined || isTrue(job.if, needs);
  const liveStacks = runs(preview)
    ? matrixCombinations(preview, needs).flatMap((matrix) =>
        (preview.steps ?? [])
          .filter((step) => step.uses?.startsWith("pulumi/actions@"))
          .map((step) => interpolate(String(step.with?.["stack-name"]), { matrix })),
      )
    : [];
  const offlineStacks = runs(offlineDiff)
    ? matrixCombinations(offlineDiff, needs).map((matrix) => String(matrix.stack))
    : [];
  return { live: liveStacks.sort(), offline: offlineStacks.sort() };
}

/** What this pull request's run shows, with the access check evaluated for it. */
function shown(pr: PullRequest): Shown {
  const decide = access.steps?.find((step) => step.id === "decide");
  return shownFor(interpolate(decide?.env?.LIVE ?? "", contexts(pr)).trim());
}

const STAGING_LIVE: Shown = { live: ["staging"], offline: ["production"] };
const ALL_OFFLINE: Shown = { live: [], offline: ["production", "staging"] };

test("runs for pull requests into main", () => {
  expect(workflow.on).toEqual({ pull_request: { branches: ["main"] } });
});

test("keeps one run per pull request: a new push cancels the previous run", () => {
  const concurrency = workflow.concurrency as { group: string; "cancel-in-progress": boolean };
  expect(concurrency["cancel-in-progress"]).toBe(true);
  const group = (number: number, headRepository = REPOSITORY) =>
    interpolate(concurrency.group, contexts({ number, headRepository, secrets: {} }));
  // One group per pull request: a push to it (the same number, from its fork or not) lands in the
  // group of the run it cancels; another pull request's run is left alone.
  expect(group(7)).toMatch(/\b7\b/);
  expect(group(7, "someone/fork")).toBe(group(7));
  expect(group(7)).not.toBe(group(8));
});

test("installs with npm ci and passes npm test before any preview or diff", () => {
  const scripts = (workflow.jobs.test.steps ?? []).map((step) => step.run).filter(Boolean);
  expect(scripts).toEqual(["npm ci", "npm test"]);
  expect(needsOf(preview)).toContain("test");
  expect(needsOf(offlineDiff)).toContain("test");
});

test.each(["true", "false"])(
  "shows every stack that has a Pulumi.<stack>.yaml once, live or offline (live preview: %s)",
  (live) => {
    const { live: previewed, offline } = shownFor(live);
    expect([...previewed, ...offline].sort()).toEqual(stackNames());
  },
);

test("never previews production live, whatever the access check answers", () => {
  expect(shownFor("true").live).toEqual(["staging"]);
  expect(shownFor("false").live).toEqual([]);
});

test("always diffs production offline; staging only when it gets no live preview", () => {
  expect(shownFor("true").offline).toEqual(["production"]);
  expect(shownFor("false").offline).toEqual(["production", "staging"]);
});

test("posts the staging preview diff as one comment, edited on every push", () => {
  const [pulumi, ...others] = stepsUsing(workflow, "pulumi/actions");
  expect(others).toEqual([]);
  expect(pulumi.jobId).toBe("preview");
  expect(pulumi.step.with).toMatchObject({
    command: "preview",
    "stack-name": "staging",
    diff: true,
    "comment-on-pr": true,
    "edit-pr-comment": true,
  });
});

test("a branch of this repository, with the secrets, gets the live preview of staging", () => {
  expect(shown({ number: 7, headRepository: REPOSITORY, secrets: ALL_SECRETS })).toEqual(
    STAGING_LIVE,
  );
});

const SELF_MANAGED_SECRETS = {
  AWS_ACCESS_KEY_ID: "k",
  AWS_SECRET_ACCESS_KEY: "s",
  PULUMI_CONFIG_PASSPHRASE: "p",
  DIGITALOCEAN_TOKEN: "d",
};

test("a self-managed backend's keys with the passphrase are enough for the live preview of staging", () => {
  expect(shown({ number: 7, headRepository: REPOSITORY, secrets: SELF_MANAGED_SECRETS })).toEqual(
    STAGING_LIVE,
  );
});

test.each(["PULUMI_CONFIG_PASSPHRASE", "AWS_SECRET_ACCESS_KEY"])(
  "a self-managed backend without %s (the preview could not run) gets the offline diff of every stack",
  (missing) => {
    const secrets = Object.fromEntries(
      Object.entries(SELF_MANAGED_SECRETS).filter(([name]) => name !== missing),
    );
    expect(shown({ number: 7, headRepository: REPOSITORY, secrets })).toEqual(ALL_OFFLINE);
  },
);

test("a pull request from a fork gets the offline diff of every stack", () => {
  expect(shown({ number: 7, headRepository: "mallory/task-api", secrets: ALL_SECRETS })).toEqual(
    ALL_OFFLINE,
  );
});

test("a branch of this repository without DIGITALOCEAN_TOKEN (no cluster access) gets the offline diff of every stack", () => {
  const secrets = { PULUMI_ACCESS_TOKEN: "pul-x", PULUMI_CONFIG_PASSPHRASE: "p" };
  expect(shown({ number: 7, headRepository: REPOSITORY, secrets })).toEqual(ALL_OFFLINE);
});

test("a pull request without the secrets (Dependabot) gets the offline diff of every stack", () => {
  expect(shown({ number: 7, headRepository: REPOSITORY, secrets: {} })).toEqual(ALL_OFFLINE);
});

test("writes each stack's offline diff against the merged base into the job summary", () => {
  const diff = offlineDiff.steps?.find((step) => step.run?.includes("npm run"));
  expect(diff?.env?.STACK).toBe("${{ matrix.stack }}");
  expect(diff?.run).toContain('npm run --silent diff -- "$STACK" --base HEAD^1');
  expect(diff?.run).toContain('>> "$GITHUB_STEP_SUMMARY"');
  // HEAD^1, the first parent of the test merge commit, is only there with a depth of 2.
  const checkout = stepsUsing(workflow, "actions/checkout").find((s) => s.jobId === "offline-diff");
  expect(checkout?.step.with?.["fetch-depth"]).toBe(2);
});

test("the offline diff job gets no secret and cannot write to the repository", () => {
  expect(JSON.stringify(offlineDiff)).not.toMatch(/secrets\.\w/);
  expect(offlineDiff.permissions).toEqual({ contents: "read" });
});

describe("the offline diff step", () => {
  const script = offlineDiff.steps?.find((step) => step.run?.includes("npm run"))?.run ?? "";
  // Stands in for npm: prints what `npm run diff` would, then exits with the given status.
  const npm = (output: string, status: number) => `printf '%s\\n' '${output}'\nexit ${status}`;

  test("closes the summary's code fence and fails with the diff's status when the diff fails", () => {
    const run = runScript(script, { STACK: "staging" }, { npm: npm("partial output", 3) });
    expect(run.status).toBe(3);
    expect(run.summary).toContain("```diff\npartial output\n```\n");
    expect(run.summary.endsWith("```\n")).toBe(true);
  });

  test("puts the whole diff between the fences and succeeds when the diff succeeds", () => {
    const run = runScript(script, { STACK: "staging" }, { npm: npm("+  replicas: 3", 0) });
    expect(run.status).toBe(0);
    expect(run.summary).toMatch(/^### `staging`: offline diff/);
    expect(run.summary).toContain("```diff\n+  replicas: 3\n```\n");
    // Also in the job log, where a failure is looked for first.
    expect(run.stdout).toContain("+  replicas: 3");
  });
});

test("the live preview runs the policy pack of this repository", () => {
  const step = stepsUsing(workflow, "pulumi/actions").find((s) => s.jobId === "preview");
  expect(step?.step.with?.policyPacks).toBe("policy");
  expect(readRepoFile("policy", "PulumiPolicy.yaml")).toMatch(/^runtime: nodejs$/m);
});

describe("the offline policy step", () => {
  const step = offlineDiff.steps?.find((s) => s.run?.includes("npm run --silent policy"));
  const script = step?.run ?? "";
  const npm = (output: string, status: number) => `printf '%s\\n' '${output}'\nexit ${status}`;

  test("runs the pack on each stack of the matrix, even after a failed diff", () => {
    expect(step?.env?.STACK).toBe("${{ matrix.stack }}");
    expect(script).toContain('npm run --silent policy -- "$STACK"');
    expect(step?.if).toBe("${{ !cancelled() }}");
  });

  test("fails with a mandatory violation, which the summary shows", () => {
    const run = runScript(script, { STACK: "production" }, { npm: npm("1 mandatory", 1) });
    expect(run.status).toBe(1);
    expect(run.summary).toMatch(
      /^### `production`: policy pack, offline\n```\n1 mandatory\n```\n$/,
    );
  });

  test("succeeds when the pack finds nothing mandatory", () => {
    expect(runScript(script, { STACK: "staging" }, { npm: npm("0 mandatory", 0) }).status).toBe(0);
  });
});

// Rules every workflow follows: valid for GitHub, pinned actions, least privilege, secrets only
// where they are used and never printed, the same Node and Pulumi CLI as laptops, and only npm
// scripts that exist.

import { packageJson, stackNames } from "../support/repository";
import {
  Contexts,
  Workflow,
  githubParserErrors,
  environmentOf,
  interpolate,
  loadWorkflow,
  matrixCombinations,
  npmScriptsRun,
  steps,
  stepsUsing,
  workflowFiles,
} from "../support/workflows";
import { nonEmpty } from "../support/nonEmpty";

const FULL_SHA_PIN = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/;
const SECRET_SENTINEL = "SECRET-VALUE-OF-";

const workflows = workflowFiles().map(loadWorkflow);

test("the delivery workflows are the pull-request, deploy and drift workflows", () => {
  expect(workflowFiles()).toEqual(["deploy.yml", "drift.yml", "pull-request.yml"]);
});

/** Every `secrets.NAME` a workflow mentions, bound to a recognisable stand-in value. */
function sentinelSecrets(workflow: Workflow): Record<string, string> {
  const names = [...workflow.text.matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
  return Object.fromEntries(names.map((name) => [name, SECRET_SENTINEL + name]));
}

function contextsWithSentinels(workflow: Workflow): Contexts {
  return {
    github: {
      repository: "acme/task-api",
      event_name: "pull_request",
      event: { pull_request: { number: 7, head: { repo: { full_name: "acme/task-api" } } } },
    },
    secrets: sentinelSecrets(workflow),
    matrix: { stack: "staging" },
    vars: {},
    needs: {},
    steps: {},
    env: {},
    inputs: {},
    runner: {},
    job: {},
    strategy: {},
  };
}

describe.each(workflows.map((workflow) => [workflow.file, workflow] as const))(
  "%s",
  (_file, workflow) => {
    test("is valid for GitHub Actions: GitHub's own workflow parser reports no problem", async () => {
      expect(await githubParserErrors(workflow)).toEqual([]);
    });

    test("pins every action to a full commit SHA, with its release tag in a comment", () => {
      const uses = [...workflow.text.matchAll(/^\s*(?:-\s+)?uses:\s*(.+)$/gm)].map((m) => m[1]);
      expect(uses.length).toBeGreaterThan(0);
      for (const reference of uses) {
        expect(reference).toMatch(FULL_SHA_PIN);
      }
    });

    test("grants nothing at workflow level and names the permissions of every job", () => {
      expect(workflow.permissions).toEqual({});
      for (const job of nonEmpty(Object.values(workflow.jobs))) {
        expect(typeof job.permissions).toBe("object");
      }
    });

    test("lets only jobs that post a pull-request comment write, and only pull-request comments", () => {
      for (const [jobId, job] of nonEmpty(Object.entries(workflow.jobs))) {
        const permissions = job.permissions as Record<string, string>;
        const writes = Object.keys(permissions).filter((scope) => permissions[scope] !== "read");
        const comments = stepsUsing(workflow, "pulumi/actions").some(
          (s) => s.jobId === jobId && s.step.with?.["comment-on-pr"] === true,
        );
        expect(writes).toEqual(comments ? ["pull-requests"] : []);
      }
    });

    test("hands secrets to single steps, never to a whole workflow or job", () => {
      expect(JSON.stringify(workflow.env ?? {})).not.toMatch(/secrets\.\w/);
      for (const job of nonEmpty(Object.values(workflow.jobs))) {
        expect(JSON.stringify(job.env ?? {})).not.toMatch(/secrets\.\w/);
      }
    });

    test("never passes --show-secrets", () => {
      expect(workflow.text).not.toMatch(/show-secrets/i);
    });

    test("gives no shell script a secret value, and no script traces or dumps its environment", () => {
      const contexts = contextsWithSentinels(workflow);
      for (const { step } of nonEmpty(
        steps(workflow).filter(({ step }) => step.run !== undefined),
      )) {
        const script = step.run ?? "";
        expect(script).not.toMatch(/\$\{\{[^}]*secrets/);
        expect(script).not.toMatch(/\bset\s+-\w*x|\bprintenv\b|^\s*env\s*$|toJSON\(/m);
        // A shell step may learn whether a secret is set, never what it is.
        for (const value of Object.values(step.env ?? {})) {
          expect(interpolate(String(value), contexts)).not.toContain(SECRET_SENTINEL);
        }
      }
    });

    test("checks out without leaving the GitHub token in .git/config", () => {
      const checkouts = stepsUsing(workflow, "actions/checkout");
      expect(checkouts.length).toBeGreaterThan(0);
      for (const { step } of checkouts) {
        expect(step.with?.["persist-credentials"]).toBe(false);
      }
    });

    test("sets up the Node major in .nvmrc, with the npm cache", () => {
      for (const { step } of nonEmpty(stepsUsing(workflow, "actions/setup-node"))) {
        expect(step.with).toMatchObject({ "node-version-file": ".nvmrc", cache: "npm" });
        expect(step.with?.["node-version"]).toBeUndefined();
      }
    });

    test("installs the CLI version in .pulumi-version for every Pulumi step", () => {
      for (const { step } of nonEmpty(stepsUsing(workflow, "pulumi/actions"))) {
        expect(step.with?.["pulumi-version-file"]).toBe(".pulumi-version");
        expect(step.with?.["pulumi-version"]).toBeUndefined();
      }
    });

    test("runs only npm scripts that package.json has", () => {
      const scripts = Object.keys(packageJson().scripts ?? {});
      // No guard against an empty list: drift.yml runs no npm script (npm ci only), rightly.
      const run = steps(workflow).flatMap(({ step }) => npmScriptsRun(step.run ?? ""));
      for (const script of run) {
        expect(scripts).toContain(script);
      }
    });

    test("runs `pulumi` only through pulumi/actions, which installs the pinned CLI", () => {
      for (const { step } of nonEmpty(steps(workflow))) {
        expect(step.run ?? "").not.toMatch(/(^|[\s;&|(])(npx\s+)?pulumi\s/m);
      }
    });

    test("matrices over stacks list exactly the stacks that have a Pulumi.<stack>.yaml", () => {
      for (const job of nonEmpty(Object.values(workflow.jobs))) {
        const matrix = job.strategy?.matrix;
        if (matrix !== undefined) {
          expect([...(matrix.stack as string[])].sort()).toEqual(stackNames());
        }
      }
    });
  },
);

test("the script check sees `npm test`, `npm run X` and `npm run --silent X -- args`", () => {
  expect(npmScriptsRun('npm ci\nnpm test\nnpm run build && npm run --silent diff -- "$S"')).toEqual(
    ["test", "build", "diff"],
  );
});

test("the matrix expansion drops what an exclude matches, ignores an exclude of '', and merges includes", () => {
  const job = {
    strategy: {
      matrix: {
        stack: ["production", "staging"],
        exclude: [{ stack: "${{ needs.live == 'true' && 'staging' || '' }}" }],
        include: [{ stack: "production", environment: "production-drift" }],
      },
    },
  };
  expect(matrixCombinations(job, { needs: { live: "true" } })).toEqual([
    { stack: "production", environment: "production-drift" },
  ]);
  expect(matrixCombinations(job, { needs: { live: "false" } })).toEqual([
    { stack: "production", environment: "production-drift" },
    { stack: "staging" },
  ]);
  expect(matrixCombinations({})).toEqual([{}]);
});

test("every job with a Pulumi step logs doctl in right before it, one pinned doctl everywhere", () => {
  // The kubeconfig's exec credential plugin runs doctl whenever the Kubernetes provider connects.
  const pulumiSteps = workflows.flatMap((workflow) => stepsUsing(workflow, "pulumi/actions"));
  expect(pulumiSteps.length).toBeGreaterThanOrEqual(4);
  const versions = new Set<string>();
  for (const { job, step } of pulumiSteps) {
    const jobSteps = job.steps ?? [];
    const before = jobSteps[jobSteps.indexOf(step) - 1];
    // The parsed YAML has no comments; the release tag beside the SHA is checked on the text.
    expect(before?.uses).toMatch(/^digitalocean\/action-doctl@[0-9a-f]{40}$/);
    expect(before?.with?.token).toBe("${{ secrets.DIGITALOCEAN_TOKEN }}");
    versions.add(String(before?.with?.version));
  }
  expect([...versions]).toHaveLength(1);
  expect([...versions][0]).toMatch(/^\d+\.\d+\.\d+$/);
});

/**
 * Every stack a Pulumi step works on, with the GitHub environment its job runs in (undefined: the
 * repository's secrets), over every matrix combination and either answer of an access check.
 */
const pulumiTargets = workflows.flatMap((workflow) =>
  stepsUsing(workflow, "pulumi/actions").flatMap(({ jobId, job, step }) =>
    ["true", "false"].flatMap((live) =>
      matrixCombinations(job, { needs: { access: { outputs: { live } } } }).map((matrix) => {
        const environment = environmentOf(job);
        return {
          job: `${workflow.file} ${jobId}`,
          stack: interpolate(String(step.with?.["stack-name"]), { matrix }),
          environment: environment === undefined ? undefined : interpolate(environment, { matrix }),
        };
      }),
    ),
  ),
);

test("Pulumi runs on production only in jobs of the production or production-drift environment", () => {
  const production = pulumiTargets.filter(({ stack }) => stack === "production");
  // The deploy and the drift check.
  expect(new Set(production.map(({ job }) => job)).size).toBeGreaterThanOrEqual(2);
  for (const { job, environment } of production) {
    expect({ job, environment }).toEqual({
      job,
      environment: expect.stringMatching(/^production(-drift)?$/),
    });
  }
  // And those environments' credentials serve production only.
  for (const { job, stack, environment } of pulumiTargets) {
    if (environment?.startsWith("production")) {
      expect({ job, stack }).toEqual({ job, stack: "production" });
    }
  }
});

test("a job outside any GitHub environment, which gets the repository's secrets, runs Pulumi only on staging", () => {
  const outside = pulumiTargets.filter(({ environment }) => environment === undefined);
  // The pull-request preview.
  expect(outside.length).toBeGreaterThan(0);
  for (const { job, stack } of outside) {
    expect({ job, stack }).toEqual({ job, stack: "staging" });
  }
});

// What the README tells people to run, checked against what the repository runs.

import { readRepoFile } from "../support/repository";
import { loadWorkflow, stepsUsing } from "../support/workflows";

/** The text of the README section headed `## <title>`, up to the next `## `. */
function readmeSection(title: string): string {
  const readme = readRepoFile("README.md");
  const start = readme.indexOf(`\n## ${title}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

test("Reviewing a change gives CI the pull-request workflow's checkout depth and diff command", () => {
  const workflow = loadWorkflow("pull-request.yml");
  const diffCommand = workflow.jobs["offline-diff"].steps
    ?.flatMap((step) => (step.run ?? "").split("\n"))
    .map((line) => line.trim())
    .find((line) => line.startsWith("npm run --silent diff"))
    // The command itself; the workflow redirects its output into a file for the job summary.
    ?.split(" > ")[0];
  const depth = stepsUsing(workflow, "actions/checkout").find((s) => s.jobId === "offline-diff")
    ?.step.with?.["fetch-depth"];

  const section = readmeSection("Reviewing a change");
  expect(diffCommand).toBeDefined();
  expect(section).toContain(`\n${diffCommand}\n`);
  // Every depth the section mentions is the workflow's (it once said `fetch-depth: 0`).
  const depths = [...section.matchAll(/fetch-depth: (\d+)/g)].map((match) => Number(match[1]));
  expect(depths.length).toBeGreaterThan(0);
  expect(new Set(depths)).toEqual(new Set([depth]));
});

test("End-to-end names only npm scripts that exist, and .ci/run runs the e2e when its tools are built", () => {
  const section = readmeSection("End-to-end");
  const commands = [...section.matchAll(/^npm run ([\w:]+)/gm)].map((match) => match[1]);
  expect(commands).toEqual(["e2e:tools", "e2e", "e2e:bench"]);
  const scripts = (JSON.parse(readRepoFile("package.json")) as { scripts: Record<string, string> })
    .scripts;
  for (const command of commands) {
    expect(scripts[command]).toBeDefined();
  }
  const ci = readRepoFile(".ci/run");
  expect(ci).toMatch(/^npm test$/m);
  expect(ci).toMatch(/^if npm run --silent e2e:tools -- --check; then\n\s+npm run e2e\n/m);
});

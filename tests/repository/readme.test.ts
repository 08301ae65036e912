// What the README and the reference in docs/ tell people to run, checked against what the
// repository runs.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR } from "../../review/engine/programFacts";
import { nonEmpty } from "../support/nonEmpty";
import { readRepoFile } from "../support/repository";
import { loadWorkflow, stepsUsing } from "../support/workflows";

/** The text of the section headed `## <title>` of a Markdown file, up to the next `## `. */
function section(file: string, title: string): string {
  const text = readRepoFile(file);
  const start = text.indexOf(`\n## ${title}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = text.indexOf("\n## ", start + 1);
  return text.slice(start, end === -1 ? undefined : end);
}

test("README gives npm ci and npm test as the way to set up and test, the command .ci/run runs", () => {
  expect(section("README.md", "Set up and test")).toContain("\n```sh\nnpm ci\nnpm test\n```\n");
  expect(readRepoFile(".ci/run")).toMatch(/^npm ci --no-audit --no-fund\nnpm test$/m);
});

test("every docs/ page README links to exists, and README links every page of docs/", () => {
  const readme = readRepoFile("README.md");
  const linked = [...readme.matchAll(/\]\((docs\/[\w.-]+\.md)(#[\w-]+)?\)/g)].map((m) => m[1]);
  expect(linked.length).toBeGreaterThan(0);
  for (const page of nonEmpty([...new Set(linked)])) {
    expect(readRepoFile(page).length).toBeGreaterThan(0);
  }
  const pages = readdirSync(join(PROJECT_DIR, "docs")).map((file) => `docs/${file}`);
  expect([...new Set(linked)].sort()).toEqual(pages.sort());
});

test("docs/reviewing.md, Reviewing a change, gives CI the pull-request workflow's checkout depth and diff command", () => {
  const workflow = loadWorkflow("pull-request.yml");
  const diffCommand = workflow.jobs["offline-diff"].steps
    ?.flatMap((step) => (step.run ?? "").split("\n"))
    .map((line) => line.trim())
    .find((line) => line.startsWith("npm run --silent diff"))
    // The command itself; the workflow redirects its output into a file for the job summary.
    ?.split(" > ")[0];
  const depth = stepsUsing(workflow, "actions/checkout").find((s) => s.jobId === "offline-diff")
    ?.step.with?.["fetch-depth"];

  const reviewing = section("docs/reviewing.md", "Reviewing a change");
  expect(diffCommand).toBeDefined();
  expect(reviewing).toContain(`\n${diffCommand}\n`);
  // Every depth the section mentions is the workflow's (it once said `fetch-depth: 0`).
  const depths = [...reviewing.matchAll(/fetch-depth: (\d+)/g)].map((match) => Number(match[1]));
  expect(depths.length).toBeGreaterThan(0);
  expect(new Set(depths)).toEqual(new Set([depth]));
});

test("End-to-end names only npm scripts that exist, and .ci/run builds what the e2e lacks and runs it every time", () => {
  const commands = [...section("README.md", "End-to-end").matchAll(/^npm run ([\w:]+)/gm)].map(
    (match) => match[1],
  );
  expect(commands).toEqual(["e2e:tools", "e2e", "e2e:bench", "cluster"]);
  const scripts = (JSON.parse(readRepoFile("package.json")) as { scripts: Record<string, string> })
    .scripts;
  for (const command of commands) {
    expect(scripts[command]).toBeDefined();
  }
  const ci = readRepoFile(".ci/run");
  // In this order, unconditionally: a fresh machine builds the tools rather than skip the e2e.
  expect(ci).toMatch(/^npm test\nnpm run e2e:tools\nnpm run e2e$/m);
  expect(ci).not.toMatch(/^\s*(if|\|\||&&)|--check/m);
});

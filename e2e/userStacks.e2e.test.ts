// Issue 22: the test suite holds for the user's own stacks. A copy of this checkout gets README's
// quick start (`pulumi stack init staging`, then the three `pulumi config set --secret` commands,
// each given its value on standard input as a user types it at the prompt) and README's two most
// common changes (a setting; a secret declared in optionalSecrets, then set), all read from README
// and run with the real CLI, which rewrites the stack file as it does for users. Then the copy's
// `npm run check:stacks` and its whole unit suite (`npx jest`) run there, and pass.

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { copyProject } from "./harness/project";
import { PulumiCli, e2eEnvironment } from "./harness/pulumiCli";

const e2e = e2eEnvironment();
const projectDir = join(e2e.workDir, "user-stacks", "project");
const summary: string[] = [];

/** What a user types at each prompt, by the key the command sets. */
const typed: Record<string, string> = {
  "secrets.DATABASE_PASSWORD": `pg-user-${randomBytes(8).toString("hex")}`,
  "secrets.OPENAI_API_KEY": `sk-proj-${randomBytes(24).toString("hex")}`,
  "task-api:registryToken": `ghp_${randomBytes(18).toString("hex")}`,
  "secrets.SENTRY_DSN": `https://${randomBytes(16).toString("hex")}@o1.ingest.sentry.io/42`,
};

/** The `npx pulumi config set` lines of README's ```sh blocks under `heading`, in order. */
function readmeCommands(heading: string): string[][] {
  const readme = readFileSync(join(projectDir, "README.md"), "utf8");
  const start = readme.indexOf(`\n## ${heading}`);
  expect(start).toBeGreaterThan(0);
  const section = readme.slice(start + 1, readme.indexOf("\n## ", start + 1));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((block) => block[1].split("\n"))
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter(
      (line) =>
        line.startsWith("npx pulumi stack init") || line.startsWith("npx pulumi config set"),
    )
    .map((line) => (line.match(/'[^']*'|\S+/g) ?? []).map((word) => word.replace(/^'|'$/g, "")));
}

afterAll(() => {
  process.stdout.write(
    `e2e user stacks: what was observed:\n${summary.map((l) => `  ${l}`).join("\n")}\n`,
  );
});

test("after README's quick start and its two common changes, made with the real CLI, check:stacks and the whole unit suite pass in the copy", async () => {
  copyProject(projectDir);
  const cli = new PulumiCli(projectDir, e2e, randomBytes(24).toString("hex"));
  const quickStart = readmeCommands("Quick start");
  const changes = readmeCommands("The two changes");
  expect(quickStart.map((c) => c.slice(0, 4).join(" "))).toEqual([
    "npx pulumi stack init",
    "npx pulumi config set",
    "npx pulumi config set",
    "npx pulumi config set",
  ]);
  expect(changes).toHaveLength(3);
  for (const command of [...quickStart, ...changes]) {
    const args = command.slice(2);
    const key = args.find((arg) => arg in typed);
    const secret = args.includes("--secret");
    expect(secret).toBe(key !== undefined);
    // `stack init` here with the passphrase provider, as README's `pulumi login --local` gives it.
    const run =
      args[0] === "stack"
        ? await cli.initStack(args[2])
        : await cli.ok(args, {
            input: key === undefined ? "" : typed[key],
            revealsSecrets: secret,
          });
    expect(run.status).toBe(0);
  }
  const stackFile = readFileSync(join(projectDir, "Pulumi.staging.yaml"), "utf8");
  for (const value of Object.values(typed)) {
    expect(stackFile).not.toContain(value);
  }
  expect(stackFile).toMatch(/FEATURE_X: true/);
  expect(stackFile).toMatch(/SENTRY_DSN:\n\s+secure: v1:/);
  summary.push(
    `the copy's Pulumi.staging.yaml after ${quickStart.length + changes.length} commands: ${
      (stackFile.match(/secure: v1:/g) ?? []).length
    } encrypted values, FEATURE_X set, SENTRY_DSN in optionalSecrets`,
  );

  const env = { ...cli.env, CI: "true" };
  const check = spawnSync("npm", ["run", "--silent", "check:stacks"], {
    cwd: projectDir,
    env,
    encoding: "utf8",
  });
  expect(`${check.stdout}${check.stderr}`).toBe(
    "Pulumi.production.yaml: ok\nPulumi.staging.yaml: ok\n",
  );
  const started = Date.now();
  const jest = spawnSync("npx", ["jest", "--silent"], { cwd: projectDir, env, encoding: "utf8" });
  const output = `${jest.stdout}${jest.stderr}`;
  const tally = /^Tests:.*$/m.exec(output)?.[0] ?? "";
  summary.push(
    `npx jest in the copy: exit ${jest.status} after ${((Date.now() - started) / 1000).toFixed(0)} s; ${tally}`,
  );
  expect({
    status: jest.status,
    failed: output.split("\n").filter((l) => /✕|^FAIL /.test(l)),
  }).toEqual({
    status: 0,
    failed: [],
  });
  expect(tally).toMatch(/^Tests:\s+\d+ passed, \d+ total$/);
}, 900000);

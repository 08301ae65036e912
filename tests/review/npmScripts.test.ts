// The review commands as users and CI run them: `npm run render`, `env` and `diff` in a plain Node
// process, each command at least once through `npm run` (tests/support/scriptProcesses.ts). The diff runs
// in a git repository each test makes for itself from a copy of the project.

import { execFileSync } from "node:child_process";
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { baseCommit } from "../../review/diff/gitSnapshot";
import { UsageError } from "../../review/usageError";
import { npmRun, scriptRun, succeeded } from "../support/scriptProcesses";
import { copyProject, removeTempDirs, tempDir } from "../support/offline";
import { PROJECT_DIR } from "../../review/engine/programFacts";

afterAll(removeTempDirs);

const SLOW = 90000;

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], {
    cwd,
    stdio: "pipe",
  });
}

/** A git repository of a copy of the project: committed on main, checked out on branch feature. */
function featureBranchRepo(): string {
  const repo = copyProject();
  git(repo, "init", "-q", "-b", "main");
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "base");
  git(repo, "checkout", "-q", "-b", "feature");
  return repo;
}

function catchError(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, "utf8");
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

test(
  "npm run diff compares with the merge base of main: a ConfigMap label restarts nothing, a config value does",
  () => {
    const repo = featureBranchRepo();
    edit(
      join(repo, "components", "AppConfig.ts"),
      "labels: { ...args.labels },",
      'labels: { ...args.labels, "example.com/team": "payments" },',
    );
    git(repo, "commit", "-q", "-am", "label the ConfigMap");

    const label = succeeded(npmRun(repo, "diff", "--", "staging"));
    expect(label).toMatch(/^stack staging: merge base with main \([0-9a-f]{12}\) -> working tree/);
    expect(label).toContain("+    example.com/team: payments\n");
    expect(label).toContain("environment: no change\n");
    expect(label).toMatch(/\npods will restart: no \(no pod template changed\)\n$/);

    // Uncommitted, as a reviewer's working tree would be.
    edit(join(repo, "Pulumi.staging.yaml"), "LOG_LEVEL: debug", "LOG_LEVEL: warn");
    const config = succeeded(scriptRun(repo, "diff", "staging"));
    expect(config).toContain("+  LOG_LEVEL=warn  from ConfigMap");
    expect(config).toContain(
      "pods will restart: yes (Deployment task-api-staging/task-api: checksum/config changed (ConfigMap data))",
    );
  },
  SLOW,
);

test(
  "npm run diff compares with nothing, with a note, when the base program fails offline",
  () => {
    const repo = copyProject();
    const index = join(repo, "index.ts");
    const program = readFileSync(index, "utf8");
    // An older program reading a data source the offline run does not answer, its failure left to
    // the runtime as a program's would be.
    writeFileSync(
      index,
      program +
        'import { getAccountOutput } from "@pulumi/digitalocean/getAccount";\n' +
        'import { ConfigMap as AccountConfigMap } from "@pulumi/kubernetes/core/v1";\n' +
        'new AccountConfigMap("account", {\n' +
        "  metadata: { name: getAccountOutput().email },\n" +
        "});\n",
    );
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "base");
    writeFileSync(index, program);

    const out = succeeded(scriptRun(repo, "diff", "staging"));
    expect(out).toContain(
      "note: the base does not render, so everything is compared with nothing: " +
        "unexpected invoke digitalocean:index/getAccount:getAccount",
    );
    expect(out).toContain("+++ b/deployment.task-api-staging.task-api.yaml");
    expect(out).toContain("pods will restart: yes (Deployment task-api-staging/task-api is new");
  },
  SLOW,
);

test(
  "npm run diff in a shallow checkout without --base exits 2 with a message naming --base REF, no stack trace",
  () => {
    const repo = featureBranchRepo();
    git(repo, "commit", "-q", "--allow-empty", "-m", "change");
    // As actions/checkout fetches a pull request: one commit, no main.
    const clone = tempDir("task-api-shallow-");
    git(clone, "clone", "-q", "--depth", "1", "--branch", "feature", `file://${repo}`, ".");
    symlinkSync(join(PROJECT_DIR, "node_modules"), join(clone, "node_modules"), "dir");

    const result = scriptRun(clone, "diff", "staging");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("no merge base of HEAD with main or origin/main");
    expect(result.stderr).toContain("shallow clone");
    expect(result.stderr).toContain("--base REF");
    expect(result.stderr).not.toMatch(/^\s+at /m);
    // The parent is not in a depth-1 clone either: said as plainly.
    const error = catchError(() => baseCommit(clone, "HEAD^1"));
    expect(UsageError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("--base HEAD^1: no such commit in this checkout");
  },
  SLOW,
);

test(
  "npm run render exits 1 with the program's own message, and no stack trace, on invalid config",
  () => {
    const project = copyProject();
    edit(join(project, "Pulumi.staging.yaml"), "task-api:1.5.0-rc.2", "task-api:latest");
    const result = scriptRun(project, "render", "staging");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      '1 problem in the config of stack "staging"; nothing was deployed.',
    );
    expect(result.stderr).toContain('uses the tag "latest"');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  },
  SLOW,
);

test(
  "npm run env prints the production container's environment with winners and shadowed defaults",
  () => {
    const table = succeeded(npmRun(copyProject(), "env", "--", "production"));
    expect(table).toMatch(/^LOG_LEVEL +warn +ConfigMap +program default \(info\)$/m);
    expect(table).toMatch(/^DATABASE_PASSWORD +\[secret\] +Secret$/m);
    expect(table).toMatch(/^POD_NAME +\(fieldRef metadata\.name\) +explicit env$/m);
  },
  SLOW,
);

// The project the end-to-end tests deploy: a copy of this checkout (tracked files and the working
// tree's changes, node_modules linked), in its own git repository so that `npm run diff` can
// compare each scenario's change with the commit before it, as a reviewer's pull request would.
// The `e2e` stack file is made there by the real CLI and never lands in this repository.

import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseDocument } from "yaml";
import { REPO_DIR } from "./toolchain";

export const E2E_STACK = "e2e";

export function copyProject(projectDir: string): void {
  const files = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { cwd: REPO_DIR, encoding: "utf8" },
  )
    .split("\0")
    .filter((file) => file !== "" && existsSync(join(REPO_DIR, file)));
  for (const file of files) {
    mkdirSync(dirname(join(projectDir, file)), { recursive: true });
    cpSync(join(REPO_DIR, file), join(projectDir, file));
  }
  symlinkSync(join(REPO_DIR, "node_modules"), join(projectDir, "node_modules"), "dir");
  git(projectDir, ["init", "--quiet", "--initial-branch=main"]);
  commitAll(projectDir, "the checkout under test");
}

export function git(projectDir: string, args: readonly string[]): string {
  return execFileSync("git", args, {
    cwd: projectDir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "e2e",
      GIT_AUTHOR_EMAIL: "e2e@localhost",
      GIT_COMMITTER_NAME: "e2e",
      GIT_COMMITTER_EMAIL: "e2e@localhost",
    },
  });
}

export function commitAll(projectDir: string, message: string): void {
  git(projectDir, ["add", "--all"]);
  git(projectDir, ["commit", "--quiet", "--allow-empty", "-m", message]);
}

export function stackFilePath(projectDir: string): string {
  return join(projectDir, `Pulumi.${E2E_STACK}.yaml`);
}

/** Sets plaintext keys in the stack file, leaving the rest (salt, ciphertexts) as the CLI wrote it. */
export function editStackFile(
  projectDir: string,
  edit: (config: Map<string, unknown>) => void,
): void {
  const file = stackFilePath(projectDir);
  const document = parseDocument(readFileSync(file, "utf8"));
  const config = new Map(Object.entries((document.toJS() as { config?: object }).config ?? {}));
  edit(config);
  document.set("config", Object.fromEntries(config));
  writeFileSync(file, document.toString());
}

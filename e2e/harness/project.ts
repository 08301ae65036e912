// The project the end-to-end tests deploy: a copy of this checkout (tracked files and the working
// tree's changes, node_modules linked), in its own git repository so that `npm run diff` can
// compare each scenario's change with the commit before it, as a reviewer's pull request would.
// The `e2e` stack file is made there by the real CLI and never lands in this repository.

import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseDocument } from "yaml";
import { E2E_CONTEXT } from "./controlPlane";
import { PulumiCli } from "./pulumiCli";
import { RegistryAccounts } from "./registry";
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

/** What differs between the stacks the e2e tests and the benchmark deploy. */
export interface StackValues {
  readonly namespace: string;
  readonly secrets: Readonly<Record<string, string>>;
  readonly registryUser: string;
  readonly registryToken: string;
}

/**
 * The `e2e` stack: like staging, but on the local cluster through a kubeconfig context, a
 * GHCR-style registry with a made-up token, and no DigitalOcean. Secrets are set with the real
 * `pulumi config set --secret`, as README tells users to. The token is made an account of the
 * run's registry first, as a GHCR token exists before anyone puts it in a pull secret: the pods
 * pull with it. The rollout is awaited (`task-api:awaitRollout` left at its default, true), as in
 * every committed stack: the cluster's pods run (e2e/harness/podCluster.ts).
 */
export async function initE2eStack(
  cli: PulumiCli,
  values: StackValues,
  registry: Pick<RegistryAccounts, "add">,
): Promise<void> {
  registry.add({ username: values.registryUser, password: values.registryToken });
  await cli.initStack(E2E_STACK);
  editStackFile(cli.projectDir, (config) => {
    config.set("task-api:image", "ghcr.io/acme/task-api:1.5.0");
    config.set("task-api:namespace", values.namespace);
    config.set("task-api:replicas", 2);
    config.set("task-api:config", {
      LOG_LEVEL: "debug",
      DATABASE_HOST: "db.task-api-e2e.internal",
      DATABASE_PORT: 5432,
      MAX_TOKENS: 2048,
    });
    config.set("task-api:nonSecretConfigKeys", ["MAX_TOKENS"]);
    config.set("task-api:registry", { server: "ghcr.io", username: values.registryUser });
    config.set("task-api:cluster", { context: E2E_CONTEXT });
    config.set("task-api:fieldEnv", { POD_NAME: "metadata.name" });
  });
  const setSecret = (path: string, value: string) =>
    cli.ok(["config", "set", "--secret", "--path", path, value, "--stack", E2E_STACK]);
  for (const [name, value] of Object.entries(values.secrets)) {
    await setSecret(`secrets.${name}`, value);
  }
  await setSecret("task-api:registryToken", values.registryToken);
}

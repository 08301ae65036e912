// `npm run cluster` as README's quick start offers it: started as a user starts it, the commands
// it prints typed as printed into a shell (in a copy of the project), the app's pod running with
// the values set, and Ctrl-C stopping everything.

import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { poll } from "./harness/cluster";
import { copyProject } from "./harness/project";
import { PulumiCli, e2eEnvironment } from "./harness/pulumiCli";
import { REPO_DIR } from "./harness/toolchain";

const e2e = e2eEnvironment();
const dir = join(e2e.workDir, "local-cluster");
const projectDir = join(dir, "project");
/** What the prompts of `pulumi config set --secret` are given, made per run. */
const prompted: Record<string, string> = {
  DATABASE_PASSWORD: `local-db-${randomBytes(8).toString("hex")}`,
  OPENAI_API_KEY: `sk-local-${randomBytes(8).toString("hex")}`,
};
let cluster: ChildProcess | undefined;
let clusterOutput = "";
const summary: string[] = [];

afterAll(() => {
  if (cluster?.pid !== undefined && cluster.exitCode === null) {
    process.kill(-cluster.pid, "SIGKILL");
  }
  process.stdout.write(`\nnpm run cluster, what was observed:\n- ${summary.join("\n- ")}\n`);
});

/** The lines of a printed block: those indented by two spaces after `heading`, up to a blank. */
function printedCommands(output: string, heading: string): string[] {
  const after = output.slice(output.indexOf(heading) + heading.length).split("\n");
  const start = after.findIndex((line) => line.startsWith("  "));
  const end = after.findIndex((line, index) => index > start && line.trim() === "");
  return after.slice(start, end).map((line) => line.trim());
}

test("npm run cluster starts a cluster whose printed commands deploy the app, whose pod then runs with the values set, and Ctrl-C removes it all", async () => {
  const started = Date.now();
  // Its own process group, as a terminal gives the command it runs: Ctrl-C goes to the group.
  cluster = spawn(process.execPath, ["startup/run.js", "scripts/cluster.ts"], {
    cwd: REPO_DIR,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  cluster.stdout?.setEncoding("utf8").on("data", (chunk: string) => (clusterOutput += chunk));
  cluster.stderr?.setEncoding("utf8").on("data", (chunk: string) => (clusterOutput += chunk));
  await poll("the cluster to be ready", 120, () =>
    Promise.resolve(clusterOutput.includes("Ctrl-C stops")),
  );
  summary.push(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const deploy = printedCommands(clusterOutput, "In another terminal, from this project:");
  const inspect = printedCommands(clusterOutput, "Then look inside the running app:");
  expect(deploy.at(-1)).toBe("npx pulumi up -s local");
  expect(inspect.at(-1)).toMatch(/ exec deployment\/task-api -- env$/);

  // The shell a user types into: a home of its own, and `npx pulumi` running the CLI built for the e2e run, as the `pulumi` devDependency is only the
  // launcher that downloads the CLI, which this machine cannot reach.
  copyProject(projectDir);
  const home = join(dir, "home");
  const bin = join(dir, "bin");
  mkdirSync(home, { recursive: true });
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    join(bin, "npx"),
    '#!/bin/sh\n[ "$1" = pulumi ] || { echo "not the CLI: npx $*" >&2; exit 1; }\nshift\nexec pulumi "$@"\n',
  );
  chmodSync(join(bin, "npx"), 0o755);
  const cliEnv = new PulumiCli(projectDir, e2e, "unused").env;
  const shellEnv: NodeJS.ProcessEnv = {
    ...cliEnv,
    HOME: home,
    PATH: `${bin}:${cliEnv.PATH ?? ""}`,
    PULUMI_BACKEND_URL: undefined,
    PULUMI_CONFIG_PASSPHRASE: undefined,
    KUBECONFIG: undefined,
    // Plain output, with up's confirmation answered, as a user answers it.
    PULUMI_SKIP_CONFIRMATIONS: "true",
  };
  // Each prompted secret gets its value on standard input, as typed at the prompt.
  const script = [...deploy, ...inspect]
    .map((line) => {
      const name = /--path 'secrets\.(\w+)'/.exec(line)?.[1];
      if (name && !line.includes("<")) {
        const file = join(dir, `${name}.prompted`);
        writeFileSync(file, prompted[name], { mode: 0o600 });
        return `${line} < ${file}`;
      }
      return line;
    })
    .join("\n");
  const shell = spawnSync("bash", ["-e", "-c", script], {
    cwd: projectDir,
    env: shellEnv,
    encoding: "utf8",
    timeout: 600_000,
  });
  const output = `${shell.stdout}${shell.stderr}`;
  // (A boolean, so that a failure does not print the values.)
  const leaked = Object.values(prompted).some((value) =>
    output.replace(/^(DATABASE_PASSWORD|OPENAI_API_KEY)=.*$/gm, "").includes(value),
  );
  expect(leaked).toBe(false);
  if (shell.status !== 0) {
    throw new Error(`the printed commands failed (exit ${shell.status}):\n${output.slice(-3000)}`);
  }
  // What `kubectl exec deployment/task-api -- env` printed: the pod's environment.
  const environment = new Map(
    shell.stdout
      .split("\n")
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  for (const [name, value] of Object.entries(prompted)) {
    expect(environment.get(name) === value).toBe(true);
  }
  expect(environment.get("LOG_LEVEL")).toBe("info");
  expect(shell.stdout).toMatch(/task-api-\S+\s+1\/1\s+Running/);
  summary.push(
    `the ${deploy.length} printed commands deployed the local stack; the pod runs; its env holds both prompted secrets`,
  );

  // The stack's state went with the cluster's files, not to the user's home or backend.
  const stateDir = /^export PULUMI_BACKEND_URL=file:\/\/(\S+)$/m.exec(deploy.join("\n"))?.[1] ?? "";
  expect(existsSync(join(stateDir, ".pulumi", "stacks", "task-api", "local.json"))).toBe(true);
  expect(readdirSync(home).filter((entry) => entry !== ".kube")).toEqual([]);

  const stopping = Date.now();
  const pid = cluster.pid ?? 0;
  const exited = new Promise((resolve) => cluster?.once("exit", resolve));
  process.kill(-pid, "SIGINT");
  await exited;
  expect(clusterOutput).toContain("cluster: stopped, nothing left running");
  expect(existsSync(stateDir)).toBe(false);
  summary.push(`Ctrl-C: stopped in ${((Date.now() - stopping) / 1000).toFixed(1)} s`);
});

// The real `pulumi` CLI as the end-to-end tests run it: a local file backend and a passphrase
// secrets provider in the run's work folder, the built tools first on PATH, and nothing that
// could reach the network (no update check, no plugin downloads, no DigitalOcean credentials).

import { ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** What the e2e runner hands the tests (see e2e/harness/run.ts). */
export interface E2eEnvironment {
  readonly workDir: string;
  readonly kubeconfig: string;
  readonly toolPath: string;
  readonly server: string;
  readonly token: string;
  readonly caFile: string;
  /** Each built binary's path, for tests that start more of the control plane themselves. */
  readonly binaries: Readonly<Record<string, string>>;
  /**
   * The shared cluster's registry (e2e/harness/podCluster.ts): `openRegistry` (e2e/harness/registry.ts) reads its
   * pulls from the log and adds or revokes accounts through the file, which it reads at each request.
   */
  readonly registry: {
    readonly address: string;
    readonly logFile: string;
    readonly accountsFile: string;
  };
  /** The shared cluster's node (e2e/harness/node.ts): its pods run, on this machine. */
  readonly node: {
    /** The Node's name, also its InternalIP. */
    readonly name: string;
    /** containerd's socket (`ctr --address`, namespace k8s.io: the images the kubelet pulled). */
    readonly containerdSocket: string;
    /** The pods' subnet, on a bridge the host has an address on: the host reaches the pods. */
    readonly podSubnet: string;
  };
}

export const E2E_ENVIRONMENT_VARIABLE = "TASK_API_E2E";

export function e2eEnvironment(): E2eEnvironment {
  const value = process.env[E2E_ENVIRONMENT_VARIABLE];
  if (!value) {
    throw new Error(
      `${E2E_ENVIRONMENT_VARIABLE} is not set: run the end-to-end tests with npm run e2e`,
    );
  }
  return JSON.parse(value) as E2eEnvironment;
}

/** Environment variables that would point the CLI or a provider somewhere else. */
const DROPPED = /^(PULUMI_|DIGITALOCEAN_|KUBECONFIG$|KUBERNETES_)/;

export interface RunOptions {
  /** Standard input, e.g. the value `pulumi config set --secret KEY` reads when none is given. */
  readonly input?: string;
  /** Asked to print secrets (`--show-secrets`): left out of the transcript the leak scan reads. */
  readonly revealsSecrets?: boolean;
}

/** A command started by `PulumiCli.start`. */
export interface StartedCommand {
  /** Its exit code, once it has exited. */
  readonly exited: Promise<number | null>;
  running(): boolean;
  /** What it printed so far, standard output and error together. */
  output(): string;
}

export class PulumiCli {
  readonly env: NodeJS.ProcessEnv;
  /** Every command's combined output, for the leak scan. */
  readonly transcript: string[] = [];
  private readonly started = new Set<ChildProcess>();

  constructor(
    readonly projectDir: string,
    e2e: E2eEnvironment,
    readonly passphrase: string,
    /** The kubeconfig the CLI and kubectl use. @default the run's control plane */
    kubeconfig = e2e.kubeconfig,
  ) {
    // Per project, so that test files deploying their own copies never share a stack.
    const home = `${projectDir}.pulumi-home`;
    const backend = `${projectDir}.state`;
    mkdirSync(home, { recursive: true });
    mkdirSync(backend, { recursive: true });
    // The Kubernetes provider writes each kubeconfig it is given to a temporary file
    // (kubeconfigNNN) and leaves it there: 1,362 of them, with the clusters' tokens, were left in
    // /tmp by one session's runs. Here they land in the run's work folder, which the run removes.
    const tmp = `${projectDir}.tmp`;
    mkdirSync(tmp, { recursive: true });
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !DROPPED.test(name)),
    );
    this.env = {
      ...inherited,
      PATH: `${e2e.toolPath}:${process.env.PATH ?? ""}`,
      KUBECONFIG: kubeconfig,
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE: passphrase,
      TMPDIR: tmp,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      // The language host built here (sdk/v3 v3.68.0) ignores Pulumi.yaml's runtime.options and
      // always has the SDK register ts-node; it starts this file instead of the SDK's cmd/run, which
      // applies `typescript: false` as the CLI's own host does, then runs cmd/run. Without it a
      // preview took about 3 times as long, and the start-up tested was not our users' (docs/e2e.md,
      // "The Node.js language host"; e2e/languageHost.e2e.test.ts).
      PULUMI_LANGUAGE_NODEJS_RUN_PATH: join(__dirname, "hostRuntimeOptions.js"),
      // Plain output: the tests read it, and reviewers read the same text in CI logs.
      NO_COLOR: "1",
    };
  }

  /** PULUMI_HOME: the CLI's own files (workspace settings, logs). */
  get homeDir(): string {
    return this.env.PULUMI_HOME ?? "";
  }

  /** The folder holding the backend's files (state, history, backups). */
  get backendDir(): string {
    return (this.env.PULUMI_BACKEND_URL ?? "").replace(/^file:\/\//, "");
  }

  /** Runs `pulumi ARGS` in the project; resolves with its result whatever the exit status. */
  run(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn("pulumi", [...args, "--color", "never"], {
        cwd: this.projectDir,
        env: this.env,
        stdio: ["pipe", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (status) => {
        // Only what the CLI printed: the arguments of `config set --secret` hold the values.
        if (!options.revealsSecrets) {
          this.transcript.push(`${stdout}${stderr}`);
        }
        resolve({ status, stdout, stderr, seconds: (Date.now() - started) / 1000 });
      });
      child.stdin.end(options.input ?? "");
    });
  }

  /**
   * Starts `pulumi ARGS` and returns at once, for a test that watches the cluster while the CLI
   * runs (a rollout). Its output joins the transcript when it exits; `stopStarted` kills any left.
   */
  start(args: readonly string[]): StartedCommand {
    let output = "";
    let done = false;
    const child = spawn("pulumi", [...args, "--color", "never"], {
      cwd: this.projectDir,
      env: this.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    this.started.add(child);
    const exited = new Promise<number | null>((resolve) =>
      child.on("close", (code) => {
        done = true;
        this.started.delete(child);
        this.transcript.push(output);
        resolve(code);
      }),
    );
    return { exited, running: () => !done, output: () => output };
  }

  /** Kills every command `start` started that is still running (a failed test's). */
  stopStarted(): void {
    for (const child of this.started) {
      child.kill("SIGKILL");
    }
  }

  /**
   * `pulumi config set --plaintext --path PATH VALUE` with `args` (the stack): `--plaintext` because
   * the CLI refuses some plain values under a name that says "secret" (docs/configuration.md).
   */
  setPlain(path: string, value: string, args: readonly string[]): Promise<CliResult> {
    return this.ok(["config", "set", "--plaintext", "--path", path, value, ...args]);
  }

  /** `pulumi config set --type int KEY VALUE` with `args` (the stack). */
  setInt(key: string, value: number, args: readonly string[]): Promise<CliResult> {
    return this.ok(["config", "set", "--type", "int", key, String(value), ...args]);
  }

  /** `pulumi stack init` with the passphrase secrets provider, as README's quick start does. */
  initStack(stack: string): Promise<CliResult> {
    return this.ok([
      "stack",
      "init",
      stack,
      "--secrets-provider",
      "passphrase",
      "--non-interactive",
    ]);
  }

  /** Runs `pulumi ARGS` and fails with its output unless it exits 0. */
  async ok(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
    const result = await this.run(args, options);
    if (result.status !== 0) {
      throw new Error(
        `pulumi ${args.join(" ")} exited ${result.status}:\n${result.stdout}\n${result.stderr}`,
      );
    }
    return result;
  }
}

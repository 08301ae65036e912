// The container registry of the end-to-end run (e2e/tools/app-registry, task-api-registry): the
// test app's releases as ghcr.io/acme/task-api:<tag> and our pause image as
// registry.k8s.io/pause:3.10, behind HTTP basic auth for the accounts of a file, on loopback. This
// module starts it, changes its accounts while it runs (it reads the file again at the next
// request: task-api-registry/accounts.go), reads its log (one JSON line per request) and stops it.
// containerd reaches it through the hosts.toml files `writeHostsDir` writes (docs/e2e.md, "The
// app's images"). A test process that did not start it reads and changes it the same way, from
// the files (`openRegistry`).

import { ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

/** A username and one of its passwords (a registry token), as a pull secret carries them. */
export interface RegistryAccount {
  readonly username: string;
  readonly password: string;
}

/** A line of the accounts file: the password only as its SHA-256 (task-api-registry/accounts.go). */
interface AccountLine {
  readonly username: string;
  readonly passwordSha256: string;
}

const accountLine = (account: RegistryAccount): AccountLine => ({
  username: account.username,
  passwordSha256: createHash("sha256").update(account.password, "utf8").digest("hex"),
});

/**
 * The registry's accounts, as its file holds them. A username may hold several passwords: as on
 * GHCR, a new token works as soon as it is added and an old one until it is revoked. Each change
 * writes a new file and renames it over the old, so the registry never reads half a file; the
 * registry takes it at its next request. Not for two writers at once (a run has one: the test
 * process, or the runner before any test starts).
 */
export class RegistryAccounts {
  constructor(readonly file: string) {}

  private read(): AccountLine[] {
    return existsSync(this.file)
      ? (JSON.parse(readFileSync(this.file, "utf8")) as AccountLine[])
      : [];
  }

  private write(lines: readonly AccountLine[]): void {
    const next = `${this.file}.next`;
    // Only this user may read it, as with a token file; it holds no password, only digests.
    writeFileSync(next, `${JSON.stringify(lines, null, 2)}\n`, { mode: 0o600 });
    renameSync(next, this.file);
  }

  /** Writes the file with these accounts alone (at start: an empty list lets no one in). */
  reset(accounts: readonly RegistryAccount[] = []): void {
    this.write(accounts.map(accountLine));
  }

  /** Adds the account, unless the file has it already. */
  add(account: RegistryAccount): void {
    const line = accountLine(account);
    const lines = this.read();
    if (
      !lines.some((l) => l.username === line.username && l.passwordSha256 === line.passwordSha256)
    ) {
      this.write([...lines, line]);
    }
  }

  /** Removes the account (this username with this password); the username's others stay. */
  revoke(account: RegistryAccount): void {
    const { username, passwordSha256 } = accountLine(account);
    this.write(
      this.read().filter((l) => l.username !== username || l.passwordSha256 !== passwordSha256),
    );
  }

  has(account: RegistryAccount): boolean {
    const { username, passwordSha256 } = accountLine(account);
    return this.read().some((l) => l.username === username && l.passwordSha256 === passwordSha256);
  }

  /** The usernames of the accounts, one per password, in the file's order. */
  usernames(): string[] {
    return this.read().map((l) => l.username);
  }
}

/** An image the registry serves, as clients name it, and its manifest digest. */
export interface RegistryImage {
  readonly ref: string;
  readonly digest: string;
}

/** One request, as the registry logs it (task-api-registry/server.go, Request). */
export interface RegistryRequest {
  readonly time: string;
  readonly method: string;
  readonly path: string;
  /** The registry host the client pulled for: containerd adds `?ns=ghcr.io` to a mirror's URLs. */
  readonly ns?: string;
  readonly repository?: string;
  readonly kind: "manifest" | "blob" | "upload" | "tags" | "catalog" | "ping" | "other";
  /** A manifest's tag or digest, a blob's digest. */
  readonly reference?: string;
  /** What the client sent, right or wrong ("" for none); the password is never logged. */
  readonly username: string;
  readonly auth: "ok" | "missing" | "wrong" | "public";
  readonly status: number;
  readonly bytes: number;
}

/** A request for a manifest: how a pull starts (by tag) and goes on (by digest). */
export interface RegistryPull {
  readonly username: string;
  /** e.g. `ghcr.io/acme/task-api:1.5.0`, or `...@sha256:...` for a manifest fetched by digest. */
  readonly ref: string;
  readonly status: number;
  readonly method: string;
  readonly auth: RegistryRequest["auth"];
}

/** Where a running registry is, as a process that did not start it finds it (E2eEnvironment). */
export interface RegistryFiles {
  /** `127.0.0.1:PORT`. */
  readonly address: string;
  readonly logFile: string;
  readonly accountsFile: string;
}

/** A running registry, as any process of the run sees it: its accounts and its log. */
export interface RegistryView extends RegistryFiles {
  readonly accounts: RegistryAccounts;
  /** Every request so far, in order, read from the log file at each call. */
  requests(): RegistryRequest[];
  /** The manifest requests so far, in order, 401s included (each pull starts with one). */
  pulls(): RegistryPull[];
}

export interface ImageRegistry extends RegistryView {
  readonly images: readonly RegistryImage[];
  /** Writes `<dir>/<host>/hosts.toml` for each registry host of the images; returns the files. */
  writeHostsDir(dir: string): string[];
  /** The hosts.toml of each registry host of the images, for NodeOptions.registryHosts. */
  hostsTomls(): Record<string, string>;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** The task-api-registry binary (toolPath().binaries["task-api-registry"]). */
  readonly binary: string;
  /** The accounts it starts with; `accounts.add` adds more while it runs. @default none */
  readonly accounts?: readonly RegistryAccount[];
  /** The accounts file, written here (mode 0600, digests only) and read by the registry. */
  readonly accountsFile: string;
  /** The registry's log, appended to: the listening line, every request, anything on stderr. */
  readonly logFile: string;
  /** Further releases of the app: `TAG` or `TAG=ready|never-ready|crash`. */
  readonly releases?: readonly string[];
}

/**
 * containerd's hosts.toml sending `host`'s pulls to the registry at `address`, over plain HTTP
 * (containerd docs/hosts.md: `[host."http://..."]`, "capabilities"). Checked with Debian's
 * containerd 1.6.20: a file without any `[host]` table is refused ("failed to decode hosts.toml:
 * invalid `host` tree", remotes/docker/config/hosts.go, getSortedHosts) and the pull goes to the
 * real host; `server` is ours too, so that no pull falls back to the real host either.
 */
export function hostsToml(address: string): string {
  return [
    `server = "http://${address}"`,
    "",
    `[host."http://${address}"]`,
    '  capabilities = ["pull", "resolve"]',
    "",
  ].join("\n");
}

/** The manifest requests of a log, named as the client named them. */
export function pullsOf(requests: readonly RegistryRequest[], address: string): RegistryPull[] {
  return requests
    .filter((r) => r.kind === "manifest")
    .map((r) => ({
      username: r.username,
      ref: `${r.ns || address}/${r.repository ?? ""}${r.reference?.includes(":") ? "@" : ":"}${r.reference ?? ""}`,
      status: r.status,
      method: r.method,
      auth: r.auth,
    }));
}

/** Every process started here, so that an exiting runner kills what is left. */
const started = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of started) {
    child.kill("SIGKILL");
  }
});

/** The `event: "request"` lines of a log. */
export function requestsOf(log: string): RegistryRequest[] {
  const requests: RegistryRequest[] = [];
  for (const line of log.split("\n")) {
    // A line being written is not whole yet; the next read has it.
    if (line.startsWith("{") && line.endsWith("}")) {
      const entry = JSON.parse(line) as { event?: string };
      if (entry.event === "request") {
        requests.push(entry as unknown as RegistryRequest);
      }
    }
  }
  return requests;
}

/**
 * A registry started elsewhere (the runner's, for a test file), from its files: its log from
 * `logFrom` bytes on (0: all of it).
 */
export function openRegistry(files: RegistryFiles, logFrom = 0): RegistryView {
  const requests = () => requestsOf(readFileSync(files.logFile).subarray(logFrom).toString("utf8"));
  return {
    ...files,
    accounts: new RegistryAccounts(files.accountsFile),
    requests,
    pulls: () => pullsOf(requests(), files.address),
  };
}

/** Starts the registry and resolves once it listens, with its images loaded. */
export async function startRegistry(options: RegistryOptions): Promise<ImageRegistry> {
  // The registry appends every line to the log itself, each as the request ends: reading the file
  // sees it at once, however busy this process's event loop was meanwhile. A log that exists
  // already (a restart) is read from where this registry starts.
  const logFrom = existsSync(options.logFile) ? statSync(options.logFile).size : 0;
  new RegistryAccounts(options.accountsFile).reset(options.accounts);
  const args = [`-accounts=${options.accountsFile}`, `-log=${options.logFile}`];
  for (const release of options.releases ?? []) {
    args.push(`-release=${release}`);
  }
  const child = spawn(options.binary, args, {
    stdio: ["ignore", "pipe", "pipe"],
    // The whole environment: it carries the run's marker (e2e/harness/runProcesses.ts).
    env: process.env,
    // Its own process group: a terminal's Ctrl-C reaches the runner, which stops it in turn.
    detached: true,
  });
  started.add(child);
  child.once("exit", () => started.delete(child));
  // After "exit", once its output is all read.
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));

  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
    appendFileSync(options.logFile, chunk);
  });
  // Its one line on stdout: {"event":"listening","address":...,"images":[...]}.
  const listening = new Promise<{ address: string; images: RegistryImage[] }>((resolve, reject) => {
    let stdout = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n")) {
        try {
          resolve(JSON.parse(line) as { address: string; images: RegistryImage[] });
        } catch {
          reject(new Error(`task-api-registry printed ${line}, not its listening line`));
        }
      }
    });
    child.once("error", reject);
    child.once("close", (code, signal) =>
      reject(
        new Error(`task-api-registry exited (${code ?? signal}) before listening:\n${stderr}`),
      ),
    );
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await closed;
    clearTimeout(timer);
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`task-api-registry: not listening after 30 s:\n${stderr}`)),
      30_000,
    );
  });
  let ready: { address: string; images: RegistryImage[] };
  try {
    ready = await Promise.race([listening, timeout]);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }

  const { address, images } = ready;
  const hosts = [...new Set(images.map((image) => image.ref.split("/")[0]))];
  return {
    ...openRegistry(
      { address, logFile: options.logFile, accountsFile: options.accountsFile },
      logFrom,
    ),
    images,
    writeHostsDir: (dir) =>
      hosts.map((host) => {
        mkdirSync(join(dir, host), { recursive: true });
        const file = join(dir, host, "hosts.toml");
        writeFileSync(file, hostsToml(address));
        return file;
      }),
    hostsTomls: () => Object.fromEntries(hosts.map((host) => [host, hostsToml(address)])),
    stop,
  };
}

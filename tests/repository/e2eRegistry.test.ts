// The e2e run's registry module (e2e/harness/registry.ts), without the registry itself: a stand-in
// script prints what task-api-registry prints (task-api-registry/server.go and main.go), so that
// starting, reading the log and stopping are checked here without the built tools. The registry
// is tested with `go test` in its wrapper module (e2e/tools/app-registry).

import { createHash } from "node:crypto";
import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  RegistryAccounts,
  RegistryRequest,
  hostsToml,
  openRegistry,
  pullsOf,
  requestsOf,
  startRegistry,
} from "../../e2e/harness/registry";

const request = (fields: Partial<RegistryRequest>): RegistryRequest => ({
  time: "2026-12-07T08:00:00Z",
  method: "HEAD",
  path: "/v2/acme/task-api/manifests/1.5.0",
  kind: "manifest",
  username: "",
  auth: "missing",
  status: 401,
  bytes: 0,
  ...fields,
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "e2e-registry-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("hosts.toml sends a host's pulls to the registry over HTTP, with a [host] table", () => {
  expect(hostsToml("127.0.0.1:5055")).toBe(
    'server = "http://127.0.0.1:5055"\n\n[host."http://127.0.0.1:5055"]\n  capabilities = ["pull", "resolve"]\n',
  );
});

test("pulls are the manifest requests, named by the host containerd pulled for", () => {
  const pulls = pullsOf(
    [
      request({ ns: "ghcr.io", repository: "acme/task-api", reference: "1.5.0" }),
      request({
        ns: "ghcr.io",
        repository: "acme/task-api",
        reference: "1.5.0",
        username: "e2e-user",
        auth: "ok",
        status: 200,
      }),
      request({ kind: "blob", repository: "acme/task-api", reference: "sha256:1", status: 200 }),
      request({
        method: "GET",
        repository: "pause",
        reference: "sha256:abc",
        auth: "public",
        status: 200,
      }),
    ],
    "127.0.0.1:5055",
  );
  expect(pulls).toEqual([
    {
      username: "",
      ref: "ghcr.io/acme/task-api:1.5.0",
      status: 401,
      method: "HEAD",
      auth: "missing",
    },
    {
      username: "e2e-user",
      ref: "ghcr.io/acme/task-api:1.5.0",
      status: 200,
      method: "HEAD",
      auth: "ok",
    },
    {
      username: "",
      ref: "127.0.0.1:5055/pause@sha256:abc",
      status: 200,
      method: "GET",
      auth: "public",
    },
  ]);
});

test("startRegistry writes the accounts file, waits for the listening line, reads the log it appends to, stops", async () => {
  const script = join(dir, "task-api-registry");
  const logFile = join(dir, "registry.log");
  const quoted = (value: object) => `'${JSON.stringify(value)}'`;
  const pull = {
    event: "request",
    ...request({
      ns: "ghcr.io",
      repository: "acme/task-api",
      reference: "1.5.0",
      username: "e2e-user",
      auth: "ok",
      status: 200,
    }),
  };
  // A request of an earlier registry with the same log: not one of this registry's.
  writeFileSync(logFile, `${JSON.stringify(pull)}\n`);
  const listening = quoted({
    event: "listening",
    address: "127.0.0.1:5055",
    images: [
      { ref: "ghcr.io/acme/task-api:1.5.0", digest: "sha256:a" },
      { ref: "registry.k8s.io/pause:3.10", digest: "sha256:b" },
    ],
  });
  writeFileSync(
    script,
    [
      "#!/bin/sh",
      // What it was given: no password, in an argument or anywhere else.
      `echo "args: $*; accounts: $(cat "${join(dir, "accounts.json")}")" > "${join(dir, "seen")}"`,
      'for arg in "$@"; do case "$arg" in -log=*) log="${arg#-log=}";; esac; done',
      "sleep 0.2",
      `echo ${listening} >> "$log"`,
      `echo ${listening}`,
      "sleep 0.2",
      `echo ${quoted(pull)} >> "$log"`,
      "exec sleep 60",
    ].join("\n"),
  );
  chmodSync(script, 0o755);
  const accountsFile = join(dir, "accounts.json");
  const registry = await startRegistry({
    binary: script,
    accounts: [{ username: "e2e-user", password: "pw-7d1e" }],
    accountsFile,
    logFile,
    releases: ["2.0.0=never-ready"],
  });
  try {
    expect(registry.address).toBe("127.0.0.1:5055");
    expect(registry.images.map((i) => i.ref)).toEqual([
      "ghcr.io/acme/task-api:1.5.0",
      "registry.k8s.io/pause:3.10",
    ]);
    expect(registry.pulls()).toEqual([]);
    for (let tries = 0; registry.requests().length === 0 && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(registry.pulls()).toEqual([
      {
        username: "e2e-user",
        ref: "ghcr.io/acme/task-api:1.5.0",
        status: 200,
        method: "HEAD",
        auth: "ok",
      },
    ]);
    const seen = readFileSync(join(dir, "seen"), "utf8");
    expect(seen).toMatch(
      `args: -accounts=${accountsFile} -log=${logFile} -release=2.0.0=never-ready; accounts: [`,
    );
    expect(seen).not.toContain("pw-7d1e");
    expect(registry.accounts.usernames()).toEqual(["e2e-user"]);
    // A test process that did not start it sees the same log and accounts, from the files.
    const view = openRegistry({ address: registry.address, logFile, accountsFile });
    expect(view.pulls()).toHaveLength(2);
    expect(view.accounts.has({ username: "e2e-user", password: "pw-7d1e" })).toBe(true);
    const files = registry.writeHostsDir(join(dir, "certs.d"));
    expect(files).toEqual([
      join(dir, "certs.d", "ghcr.io", "hosts.toml"),
      join(dir, "certs.d", "registry.k8s.io", "hosts.toml"),
    ]);
    expect(readFileSync(files[0], "utf8")).toBe(hostsToml("127.0.0.1:5055"));
  } finally {
    await registry.stop();
  }
});

test("accounts are added and revoked while the registry runs, each change a whole new file of digests, mode 0600", () => {
  const file = join(dir, "accounts.json");
  const accounts = new RegistryAccounts(file);
  const first = { username: "e2e-deploy", password: "ghp_first" };
  const rotated = { username: "e2e-deploy", password: "ghp_rotated" };
  accounts.reset([first]);
  accounts.add(rotated);
  accounts.add(rotated);
  accounts.add({ username: "hand-user", password: "ghp_hand" });
  expect(accounts.usernames()).toEqual(["e2e-deploy", "e2e-deploy", "hand-user"]);
  expect(accounts.has(first) && accounts.has(rotated)).toBe(true);
  accounts.revoke(first);
  expect(accounts.has(first)).toBe(false);
  expect(accounts.has(rotated)).toBe(true);
  const text = readFileSync(file, "utf8");
  expect(text).not.toMatch(/ghp_/);
  // What task-api-registry/accounts.go reads: the SHA-256 of each password, in hex.
  expect(JSON.parse(text)).toEqual([
    {
      username: "e2e-deploy",
      passwordSha256: createHash("sha256").update("ghp_rotated").digest("hex"),
    },
    {
      username: "hand-user",
      passwordSha256: createHash("sha256").update("ghp_hand").digest("hex"),
    },
  ]);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  // Written aside and renamed over: nothing else is left in the folder.
  expect(readdirSync(dir)).toEqual(["accounts.json"]);
});

test("a log line being written is left for the next read", () => {
  const whole = JSON.stringify({ event: "request", ...request({ repository: "pause" }) });
  expect(requestsOf(`${whole}\n${whole.slice(0, 40)}`)).toHaveLength(1);
});

test("a registry that exits before listening fails with what it printed", async () => {
  const script = join(dir, "task-api-registry");
  writeFileSync(script, '#!/bin/sh\necho "task-api-registry: -accounts is required" >&2\nexit 1\n');
  chmodSync(script, 0o755);
  await expect(
    startRegistry({
      binary: script,
      accountsFile: join(dir, "accounts.json"),
      logFile: join(dir, "registry.log"),
    }),
  ).rejects.toThrow(/exited \(1\) before listening:\ntask-api-registry: -accounts is required/);
});

test("the registry serves every app image the e2e files name", () => {
  const e2eDir = join(__dirname, "..", "..", "e2e");
  const named = new Set<string>();
  for (const file of readdirSync(e2eDir).filter((f) => f.endsWith(".ts"))) {
    for (const [ref] of readFileSync(join(e2eDir, file), "utf8").matchAll(
      /ghcr\.io\/acme\/task-api:[0-9A-Za-z.-]+/g,
    )) {
      named.add(ref);
    }
  }
  const wrapper = join(e2eDir, "tools", "app-registry", "task-api-registry");
  // The default of -app (main.go) and the tags of DefaultReleases (images.go).
  const app = /flag\.String\("app", "([^"]+)"/.exec(readFileSync(join(wrapper, "main.go"), "utf8"));
  const releases = /var DefaultReleases = \[\]Release\{([\s\S]*?)\n\}/.exec(
    readFileSync(join(wrapper, "images.go"), "utf8"),
  );
  const served = [...(releases?.[1] ?? "").matchAll(/\{"([^"]+)", "[a-z-]+"\}/g)].map(
    ([, tag]) => `${app?.[1]}:${tag}`,
  );
  expect(named.size).toBeGreaterThan(0);
  expect(served).toEqual(expect.arrayContaining([...named]));
});

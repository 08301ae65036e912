// The Debian packages the end-to-end run's node needs (e2e/harness/node.ts): the container runtime, the
// network plugins and openssl (the cluster's certificates, e2e/harness/pki.ts) come from the machine's
// distribution, not from the Go module proxy. `npm run e2e:tools` installs the missing ones with
// apt (as root) and says which; with them all present it does not run apt at all.

import { spawnSync } from "node:child_process";

export interface DebianPackage {
  readonly name: string;
  /** What the node uses it for. */
  readonly why: string;
}

export const NODE_PACKAGES: readonly DebianPackage[] = [
  {
    name: "containerd",
    why: "the container runtime the kubelet drives over CRI (1.6 on Debian 12)",
  },
  { name: "runc", why: "the OCI runtime containerd starts containers with" },
  {
    name: "containernetworking-plugins",
    why: "the bridge, host-local and loopback CNI plugins that give each pod its address",
  },
  { name: "iproute2", why: "`ip`, which makes and removes the node's bridge" },
  {
    name: "openssl",
    why: "`openssl`, which makes the run's certificate authority and the kubelet's certificates",
  },
];

/** The command `npm run e2e:tools` runs for `names`, as it prints it. */
export function installCommand(names: readonly string[]): string[] {
  return ["apt-get", "install", "-y", "--no-install-recommends", ...names];
}

/**
 * The node's packages that are not installed, or all of them with `unknown` set when the machine
 * has no dpkg to ask (not Debian or a derivative).
 */
export function missingNodePackages(): { missing: string[]; unknown: boolean } {
  const names = NODE_PACKAGES.map((p) => p.name);
  const result = spawnSync(
    "dpkg-query",
    ["-W", "-f", "${Package} ${db:Status-Status}\\n", ...names],
    {
      encoding: "utf8",
    },
  );
  if (result.error) {
    return { missing: names, unknown: true };
  }
  // dpkg-query exits 1 and says nothing on stdout for a package it has never heard of.
  const installed = new Set(
    result.stdout
      .split("\n")
      .map((line) => line.split(" "))
      .filter(([, status]) => status === "installed")
      .map(([name]) => name),
  );
  return { missing: names.filter((name) => !installed.has(name)), unknown: false };
}

export class PackageInstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PackageInstallError";
  }
}

function runApt(args: readonly string[]): string {
  const result = spawnSync(args[0], args.slice(1), {
    encoding: "utf8",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error || result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-15);
    throw new PackageInstallError(
      `\`${args.join(" ")}\` failed (${result.error?.message ?? `exit ${result.status}`}):\n${output.join("\n")}`,
    );
  }
  return result.stdout;
}

/**
 * Installs the node's missing packages with apt-get (update, then install without recommends:
 * containerd recommends criu and iptables recommends nftables, neither of which the node uses).
 * Reports what it does; throws, naming the command to run, when it cannot (not root, no apt).
 */
export function installNodePackages(report: (line: string) => void): void {
  const { missing, unknown } = missingNodePackages();
  if (missing.length === 0) {
    report(`debian packages: ${NODE_PACKAGES.map((p) => p.name).join(", ")} already installed`);
    return;
  }
  const command = installCommand(missing);
  if (unknown) {
    throw new PackageInstallError(
      `the node needs ${missing.join(", ")} (Debian package names), and this machine has no dpkg:` +
        " install their equivalents by hand",
    );
  }
  if (process.getuid?.() !== 0) {
    throw new PackageInstallError(
      `the node needs ${missing.join(", ")}; as root, run: apt-get update && ${command.join(" ")}`,
    );
  }
  for (const name of missing) {
    report(
      `debian packages: installing ${name}: ${NODE_PACKAGES.find((p) => p.name === name)?.why}`,
    );
  }
  const started = Date.now();
  report("debian packages: apt-get update");
  runApt(["apt-get", "update"]);
  // What apt will install besides: containernetworking-plugins depends on iptables, which the
  // node does not use (the kubelet is told not to make its chains).
  const planned = [...runApt([...command, "--simulate"]).matchAll(/^Inst (\S+)/gm)].map(
    (m) => m[1],
  );
  const dependencies = planned.filter((name) => !missing.includes(name));
  report(
    `debian packages: ${command.join(" ")}` +
      (dependencies.length > 0 ? ` (with their dependencies ${dependencies.join(", ")})` : ""),
  );
  runApt(command);
  const still = missingNodePackages().missing;
  if (still.length > 0) {
    throw new PackageInstallError(
      `apt-get reported success, yet ${still.join(", ")} is not installed`,
    );
  }
  report(
    `debian packages: installed ${missing.join(", ")} in ${Math.round((Date.now() - started) / 1000)} s`,
  );
}

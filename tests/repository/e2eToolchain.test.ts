// The end-to-end tools are pinned in the repository: each wrapper module builds what e2e/toolchain.ts
// says, with versions that agree with the rest of the repository.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { explainGoFailure } from "../../e2e/buildTools";
import { GO_TOOLS, NODE_VERSION, WRAPPERS_DIR, goToolVersion } from "../../e2e/toolchain";
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
  "%s has a wrapper module with a go.sum and a pinned version",
  (_, goTool) => {
    const dir = join(WRAPPERS_DIR, goTool.wrapper);
    expect(existsSync(join(dir, "go.mod"))).toBe(true);
    expect(existsSync(join(dir, "go.sum"))).toBe(true);
    expect(goToolVersion(goTool)).toMatch(/^v?\d+\.\d+\.\d+/);
  },
);

test("the tools cover the CLI, its Node.js host, both providers and the control plane", () => {
  expect(GO_TOOLS.flatMap((t) => t.binaries).sort()).toEqual([
    "etcd",
    "kube-apiserver",
    "kube-controller-manager",
    "kubectl",
    "pulumi",
    "pulumi-language-nodejs",
    "pulumi-resource-kubernetes",
    "pulumi-resource-random",
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

test("the random plugin reports the @pulumi/random release whose contract it implements", () => {
  const random = tool("pulumi-resource-random");
  const lockVersion = packageLock().packages["node_modules/@pulumi/random"]?.version ?? "";
  expect(lockVersion).toMatch(/^\d+\.\d+\.\d+$/);
  // The linker sets the variable its GetPluginInfo answers with.
  expect(random.linkerValues?.(goToolVersion(random))).toEqual({ "main.version": lockVersion });
  const main = readFileSync(join(WRAPPERS_DIR, random.wrapper, "main.go"), "utf8");
  expect(main).toMatch(/^var version = "[^"]*"$/m);
  expect(main).toContain("return &pulumirpc.PluginInfo{Version: version}, nil");
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

test("any other build failure shows go's last lines and the wrapper", () => {
  const message = explainGoFailure(
    tool("etcd"),
    "# task-api-e2e/etcd\n./main.go:3:2: undefined: x\n",
  );
  expect(message).toMatch(/etcd: go build failed \(e2e\/tools\/etcd\/go.mod\)/);
  expect(message).toContain("undefined: x");
});

// The tools reviewers compare `npm run render` with: `kubectl kustomize` of a kustomization and
// `helm template` of a chart that hold the very objects a render writes, as plain files (neither
// tool runs anything of ours; this is what the same objects cost with no program behind them).
// Timed when the binaries are there, else named as missing: kubectl from
// https://kubernetes.io/docs/tasks/tools/ (or built by `npm run e2e:tools`, e2e/harness/toolchain.ts),
// helm from https://helm.sh/docs/intro/install/.

import { execFileSync } from "node:child_process";
import {
  accessSync,
  constants,
  copyFileSync,
  mkdirSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { delimiter, join } from "node:path";
import { toolPath } from "../e2e/harness/toolchain";
import { SUMMARY_FILE } from "../review/render/render";
import { Command } from "./processes";

export interface Peer {
  readonly command: Command;
  /** The binary and its version, as the tool prints it. */
  readonly version: string;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

function firstLine(file: string, args: readonly string[]): string {
  return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split(
    "\n",
  )[0];
}

/**
 * The peers found, each set up in `scratch` with the manifests of `renderedDir` (summary.txt left
 * out: it is no object); and the names of those missing.
 */
export function peers(renderedDir: string, scratch: string): { found: Peer[]; missing: string[] } {
  const manifests = readdirSync(renderedDir).filter((file) => file !== SUMMARY_FILE);
  const found: Peer[] = [];
  const missing: string[] = [];

  // The e2e build's kubectl first: a plain upstream build, where one on PATH may be a wrapper.
  const kubectl = toolPath().binaries.kubectl ?? onPath("kubectl");
  if (kubectl === undefined) {
    missing.push("kubectl (https://kubernetes.io/docs/tasks/tools/, or npm run e2e:tools)");
  } else {
    const dir = join(scratch, "kustomize");
    mkdirSync(dir, { recursive: true });
    manifests.forEach((file) => copyFileSync(join(renderedDir, file), join(dir, file)));
    writeFileSync(
      join(dir, "kustomization.yaml"),
      `resources:\n${manifests.map((file) => `  - ${file}\n`).join("")}`,
    );
    found.push({
      command: { label: "kubectl kustomize", file: kubectl, args: ["kustomize", dir], cwd: dir },
      version: `${kubectl}: ${firstLine(kubectl, ["version", "--client"])}`,
    });
  }

  const helm = onPath("helm");
  if (helm === undefined) {
    missing.push("helm (https://helm.sh/docs/intro/install/)");
  } else {
    const dir = join(scratch, "chart");
    mkdirSync(join(dir, "templates"), { recursive: true });
    writeFileSync(join(dir, "Chart.yaml"), "apiVersion: v2\nname: task-api\nversion: 0.1.0\n");
    manifests.forEach((file) =>
      copyFileSync(join(renderedDir, file), join(dir, "templates", file)),
    );
    found.push({
      command: {
        label: "helm template",
        file: helm,
        args: ["template", "task-api", dir],
        cwd: dir,
      },
      version: `${helm}: ${firstLine(helm, ["version", "--short"])}`,
    });
  }
  return { found, missing };
}

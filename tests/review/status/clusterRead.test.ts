// review/status/clusterRead.ts: where a stack's app is, and the errors that replace a report when
// it cannot be told. kubectl here is a script of this test's (its answers as the real one words
// them: `Error from server (NotFound): ...`), put first on PATH.

import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_DIR } from "../../../review/engine/programFacts";
import {
  StatusUnavailable,
  readClusterView,
  statusTarget,
} from "../../../review/status/clusterRead";

let dir: string;
const savedPath = process.env.PATH;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "status-test-"));
  copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
});

afterEach(() => {
  process.env.PATH = savedPath;
  rmSync(dir, { recursive: true, force: true });
});

function stackFile(config: string): void {
  writeFileSync(join(dir, "Pulumi.test.yaml"), `config:\n${config}`);
}

/** A kubectl that prints `stderr` and exits `status`, and records its arguments. */
function fakeKubectl(stderr: string, status: number): string {
  const bin = join(dir, "bin");
  const log = join(dir, "kubectl.args");
  rmSync(bin, { recursive: true, force: true });
  mkdirSync(bin);
  writeFileSync(
    join(bin, "kubectl"),
    `#!/bin/sh\necho "$@" >> '${log}'\necho '${stderr}' >&2\nexit ${status}\n`,
  );
  chmodSync(join(bin, "kubectl"), 0o755);
  process.env.PATH = `${bin}:${savedPath ?? ""}`;
  return log;
}

test("the target is the stack's namespace, app name and cluster context", () => {
  stackFile("  task-api:namespace: task-api-test\n  task-api:cluster:\n    context: kind-test\n");
  expect(statusTarget(dir, "test")).toEqual({
    stack: "test",
    namespace: "task-api-test",
    deployment: "task-api",
    cluster: { context: "kind-test" },
  });
});

test("no namespace: the stack has never been deployed", () => {
  stackFile("  task-api:image: ghcr.io/acme/task-api:1.5.0\n");
  expect(() => statusTarget(dir, "test")).toThrow(
    "task-api:namespace is not set in Pulumi.test.yaml: the stack has never been deployed",
  );
});

test("an encrypted namespace is refused as the program refuses it, never decrypted", () => {
  stackFile("  task-api:namespace:\n    secure: v1:abc\n");
  expect(() => statusTarget(dir, "test")).toThrow(StatusUnavailable);
});

test("no Deployment in the namespace: never deployed, with the command that deploys it", () => {
  stackFile("  task-api:namespace: task-api-test\n  task-api:cluster:\n    context: kind-test\n");
  const log = fakeKubectl('Error from server (NotFound): deployments.apps "task-api" not found', 1);
  expect(() => readClusterView(statusTarget(dir, "test"))).toThrow(
    'no Deployment task-api in namespace task-api-test on context kind-test: stack "test" has never been deployed there, or was destroyed (pulumi up -s test deploys it)',
  );
  expect(readFileSync(log, "utf8")).toBe(
    "--context kind-test get deployment task-api -o json -n task-api-test\n",
  );
});

test("an unreachable cluster is said in kubectl's words, without a trace", () => {
  stackFile("  task-api:namespace: task-api-test\n");
  fakeKubectl(
    "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?",
    1,
  );
  expect(() => readClusterView(statusTarget(dir, "test"))).toThrow(
    'cannot read the cluster of stack "test" (the current kubeconfig context): The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?',
  );
});

test("no kubectl: says so, with where to get it", () => {
  stackFile("  task-api:namespace: task-api-test\n");
  process.env.PATH = join(dir, "nothing-here");
  expect(() => readClusterView(statusTarget(dir, "test"))).toThrow(
    /^kubectl is not installed or not on PATH/,
  );
});

// The e2e cluster whose pods run (e2e/harness/podCluster.ts), with stand-ins for its three parts: what it
// hands the node, the order it stops them in, and what it stops when a part fails to start. The
// parts themselves run in `npm run e2e` (e2e/node.e2e.test.ts and every file that deploys).

import { startControlPlane } from "../../e2e/harness/controlPlane";
import { startNode } from "../../e2e/harness/node";
import { POD_CLUSTER_BINARIES, SANDBOX_IMAGE, startPodCluster } from "../../e2e/harness/podCluster";
import { startRegistry } from "../../e2e/harness/registry";

jest.mock("../../e2e/harness/controlPlane", () => ({ startControlPlane: jest.fn() }));
jest.mock("../../e2e/harness/registry", () => ({ startRegistry: jest.fn() }));
jest.mock("../../e2e/harness/node", () => ({ startNode: jest.fn() }));

const binaries = Object.fromEntries(POD_CLUSTER_BINARIES.map((name) => [name, `/bin/${name}`]));
let events: string[];

function part(name: string) {
  return {
    stop: jest.fn(() => {
      events.push(`stop ${name}`);
      return Promise.resolve();
    }),
  };
}

beforeEach(() => {
  jest.clearAllMocks();
  events = [];
  jest.mocked(startControlPlane).mockImplementation(() => {
    events.push("start control plane");
    return Promise.resolve(part("control plane") as never);
  });
  jest.mocked(startRegistry).mockImplementation(() => {
    events.push("start registry");
    return Promise.resolve({
      ...part("registry"),
      hostsTomls: () => ({ "ghcr.io": "server = ..." }),
    } as never);
  });
  jest.mocked(startNode).mockImplementation(() => {
    events.push("start node");
    return Promise.resolve(part("node") as never);
  });
});

test("starts the control plane with the scheduler and the registry, then the node with the registry's hosts; stops node, registry, control plane, once", async () => {
  const cluster = await startPodCluster("/tmp/e2e-cluster", binaries, {
    accounts: [{ username: "u", password: "p" }],
  });
  expect(jest.mocked(startControlPlane).mock.calls[0]).toEqual([
    "/tmp/e2e-cluster",
    expect.objectContaining({ kubeScheduler: "/bin/kube-scheduler" }),
  ]);
  expect(jest.mocked(startRegistry).mock.calls[0][0]).toEqual({
    binary: "/bin/task-api-registry",
    accounts: [{ username: "u", password: "p" }],
    accountsFile: "/tmp/e2e-cluster/registry-accounts.json",
    logFile: "/tmp/e2e-cluster/logs/registry.log",
  });
  expect(jest.mocked(startNode).mock.calls[0][2]).toEqual({
    binaries: { kubelet: "/bin/kubelet", kubectl: "/bin/kubectl" },
    sandboxImage: { ref: SANDBOX_IMAGE },
    registryHosts: { "ghcr.io": "server = ..." },
  });
  expect(events.at(-1)).toBe("start node");
  await Promise.all([cluster.stop(), cluster.stop()]);
  await cluster.stop();
  expect(events.slice(3)).toEqual(["stop node", "stop registry", "stop control plane"]);
});

test("a node that fails to start leaves neither the registry nor the control plane running", async () => {
  jest.mocked(startNode).mockRejectedValue(new Error("no containerd"));
  await expect(startPodCluster("/tmp/e2e-cluster", binaries)).rejects.toThrow("no containerd");
  expect(events.slice(2)).toEqual(["stop registry", "stop control plane"]);
});

test("a registry that fails to start stops the control plane that started beside it", async () => {
  jest.mocked(startRegistry).mockRejectedValue(new Error("exited before listening"));
  await expect(startPodCluster("/tmp/e2e-cluster", binaries)).rejects.toThrow(
    "exited before listening",
  );
  expect(events).toEqual(["start control plane", "stop control plane"]);
  expect(startNode).not.toHaveBeenCalled();
});

test("names the binaries it lacks, and starts nothing", async () => {
  const withoutKubelet = { ...binaries };
  delete withoutKubelet.kubelet;
  await expect(startPodCluster("/tmp/e2e-cluster", withoutKubelet)).rejects.toThrow(
    "a cluster whose pods run needs kubelet: npm run e2e:tools",
  );
  expect(events).toEqual([]);
});

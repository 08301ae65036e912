// Ports for the daemons of a run (etcd, kube-apiserver, the kubelet), which each bind the port they
// are given some time after it is chosen.
//
// A port the kernel hands out for `listen(0)` lies in its ephemeral range, the same range it takes
// the local port of every outgoing connection from: between the choice and the daemon's bind, any
// connection on the machine (the CLI, a provider, a kubelet's watch) can take it, and the daemon
// exits with "bind: address already in use" (a CI run failed so, etcd's port taken 10 s into a
// file). So the ports here lie below that range, where the kernel never picks one by itself
// (Documentation/networking/ip-sysctl.rst, ip_local_port_range: "the local port range that is
// used by TCP and UDP to choose the local port"), each checked free by binding it, and never
// given twice by one process. Above 20000: clear of the usual fixed ports (2379 etcd, 6443,
// 10250 the kubelet, 8080...) of a cluster that may run on the same machine.

import { readFileSync } from "node:fs";
import { createServer } from "node:net";

const LOWEST = 20000;
const given = new Set<number>();

/** The first port of the kernel's ephemeral range (32768 when it cannot be read). */
function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8")
      .trim()
      .split(/\s+/);
    return Number(low) > LOWEST ? Number(low) : 32768;
  } catch {
    return 32768;
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A port on 127.0.0.1 free now, outside the ephemeral range, not given before by this process. */
export async function freePort(): Promise<number> {
  const end = ephemeralRangeStart();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (end - LOWEST));
    if (!given.has(port) && (await bindable(port))) {
      given.add(port);
      return port;
    }
  }
  throw new Error(`no free port on 127.0.0.1 between ${LOWEST} and ${end - 1} after 200 tries`);
}

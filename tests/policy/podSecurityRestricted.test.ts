// policy/rules/podSecurityRestricted.ts: Pod Security "restricted", control by control, for pods
// in a namespace of the program that enforces it.

import { podSecurityViolations } from "../../policy/rules/podSecurityRestricted";
import { deployment, HARDENED_CONTAINER, packResource } from "../support/packResources";

const namespace = (name: string, level: string) =>
  packResource("Namespace", name, {
    metadata: { name, labels: { "pod-security.kubernetes.io/enforce": level } },
  });
const fieldsOf = (spec: Record<string, unknown>) =>
  podSecurityViolations([namespace("shop", "restricted"), deployment("app", "shop", spec)]).map(
    ({ message }) =>
      message.split(": namespace")[0].replace('Deployment "shop/app" spec.template.spec.', ""),
  );

test("a hardened pod passes", () => {
  expect(fieldsOf({ containers: [HARDENED_CONTAINER] })).toEqual([]);
  // runAsNonRoot and seccompProfile may be set once for the pod.
  const rest = {
    allowPrivilegeEscalation: false,
    capabilities: HARDENED_CONTAINER.securityContext.capabilities,
  };
  expect(
    fieldsOf({
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      containers: [{ ...HARDENED_CONTAINER, securityContext: rest }],
    }),
  ).toEqual([]);
});

test("a container with no security context fails each restricted control, each at its field", () => {
  expect(fieldsOf({ containers: [{ name: "app", image: "nginx" }] })).toEqual([
    "containers[0].securityContext.allowPrivilegeEscalation",
    "containers[0].securityContext.runAsNonRoot",
    "containers[0].securityContext.seccompProfile",
    "containers[0].securityContext.capabilities.drop",
  ]);
});

test("baseline controls: host namespaces, privileged, host ports, host paths, capabilities, root", () => {
  const fields = fieldsOf({
    hostNetwork: true,
    volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }],
    initContainers: [
      {
        ...HARDENED_CONTAINER,
        securityContext: { ...HARDENED_CONTAINER.securityContext, privileged: true, runAsUser: 0 },
      },
    ],
    containers: [
      {
        ...HARDENED_CONTAINER,
        ports: [{ containerPort: 8080, hostPort: 80 }],
        securityContext: {
          ...HARDENED_CONTAINER.securityContext,
          capabilities: { drop: ["ALL"], add: ["NET_ADMIN"] },
        },
      },
    ],
  });
  expect(fields).toEqual([
    "hostNetwork",
    "volumes[0].hostPath",
    "initContainers[0].securityContext.runAsUser",
    "initContainers[0].securityContext.privileged",
    "containers[0].securityContext.capabilities.add",
    "containers[0].ports[0].hostPort",
  ]);
});

test("the message names the namespace and the fix, and pods elsewhere are not judged", () => {
  const pod = { containers: [{ name: "app", image: "nginx" }] };
  const [first] = podSecurityViolations([
    namespace("shop", "restricted"),
    deployment("app", "shop", pod),
  ]);
  expect(first.message).toContain('namespace "shop" enforces Pod Security "restricted"');
  expect(first.message).toContain("Set allowPrivilegeEscalation: false.");
  expect(
    podSecurityViolations([namespace("shop", "baseline"), deployment("app", "shop", pod)]),
  ).toEqual([]);
  expect(podSecurityViolations([deployment("app", "shop", pod)])).toEqual([]);
});

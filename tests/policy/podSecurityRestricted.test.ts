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
    "containers[0].ports[0].hostPort",
    "containers[0].securityContext.capabilities.add",
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

test.each([
  [
    "a pod-level seccomp profile Unconfined, once",
    { securityContext: { seccompProfile: { type: "Unconfined" } } },
    {},
    ["securityContext.seccompProfile.type"],
  ],
  [
    "a container's seccomp profile Unconfined, once",
    {},
    { seccompProfile: { type: "Unconfined" } },
    ["containers[0].securityContext.seccompProfile"],
  ],
  [
    "a Localhost seccomp profile passes",
    {},
    { seccompProfile: { type: "Localhost", localhostProfile: "p.json" } },
    [],
  ],
  [
    "an unsafe sysctl",
    { securityContext: { sysctls: [{ name: "kernel.msgmax", value: "1" }] } },
    {},
    ["securityContext.sysctls[0]"],
  ],
  ["hostPID and hostIPC", { hostPID: true, hostIPC: true }, {}, ["hostPID", "hostIPC"]],
  [
    "a pod-level runAsUser 0",
    { securityContext: { runAsUser: 0 } },
    {},
    ["securityContext.runAsUser"],
  ],
  [
    "a container's runAsNonRoot false over the pod's true",
    { securityContext: { runAsNonRoot: true } },
    { runAsNonRoot: false },
    ["containers[0].securityContext.runAsNonRoot"],
  ],
  [
    "an unmasked procMount",
    {},
    { procMount: "Unmasked" },
    ["containers[0].securityContext.procMount"],
  ],
  [
    "an AppArmor profile Unconfined",
    {},
    { appArmorProfile: { type: "Unconfined" } },
    ["containers[0].securityContext.appArmorProfile.type"],
  ],
  [
    "an SELinux type and user not allowed; an empty role is allowed",
    {},
    { seLinuxOptions: { type: "spc_t", user: "system_u", role: "" } },
    [
      "containers[0].securityContext.seLinuxOptions.type",
      "containers[0].securityContext.seLinuxOptions.user",
    ],
  ],
  [
    "a Windows host process",
    {},
    { windowsOptions: { hostProcess: true } },
    ["containers[0].securityContext.windowsOptions.hostProcess"],
  ],
])("%s", (_, pod, container, expected) => {
  const context = { ...HARDENED_CONTAINER.securityContext, ...container };
  expect(
    fieldsOf({ ...pod, containers: [{ ...HARDENED_CONTAINER, securityContext: context }] }),
  ).toEqual(expected);
});

test("the pre-1.30 AppArmor annotation on the pod template is judged too", () => {
  const annotated = (value: string) =>
    podSecurityViolations([
      namespace("shop", "restricted"),
      deployment(
        "app",
        "shop",
        { containers: [HARDENED_CONTAINER] },
        {
          "container.apparmor.security.beta.kubernetes.io/app": value,
        },
      ),
    ]);
  expect(annotated("unconfined").map(({ message }) => message.split(":")[0])).toEqual([
    'Deployment "shop/app" spec.template.metadata.annotations.container.apparmor.security.beta.kubernetes.io/app',
  ]);
  expect(annotated("runtime/default")).toEqual([]);
  expect(annotated("localhost/my-profile")).toEqual([]);
});

test("a pod with no namespace lands in its provider's, else default", () => {
  const pod = { containers: [{ name: "app", image: "nginx" }] };
  const bare = packResource("Deployment", "app", { spec: { template: { spec: pod } } });
  expect(podSecurityViolations([namespace("default", "restricted"), bare])).toHaveLength(4);
  const withProvider = {
    ...bare,
    provider: { type: "pulumi:providers:kubernetes", props: { namespace: "shop" } },
  };
  expect(podSecurityViolations([namespace("default", "restricted"), withProvider])).toEqual([]);
  expect(podSecurityViolations([namespace("shop", "restricted"), withProvider])).toHaveLength(4);
});

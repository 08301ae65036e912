// The hardened pod, checked rule by rule against the Pod Security Standards that the namespace
// enforces ("restricted", which includes "baseline"), as listed in
// kubernetes.io/docs/concepts/security/pod-security-standards. A pod failing one of these is
// refused by the API server in a namespace labelled pod-security.kubernetes.io/enforce=restricted.

import { runProgram, stackConfig, testSecretsFor } from "../support/program";
import { nonEmpty } from "../support/nonEmpty";
import { withFileSets } from "../support/tls";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes JSON
type Obj = Record<string, any>;

const RESTRICTED_VOLUME_TYPES = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
];

let pod: Obj;
let containers: Obj[];
beforeAll(async () => {
  const { mocks } = await runProgram(
    "production",
    stackConfig("production", testSecretsFor("production")),
  );
  pod = mocks.single("kubernetes:apps/v1:Deployment").inputs.spec.template.spec as Obj;
  containers = [...(pod.containers as Obj[]), ...((pod.initContainers as Obj[] | undefined) ?? [])];
});

test("baseline: no host namespaces", () => {
  expect(pod.hostNetwork ?? false).toBe(false);
  expect(pod.hostPID ?? false).toBe(false);
  expect(pod.hostIPC ?? false).toBe(false);
});

test("baseline: no privileged containers and no hostProcess", () => {
  for (const container of nonEmpty(containers)) {
    expect(container.securityContext?.privileged ?? false).toBe(false);
    expect(container.securityContext?.windowsOptions?.hostProcess ?? false).toBe(false);
  }
});

test("baseline: no hostPath volumes and no host ports", () => {
  for (const volume of nonEmpty<Obj>(pod.volumes ?? [])) {
    expect(volume.hostPath).toBeUndefined();
  }
  for (const container of nonEmpty(containers)) {
    for (const port of nonEmpty<Obj>(container.ports ?? [])) {
      expect(port.hostPort ?? 0).toBe(0);
    }
  }
});

test("baseline: no sysctls, default /proc mount, no custom SELinux type", () => {
  expect(pod.securityContext?.sysctls).toBeUndefined();
  for (const container of nonEmpty(containers)) {
    expect(container.securityContext?.procMount ?? "Default").toBe("Default");
    expect(container.securityContext?.seLinuxOptions).toBeUndefined();
  }
});

test("restricted: only the allowed volume types", () => {
  for (const volume of nonEmpty<Obj>(pod.volumes ?? [])) {
    const types = Object.keys(volume).filter((key) => key !== "name");
    expect(types.every((type) => RESTRICTED_VOLUME_TYPES.includes(type))).toBe(true);
  }
  expect(pod.volumes).toEqual([{ name: "tmp", emptyDir: {} }]);
});

test("restricted: privilege escalation is off in every container", () => {
  for (const container of nonEmpty(containers)) {
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
  }
});

test("restricted: runs as non-root, and never as user 0", () => {
  for (const container of nonEmpty(containers)) {
    const nonRoot = container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
    expect(nonRoot).toBe(true);
    const user = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
    expect(user).not.toBe(0);
  }
});

test("restricted: seccomp profile RuntimeDefault or Localhost", () => {
  for (const container of nonEmpty(containers)) {
    const profile =
      container.securityContext?.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
    expect(["RuntimeDefault", "Localhost"]).toContain(profile);
  }
});

test("restricted: drops ALL capabilities and adds none but NET_BIND_SERVICE", () => {
  for (const container of nonEmpty(containers)) {
    expect(container.securityContext.capabilities.drop).toContain("ALL");
    for (const added of container.securityContext.capabilities.add ?? []) {
      expect(added).toBe("NET_BIND_SERVICE");
    }
  }
});

test("beyond the standard: read-only root filesystem and no service account token", () => {
  for (const container of nonEmpty(containers)) {
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
  }
  expect(pod.automountServiceAccountToken).toBe(false);
});

test("restricted, with file sets: secret volumes only (an allowed type), mounted read-only and whole, nothing for others", async () => {
  const { mocks } = await runProgram(
    "staging",
    stackConfig("staging", { ...testSecretsFor("staging"), ...withFileSets() }),
  );
  const spec = mocks.single("kubernetes:apps/v1:Deployment").inputs.spec.template.spec as Obj;
  const secretVolumes = (spec.volumes as Obj[]).filter((volume) => volume.secret !== undefined);
  expect(secretVolumes).toHaveLength(2);
  for (const volume of nonEmpty<Obj>(spec.volumes)) {
    const types = Object.keys(volume).filter((key) => key !== "name");
    expect(types.every((type) => RESTRICTED_VOLUME_TYPES.includes(type))).toBe(true);
  }
  for (const volume of secretVolumes) {
    // Owner root, group fsGroup (the app's), mode 0440: no write bit, and nothing for others.
    expect(volume.secret.defaultMode & 0o337).toBe(0);
  }
  const names = secretVolumes.map((volume) => volume.name);
  for (const mount of (spec.containers[0].volumeMounts as Obj[]).filter((m) =>
    names.includes(m.name),
  )) {
    expect(mount.readOnly).toBe(true);
    expect(mount.subPath).toBeUndefined();
  }
  // The pod-level rules hold as before: the group the files belong to is the app's own.
  expect(spec.securityContext).toMatchObject({
    runAsNonRoot: true,
    runAsUser: 10001,
    fsGroup: 10001,
  });
});

// Pods that Pod Security Admission would refuse: in a namespace of the program labelled
// `pod-security.kubernetes.io/enforce: restricted`, the API server rejects a pod that fails any
// control of the "restricted" profile (which includes "baseline"), but only when the pod is
// created: for a Deployment that is after `pulumi up` reported success on the Deployment itself,
// as a ReplicaSet that never gets a pod. Checked here at preview instead, control by control, as
// kubernetes.io/docs/concepts/security/pod-security-standards lists them (the profile of
// Kubernetes 1.25 and later; tests/program/podSecurity.test.ts checks the program's own pod
// against the same list).

import {
  PackResource,
  PodSpecAt,
  Violation,
  arrayOf,
  at,
  containersOf,
  describe,
  podSpecs,
  stringAt,
} from "../kubernetesObjects";

export const NAME = "pod-security-restricted";

const ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

/** Volume types "restricted" allows. */
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

/** Sysctls "baseline" allows (the "safe" set). */
const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
];

const SELINUX_TYPES = [
  "",
  "container_t",
  "container_init_t",
  "container_kvm_t",
  "container_engine_t",
];

/** A control the pod fails: the field and how to pass. */
interface Failure {
  readonly field: string;
  readonly fix: string;
}

export function podSecurityViolations(resources: readonly PackResource[]): Violation[] {
  const restricted = restrictedNamespaces(resources);
  const violations: Violation[] = [];
  for (const pod of podSpecs(resources)) {
    const namespace = stringAt(pod.resource.props, "metadata", "namespace");
    if (namespace === undefined || !restricted.has(namespace)) {
      continue;
    }
    for (const { field, fix } of failures(pod)) {
      violations.push({
        urn: pod.resource.urn,
        message:
          `${describe(pod.resource)} ${field}: namespace "${namespace}" enforces Pod Security ` +
          `"restricted", and the API server would refuse the pod (after the update reported ` +
          `success). Set ${fix}.`,
      });
    }
  }
  return violations;
}

/** The program's namespaces whose label makes Pod Security Admission enforce "restricted". */
function restrictedNamespaces(resources: readonly PackResource[]): Set<string> {
  const names = new Set<string>();
  for (const resource of resources) {
    const name = stringAt(resource.props, "metadata", "name");
    if (
      resource.type === "kubernetes:core/v1:Namespace" &&
      name !== undefined &&
      at(resource.props, "metadata", "labels", ENFORCE_LABEL) === "restricted"
    ) {
      names.add(name);
    }
  }
  return names;
}

function failures(pod: PodSpecAt): Failure[] {
  const { spec, path } = pod;
  const found: Failure[] = [];
  const fail = (field: string, fix: string) => found.push({ field, fix });

  for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
    if (at(spec, field) === true) {
      fail(`${path}.${field}`, `${field}: false (or leave it out)`);
    }
  }
  arrayOf(at(spec, "volumes")).forEach((volume, index) => {
    const type = Object.keys(volume).find((key) => key !== "name");
    if (type !== undefined && !RESTRICTED_VOLUME_TYPES.includes(type)) {
      fail(
        `${path}.volumes[${index}].${type}`,
        `a volume of an allowed type instead (${RESTRICTED_VOLUME_TYPES.join(", ")})`,
      );
    }
  });
  const podContext = at(spec, "securityContext");
  const podField = `${path}.securityContext`;
  arrayOf(at(podContext, "sysctls")).forEach((sysctl, index) => {
    const name = stringAt(sysctl, "name");
    if (name !== undefined && !SAFE_SYSCTLS.includes(name)) {
      fail(`${podField}.sysctls[${index}]`, `only the safe sysctls (${SAFE_SYSCTLS.join(", ")})`);
    }
  });
  checkCommonContext(podContext, podField, fail);

  for (const { path: containerPath, container } of containersOf(pod)) {
    const context = at(container, "securityContext");
    const field = `${containerPath}.securityContext`;
    checkCommonContext(context, field, fail);
    if (at(context, "privileged") === true) {
      fail(`${field}.privileged`, "privileged: false (or leave it out)");
    }
    if (at(context, "allowPrivilegeEscalation") !== false) {
      fail(`${field}.allowPrivilegeEscalation`, "allowPrivilegeEscalation: false");
    }
    // The container's setting wins over the pod's.
    const nonRoot = at(context, "runAsNonRoot") ?? at(podContext, "runAsNonRoot");
    if (nonRoot !== true) {
      fail(`${field}.runAsNonRoot`, `runAsNonRoot: true (here or in ${podField})`);
    }
    const seccomp =
      at(context, "seccompProfile", "type") ?? at(podContext, "seccompProfile", "type");
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") {
      fail(
        `${field}.seccompProfile`,
        `seccompProfile: {type: RuntimeDefault} (here or in ${podField})`,
      );
    }
    const drop = at(context, "capabilities", "drop");
    if (!Array.isArray(drop) || !drop.includes("ALL")) {
      fail(`${field}.capabilities.drop`, 'capabilities: {drop: ["ALL"]}');
    }
    const add = at(context, "capabilities", "add");
    if (Array.isArray(add) && add.some((capability) => capability !== "NET_BIND_SERVICE")) {
      fail(`${field}.capabilities.add`, "no added capability but NET_BIND_SERVICE");
    }
    const procMount = at(context, "procMount");
    if (procMount !== undefined && procMount !== "Default") {
      fail(`${field}.procMount`, "procMount: Default (or leave it out)");
    }
    arrayOf(at(container, "ports")).forEach((port, index) => {
      const hostPort = at(port, "hostPort");
      if (hostPort !== undefined && hostPort !== 0) {
        fail(`${containerPath}.ports[${index}].hostPort`, "no hostPort (a Service instead)");
      }
    });
  }
  return found;
}

/** Controls of a security context that apply alike to the pod's and to each container's. */
function checkCommonContext(
  context: unknown,
  field: string,
  fail: (field: string, fix: string) => void,
): void {
  if (at(context, "runAsUser") === 0) {
    fail(`${field}.runAsUser`, "runAsUser to a non-zero user id");
  }
  if (at(context, "seccompProfile", "type") === "Unconfined") {
    fail(`${field}.seccompProfile.type`, "seccompProfile: {type: RuntimeDefault}");
  }
  const appArmor = at(context, "appArmorProfile", "type");
  if (appArmor !== undefined && appArmor !== "RuntimeDefault" && appArmor !== "Localhost") {
    fail(`${field}.appArmorProfile.type`, "appArmorProfile: {type: RuntimeDefault}");
  }
  const seLinuxType = stringAt(context, "seLinuxOptions", "type");
  if (seLinuxType !== undefined && !SELINUX_TYPES.includes(seLinuxType)) {
    fail(
      `${field}.seLinuxOptions.type`,
      `seLinuxOptions.type to one of ${SELINUX_TYPES.slice(1).join(", ")}`,
    );
  }
  for (const key of ["user", "role"]) {
    if (at(context, "seLinuxOptions", key) !== undefined) {
      fail(`${field}.seLinuxOptions.${key}`, `no seLinuxOptions.${key}`);
    }
  }
}

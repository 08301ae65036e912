// Pods that Pod Security Admission would refuse: in a namespace of the program labelled
// `pod-security.kubernetes.io/enforce: restricted`, the API server rejects a pod that fails any
// control of the "restricted" profile (which includes "baseline"), but only when the pod is
// created: for a Deployment that is after `pulumi up` reported success on the Deployment itself,
// as a ReplicaSet that never gets a pod. Checked here at preview instead, control by control, as
// kubernetes.io/docs/concepts/security/pod-security-standards lists them (the profile of
// Kubernetes 1.25 and later). tests/program/podSecurity.test.ts checks the program's own pod
// against a list of its own, written from the same page.

import {
  PackResource,
  PodSpecAt,
  Violation,
  containersOf,
  describe,
  isFullyKnown,
  isObject,
  itemsOf,
  namespaceOf,
  podSpecs,
  stringValueAt,
  valueAt,
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
    const namespace = namespaceOf(pod.resource);
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
    const name = stringValueAt(resource.props, "metadata", "name");
    if (
      resource.type === "kubernetes:core/v1:Namespace" &&
      name !== undefined &&
      valueAt(resource.props, "metadata", "labels", ENFORCE_LABEL) === "restricted"
    ) {
      names.add(name);
    }
  }
  return names;
}

// The AppArmor annotations of Kubernetes before 1.30, still honoured: per container, on the pod.
const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

/**
 * The controls a pod fails. A security context not known yet (computed from another resource's
 * output, during a preview) is not judged, nor what depends on it: the update judges it.
 */
function failures(pod: PodSpecAt): Failure[] {
  const { spec, path } = pod;
  const found: Failure[] = [];
  const fail = (field: string, fix: string) => found.push({ field, fix });

  for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
    if (valueAt(spec, field) === true) {
      fail(`${path}.${field}`, `${field}: false (or leave it out)`);
    }
  }
  for (const { item: volume, index } of itemsOf(valueAt(spec, "volumes"))) {
    const type = Object.keys(volume).find((key) => key !== "name");
    if (type !== undefined && !RESTRICTED_VOLUME_TYPES.includes(type)) {
      fail(
        `${path}.volumes[${index}].${type}`,
        `a volume of an allowed type instead (${RESTRICTED_VOLUME_TYPES.join(", ")})`,
      );
    }
  }
  const annotationsPath = path.replace(/\.spec$/, ".metadata.annotations");
  // Key by key: an annotation's value may not be known yet (a checksum, during a preview).
  for (const key of Object.keys(pod.templateAnnotations ?? {})) {
    const value = valueAt(pod.templateAnnotations, key);
    if (
      key.startsWith(APPARMOR_ANNOTATION) &&
      typeof value === "string" &&
      value !== "runtime/default" &&
      !value.startsWith("localhost/")
    ) {
      fail(`${annotationsPath}.${key}`, "it to runtime/default (or localhost/PROFILE)");
    }
  }
  const podContext = valueAt(spec, "securityContext");
  const podField = `${path}.securityContext`;
  const podKnown = isFullyKnown(podContext);
  const podSetting = (...fields: string[]) =>
    isObject(podContext) ? valueAt(podContext, ...fields) : undefined;
  if (podKnown) {
    for (const { item: sysctl, index } of itemsOf(podSetting("sysctls"))) {
      const name = stringValueAt(sysctl, "name");
      if (name !== undefined && !SAFE_SYSCTLS.includes(name)) {
        fail(`${podField}.sysctls[${index}]`, `only the safe sysctls (${SAFE_SYSCTLS.join(", ")})`);
      }
    }
    checkSecurityContext(podContext, podField, fail);
    if (podSetting("seccompProfile", "type") === "Unconfined") {
      fail(`${podField}.seccompProfile.type`, "seccompProfile: {type: RuntimeDefault}");
    }
  }

  for (const { path: containerPath, container } of containersOf(pod)) {
    for (const { item: port, index } of itemsOf(valueAt(container, "ports"))) {
      const hostPort = valueAt(port, "hostPort");
      if (typeof hostPort === "number" && hostPort !== 0) {
        fail(`${containerPath}.ports[${index}].hostPort`, "no hostPort (a Service instead)");
      }
    }
    const context = valueAt(container, "securityContext");
    if (!podKnown || !isFullyKnown(context)) {
      continue;
    }
    const field = `${containerPath}.securityContext`;
    const setting = (...fields: string[]) =>
      isObject(context) ? valueAt(context, ...fields) : undefined;
    checkSecurityContext(context, field, fail);
    if (setting("privileged") === true) {
      fail(`${field}.privileged`, "privileged: false (or leave it out)");
    }
    if (setting("allowPrivilegeEscalation") !== false) {
      fail(`${field}.allowPrivilegeEscalation`, "allowPrivilegeEscalation: false");
    }
    // The container's setting wins over the pod's.
    if ((setting("runAsNonRoot") ?? podSetting("runAsNonRoot")) !== true) {
      fail(`${field}.runAsNonRoot`, `runAsNonRoot: true (here or in ${podField})`);
    }
    const seccomp = setting("seccompProfile", "type") ?? podSetting("seccompProfile", "type");
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") {
      fail(
        `${field}.seccompProfile`,
        `seccompProfile: {type: RuntimeDefault} (here or in ${podField})`,
      );
    }
    const drop = setting("capabilities", "drop");
    if (!Array.isArray(drop) || !drop.includes("ALL")) {
      fail(`${field}.capabilities.drop`, 'capabilities: {drop: ["ALL"]}');
    }
    const add = setting("capabilities", "add");
    if (Array.isArray(add) && add.some((capability) => capability !== "NET_BIND_SERVICE")) {
      fail(`${field}.capabilities.add`, "no added capability but NET_BIND_SERVICE");
    }
    const procMount = setting("procMount");
    if (procMount !== undefined && procMount !== "Default") {
      fail(`${field}.procMount`, "procMount: Default (or leave it out)");
    }
  }
  return found;
}

/** Controls of a security context that apply alike to the pod's and to each container's. */
function checkSecurityContext(
  context: unknown,
  field: string,
  fail: (field: string, fix: string) => void,
): void {
  const setting = (...fields: string[]) =>
    isObject(context) ? valueAt(context, ...fields) : undefined;
  if (setting("runAsUser") === 0) {
    fail(`${field}.runAsUser`, "runAsUser to a non-zero user id");
  }
  if (setting("windowsOptions", "hostProcess") === true) {
    fail(`${field}.windowsOptions.hostProcess`, "hostProcess: false (or leave it out)");
  }
  const appArmor = setting("appArmorProfile", "type");
  if (appArmor !== undefined && appArmor !== "RuntimeDefault" && appArmor !== "Localhost") {
    fail(`${field}.appArmorProfile.type`, "appArmorProfile: {type: RuntimeDefault}");
  }
  const seLinuxType = setting("seLinuxOptions", "type");
  if (typeof seLinuxType === "string" && !SELINUX_TYPES.includes(seLinuxType)) {
    fail(
      `${field}.seLinuxOptions.type`,
      `seLinuxOptions.type to one of ${SELINUX_TYPES.slice(1).join(", ")}`,
    );
  }
  for (const key of ["user", "role"]) {
    const value = setting("seLinuxOptions", key);
    if (typeof value === "string" && value !== "") {
      fail(`${field}.seLinuxOptions.${key}`, `no seLinuxOptions.${key}`);
    }
  }
}

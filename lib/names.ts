// Name rules of the Kubernetes API server, from k8s.io/apimachinery/pkg/util/validation
// (IsDNS1123Subdomain, IsDNS1123Label, IsConfigMapKey, IsQualifiedName, IsValidLabelValue) and, for env var names,
// the portable rule we enforce ourselves: since Kubernetes 1.30 the kubelet passes every envFrom
// key through instead of skipping invalid ones (k8s.io/kubernetes, pkg/kubelet/kubelet_pods.go,
// makeEnvironmentVariables).

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Object names (Secret, ConfigMap, Deployment): DNS-1123 subdomain, at most 253 characters. */
export function isDns1123Subdomain(name: string): boolean {
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

/** Namespace names: DNS-1123 label, at most 63 characters. */
export function isDns1123Label(name: string): boolean {
  return name.length <= 63 && DNS1123_LABEL.test(name);
}

/** Keys of Secret and ConfigMap data: `[-._a-zA-Z0-9]+`, at most 253, not `.` or `..`. */
export function isDataKey(key: string): boolean {
  return key.length <= 253 && CONFIG_MAP_KEY.test(key) && key !== "." && key !== "..";
}

/** Label values: at most 63 characters, alphanumeric at both ends. */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/** Label keys: an optional DNS-1123 subdomain prefix and `/`, then a name like a label value. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf("/");
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = key.slice(slash + 1);
  return (
    (prefix === undefined || isDns1123Subdomain(prefix)) &&
    name !== "" &&
    name.length <= 63 &&
    LABEL_VALUE.test(name)
  );
}

/** Environment variable names that every shell and runtime accepts. */
export function isEnvVarName(name: string): boolean {
  return ENV_VAR_NAME.test(name);
}

/** Why a data key cannot be an environment variable delivered through envFrom, or undefined. */
export function envKeyProblem(key: string): string | undefined {
  if (!isEnvVarName(key)) {
    return `"${key}" is not a valid environment variable name (${ENV_VAR_NAME.source}); Kubernetes 1.30+ passes it to the container anyway`;
  }
  if (!isDataKey(key)) {
    return `"${key}" is longer than the 253 characters Kubernetes allows for a data key`;
  }
  return undefined;
}

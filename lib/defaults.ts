/** Settings every stack gets unless its config or secrets set the same key (layer 1). */
export function programDefaults(port: number): Record<string, string> {
  return { NODE_ENV: "production", LOG_LEVEL: "info", PORT: String(port) };
}

/** Container resource requests and limits (Kubernetes quantities). */
export interface ResourceSettings {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** HTTP paths of the readiness and liveness probes. */
export interface ProbePaths {
  readonly readinessPath: string;
  readonly livenessPath: string;
}

/** Container resources when the stack sets none: small requests, a memory limit that bounds leaks. */
export const DEFAULT_RESOURCES = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "500m", memory: "256Mi" },
} as const;

export const DEFAULT_PORT = 8080;
export const DEFAULT_HEALTH_PATH = "/healthz";
export const DEFAULT_APP_NAME = "task-api";

/**
 * How long `pulumi up` waits for the Deployment's rollout by default: five minutes, half of the
 * provider's own ten (docs/configuration.md, Rollout timeout: why).
 */
export const DEFAULT_ROLLOUT_TIMEOUT_SECONDS = 300;
/** Shorter fails even a healthy rollout: the first readiness probe passes 5 s after start at best. */
export const MIN_ROLLOUT_TIMEOUT_SECONDS = 10;
/** A day; a rollout that needs longer is better split (fewer replicas per stack, or a larger surge). */
export const MAX_ROLLOUT_TIMEOUT_SECONDS = 24 * 60 * 60;

/** Default expiry of read-only DOCR pull credentials: a year (docs/configuration.md, DigitalOcean). */
export const DEFAULT_DOCR_EXPIRY_SECONDS = 365 * 24 * 60 * 60;

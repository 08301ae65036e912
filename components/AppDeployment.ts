import * as appsv1 from "@pulumi/kubernetes/apps/v1";
import type * as inputs from "@pulumi/kubernetes/types/input";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_CHECKSUM_ANNOTATION, SECRET_CHECKSUM_ANNOTATION } from "../lib/checksum";
import {
  DEFAULT_HEALTH_PATH,
  DEFAULT_PORT,
  DEFAULT_RESOURCES,
  DEFAULT_ROLLOUT_TIMEOUT_SECONDS,
  ProbePaths,
  ResourceSettings,
} from "../lib/defaults";
import { OWNED_OBJECT_ANNOTATIONS } from "../lib/ownership";
import { FILE_MODE } from "../lib/secretFiles";

/** Read by pulumi-kubernetes' await logic (pkg/metadata/annotations.go). */
const SKIP_AWAIT_ANNOTATION = "pulumi.com/skipAwait";

/** A non-root user id the image does not need to define; Pod Security "restricted" wants non-root. */
const RUN_AS_USER = 10001;

export interface AppDeploymentArgs {
  /** Namespace of the Deployment. */
  readonly namespace: pulumi.Input<string>;
  /** Image reference, pinned to a tag or digest. */
  readonly image: pulumi.Input<string>;
  /** Number of pods. @default 1 */
  readonly replicas?: pulumi.Input<number>;
  /** Port the app listens on (also `PORT` in its ConfigMap). @default 8080 */
  readonly port?: number;
  /** The ConfigMap listed first in `envFrom`. */
  readonly configMapName: pulumi.Input<string>;
  /** The Secret listed second in `envFrom`, so it wins on a duplicate key. */
  readonly secretName: pulumi.Input<string>;
  /** The image pull secret. @default none (a public image) */
  readonly pullSecretName?: pulumi.Input<string>;
  /** Checksums for the pod template annotations; leave out to not roll pods on changes. @default none */
  readonly checksums?: {
    readonly config: pulumi.Input<string>;
    readonly secret: pulumi.Input<string>;
  };
  /**
   * Wait for the rollout (pods ready) before the update succeeds; false sets `pulumi.com/skipAwait`.
   * @default true
   */
  readonly awaitRollout?: boolean;
  /**
   * How long to wait for that rollout before the create or update fails; unused without
   * awaitRollout. @default 300
   */
  readonly rolloutTimeoutSeconds?: number;
  /** Downward API variables, name → fieldPath; the only explicit `env` entries. @default {} */
  readonly fieldEnv?: Readonly<Record<string, string>>;
  /** Container resources. @default 100m/128Mi requested, 500m/256Mi limit */
  readonly resources?: ResourceSettings;
  /** HTTP paths of the readiness and liveness probes. @default /healthz for both */
  readonly probes?: ProbePaths;
  /** Secret file sets, each mounted read-only as a whole directory. @default none */
  readonly fileMounts?: readonly FileMount[];
  /** Labels that select the pods; also set on the Deployment and pod template. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Further labels for the Deployment and pod template (not part of the selector). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A Secret mounted as a directory of files (lib/secretFiles.ts). */
export interface FileMount {
  readonly volumeName: string;
  readonly secretName: pulumi.Input<string>;
  readonly mountPath: string;
  /** A pod template annotation that rolls the pods when the files change. @default none */
  readonly checksum?: { readonly annotation: string; readonly value: pulumi.Input<string> };
}

/**
 * The app's Deployment: config through `envFrom` (ConfigMap, then Secret), pulled with the pull
 * secret, rolled without downtime, and rolled again when the checksum annotations change.
 */
export class AppDeployment extends pulumi.ComponentResource {
  /** Name of the Deployment. */
  public readonly deploymentName: pulumi.Output<string>;

  constructor(name: string, args: AppDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("task-api:k8s:AppDeployment", name, {}, opts);

    const labels = { ...args.labels, ...args.selectorLabels };
    // A Deployment rolls only when spec.template changes; env from a Secret or ConfigMap is read
    // at container start and never refreshed. The checksums put data changes into the template.
    const annotations = templateAnnotations(args);
    const awaitRollout = args.awaitRollout ?? true;

    const deployment = new appsv1.Deployment(
      name,
      {
        metadata: {
          name,
          namespace: args.namespace,
          labels,
          // On the Deployment, not its pod template: turning it on or off rolls no pods. The
          // provider then returns as soon as the API server accepted the object
          // (pulumi-kubernetes, pkg/metadata/overrides.go, SkipAwaitLogic).
          annotations: {
            ...OWNED_OBJECT_ANNOTATIONS,
            ...(awaitRollout ? {} : { [SKIP_AWAIT_ANNOTATION]: "true" }),
          },
        },
        spec: {
          replicas: args.replicas ?? 1,
          selector: { matchLabels: { ...args.selectorLabels } },
          // Zero downtime: a new pod must be ready before an old one goes.
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          template: {
            metadata: { labels, annotations },
            spec: {
              automountServiceAccountToken: false,
              imagePullSecrets: args.pullSecretName ? [{ name: args.pullSecretName }] : undefined,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: RUN_AS_USER,
                runAsGroup: RUN_AS_USER,
                fsGroup: RUN_AS_USER,
                seccompProfile: { type: "RuntimeDefault" },
              },
              containers: [appContainer(name, args)],
              volumes: [{ name: "tmp", emptyDir: {} }, ...fileVolumes(args.fileMounts ?? [])],
            },
          },
        },
      },
      {
        parent: this,
        // pulumi-kubernetes waits for the rollout up to the engine's timeout for the operation,
        // which customTimeouts sets, else 10 minutes (provider/pkg/metadata/overrides.go,
        // TimeoutDuration; pkg/await/deployment.go, DefaultDeploymentTimeoutMins). A pod that
        // never gets ready (ImagePullBackOff, a crash loop) only logs warnings meanwhile, so this
        // bounds how long `pulumi up` takes to fail. Not delete: deleting waits for pods to stop.
        // An option, not the `pulumi.com/timeoutSeconds` annotation, so changing it diffs nothing.
        customTimeouts: awaitRollout ? rolloutTimeouts(args.rolloutTimeoutSeconds) : undefined,
      },
    );

    this.deploymentName = deployment.metadata.name;
    this.registerOutputs({ deploymentName: this.deploymentName });
  }
}

/** The create and update timeouts, as duration strings the engine parses (Go's time.ParseDuration). */
function rolloutTimeouts(seconds = DEFAULT_ROLLOUT_TIMEOUT_SECONDS): pulumi.CustomTimeouts {
  return { create: `${seconds}s`, update: `${seconds}s` };
}

/** The app's one container: envFrom in precedence order, probes on the named port, hardened. */
function appContainer(name: string, args: AppDeploymentArgs): inputs.core.v1.Container {
  const port = args.port ?? DEFAULT_PORT;
  const probes = args.probes ?? {
    readinessPath: DEFAULT_HEALTH_PATH,
    livenessPath: DEFAULT_HEALTH_PATH,
  };
  return {
    name,
    image: args.image,
    ports: [{ name: "http", containerPort: port, protocol: "TCP" }],
    // Order matters: on a duplicate key the later source wins, so the Secret
    // (layer 3) beats the ConfigMap (layers 1 and 2).
    envFrom: [
      { configMapRef: { name: args.configMapName } },
      { secretRef: { name: args.secretName } },
    ],
    // `env` beats every envFrom source, so it carries only what is in neither.
    env: fieldEnvVars(args.fieldEnv ?? {}),
    resources: args.resources ?? DEFAULT_RESOURCES,
    readinessProbe: {
      httpGet: { path: probes.readinessPath, port: "http" },
      periodSeconds: 5,
      failureThreshold: 3,
    },
    livenessProbe: {
      httpGet: { path: probes.livenessPath, port: "http" },
      initialDelaySeconds: 10,
      periodSeconds: 10,
      failureThreshold: 3,
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    },
    // A read-only root filesystem still needs somewhere to write temporary files.
    volumeMounts: [
      { name: "tmp", mountPath: "/tmp" },
      // The whole volume at a directory, never a `subPath`: a subPath mount is the file as it was
      // when the container started, and "does not receive automated Secret updates"
      // (kubernetes.io/docs/concepts/configuration/secret/).
      ...(args.fileMounts ?? []).map((m) => ({
        name: m.volumeName,
        mountPath: m.mountPath,
        readOnly: true,
      })),
    ],
  };
}

function fieldEnvVars(
  fieldEnv: Readonly<Record<string, string>>,
): inputs.core.v1.EnvVar[] | undefined {
  const names = Object.keys(fieldEnv).sort();
  return names.length === 0
    ? undefined
    : names.map((envName) => ({
        name: envName,
        valueFrom: { fieldRef: { fieldPath: fieldEnv[envName] } },
      }));
}

/** A secret volume per file set, each file 0440 (lib/secretFiles.ts, FILE_MODE: why). */
function fileVolumes(mounts: readonly FileMount[]): inputs.core.v1.Volume[] {
  return mounts.map((m) => ({
    name: m.volumeName,
    secret: { secretName: m.secretName, defaultMode: FILE_MODE },
  }));
}

/** The pod template's checksums: config and secret (unless left out), and file sets that ask. */
function templateAnnotations(
  args: AppDeploymentArgs,
): Record<string, pulumi.Input<string>> | undefined {
  const fileChecksums = Object.fromEntries(
    (args.fileMounts ?? []).flatMap((m) =>
      m.checksum ? [[m.checksum.annotation, m.checksum.value]] : [],
    ),
  );
  return args.checksums || Object.keys(fileChecksums).length > 0
    ? {
        ...(args.checksums
          ? {
              [CONFIG_CHECKSUM_ANNOTATION]: args.checksums.config,
              [SECRET_CHECKSUM_ANNOTATION]: args.checksums.secret,
            }
          : {}),
        ...fileChecksums,
      }
    : undefined;
}

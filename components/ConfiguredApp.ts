import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_PORT, ProbePaths, ResourceSettings, programDefaults } from "../lib/defaults";
import { planEnvironment } from "../lib/envLayers";
import { parseImageReference } from "../lib/imageReference";
import { isLabelValue } from "../lib/names";
import { envConflictArgumentProblems } from "../lib/componentArgs";
import { throwIfProblems } from "../lib/problems";
import { GeneratedSecret, generatedVariableNames } from "../lib/generatedSecrets";
import { AppConfig } from "./AppConfig";
import { AppDeployment, AppDeploymentArgs, FileMount } from "./AppDeployment";
import { AppSecret } from "./AppSecret";
import { FileSetArgs, mountFileSets } from "./SecretFileSet";
import {
  DockerConfigDocument,
  DocrCredentials,
  RegistryLogin,
  RegistryPullSecret,
} from "./RegistryPullSecret";

/** Where the image comes from and how the kubelet logs in there. */
export interface RegistryArgs {
  /** Registry host, e.g. `ghcr.io`. */
  readonly server: string;
  /** Name of the pull secret, e.g. `ghcr-secret`. */
  readonly secretName: string;
  /** A login, a ready dockerconfig document, or DigitalOcean registry credentials to create. */
  readonly credentials: RegistryLogin | DockerConfigDocument | DocrCredentials;
}

export interface ConfiguredAppArgs {
  /** Namespace for every object of the app. */
  readonly namespace: pulumi.Input<string>;
  /** Image reference, pinned to a tag or digest. */
  readonly image: string;
  /** Number of pods. @default 1 */
  readonly replicas?: number;
  /** Port the app listens on; passed to it as `PORT`. @default 8080 */
  readonly port?: number;
  /** Non-secret settings (layer 2), over the program defaults. @default {} */
  readonly config?: Readonly<Record<string, string>>;
  /** Secret settings (layer 3) by name; values are kept secret. */
  readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
  /** Secrets the app's Secret component makes (layer 3 too), by name. @default {} */
  readonly generatedSecrets?: Readonly<Record<string, GeneratedSecret>>;
  /** Secrets delivered as files, each set its own Secret mounted read-only. @default none */
  readonly secretFiles?: readonly FileSetArgs[];
  /** Private registry credentials. @default none: a public image, no pull secret */
  readonly registry?: RegistryArgs;
  /** Roll the pods when config or secret data changes. @default true */
  readonly restartOnChange?: boolean;
  /** Wait for the Deployment's rollout to finish before the update succeeds. @default true */
  readonly awaitRollout?: boolean;
  /** How long to wait for that rollout before the update fails. @default 300 */
  readonly rolloutTimeoutSeconds?: number;
  /**
   * Labels that select the pods. Kubernetes never changes a Deployment's selector, so a change
   * replaces it: set this only to take over a Deployment made elsewhere, with its selector.
   * @default app.kubernetes.io/name and app.kubernetes.io/instance, both the component's name
   */
  readonly selectorLabels?: Readonly<Record<string, string>>;
  /** Downward API variables, name → fieldPath. @default {} */
  readonly fieldEnv?: Readonly<Record<string, string>>;
  /** Container resources. @default see AppDeployment */
  readonly resources?: ResourceSettings;
  /** Probe paths. @default /healthz for both */
  readonly probes?: ProbePaths;
}

/**
 * The Task API's four objects modelled together: ConfigMap, Secret, pull secret and the Deployment
 * that consumes them, with the env layers checked as a whole before anything is created.
 */
export class ConfiguredApp extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly deploymentName: pulumi.Output<string>;
  public readonly configMapName: pulumi.Output<string>;
  public readonly secretName: pulumi.Output<string>;
  /** Name of the pull secret; undefined for a public image. */
  public readonly pullSecretName: pulumi.Output<string | undefined>;
  /** `checksum/config` of the pod template. */
  public readonly configChecksum: pulumi.Output<string>;
  /** `checksum/secret` of the pod template (an HMAC; not secret, reveals nothing). */
  public readonly secretChecksum: pulumi.Output<string>;

  constructor(name: string, args: ConfiguredAppArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before `super`, so that bad input registers nothing, not even this component.
    checkEnvironment(name, args);
    super("task-api:k8s:ConfiguredApp", name, {}, opts);

    const selectorLabels = args.selectorLabels ?? defaultSelectorLabels(name);
    const labels = { ...selectorLabels, "app.kubernetes.io/managed-by": "pulumi" };
    const childOpts = { parent: this };

    const appConfig = new AppConfig(
      `${name}-config`,
      {
        namespace: args.namespace,
        settings: args.config ?? {},
        defaults: programDefaults(args.port ?? DEFAULT_PORT),
        overriddenKeys: [...secretNames(args), ...Object.keys(args.fieldEnv ?? {})],
        labels,
      },
      childOpts,
    );
    const appSecret = new AppSecret(
      `${name}-secrets`,
      {
        namespace: args.namespace,
        data: args.secrets,
        generated: args.generatedSecrets,
        labels,
      },
      childOpts,
    );
    const pullSecret = pullSecretOf(name, args, labels, this);
    const fileMounts = mountFileSets(
      name,
      args.secretFiles ?? [],
      { namespace: args.namespace, checksumKey: appSecret.checksumKey, labels },
      this,
    );
    const deployment = new AppDeployment(
      name,
      deploymentArgs(
        args,
        { appConfig, appSecret, pullSecret, fileMounts },
        selectorLabels,
        labels,
      ),
      childOpts,
    );

    this.namespace = pulumi.output(args.namespace);
    this.deploymentName = deployment.deploymentName;
    this.configMapName = appConfig.configMapName;
    this.secretName = appSecret.secretName;
    this.pullSecretName = pullSecret ? pullSecret.secretName : pulumi.output(undefined);
    this.configChecksum = appConfig.checksum;
    this.secretChecksum = appSecret.checksum;
    this.registerOutputs({
      namespace: this.namespace,
      deploymentName: this.deploymentName,
      configMapName: this.configMapName,
      secretName: this.secretName,
      pullSecretName: this.pullSecretName,
      configChecksum: this.configChecksum,
      secretChecksum: this.secretChecksum,
    });
  }
}

/** The env layers as a whole: a name set in two layers where neither is meant to win is refused. */
function checkEnvironment(name: string, args: ConfiguredAppArgs): void {
  const generated = args.generatedSecrets ?? {};
  const plan = planEnvironment({
    defaults: programDefaults(args.port ?? DEFAULT_PORT),
    config: args.config ?? {},
    secretKeys: secretNames(args),
    explicitEnv: Object.keys(args.fieldEnv ?? {}),
  });
  throwIfProblems(
    envConflictArgumentProblems(plan, Object.keys(args.secrets), generated),
    `the environment of "${name}"`,
  );
}

/** Every key of the app's Secret: the typed secrets and the generated ones, each once. */
function secretNames(args: ConfiguredAppArgs): string[] {
  return [
    ...new Set([
      ...Object.keys(args.secrets),
      ...generatedVariableNames(args.generatedSecrets ?? {}),
    ]),
  ];
}

/** The program's own pod selector (ConfiguredAppArgs.selectorLabels). */
function defaultSelectorLabels(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": name };
}

/** The image pull secret for a private registry; none for a public image. */
function pullSecretOf(
  name: string,
  args: ConfiguredAppArgs,
  labels: Readonly<Record<string, string>>,
  parent: pulumi.Resource,
): RegistryPullSecret | undefined {
  if (!args.registry) {
    return undefined;
  }
  const { server, credentials, secretName } = args.registry;
  return new RegistryPullSecret(
    `${name}-pull-secret`,
    { namespace: args.namespace, server, credentials, secretName, labels },
    { parent },
  );
}

/** The Deployment's arguments: the app's settings and the names and checksums of its objects. */
function deploymentArgs(
  args: ConfiguredAppArgs,
  objects: {
    readonly appConfig: AppConfig;
    readonly appSecret: AppSecret;
    readonly pullSecret?: RegistryPullSecret;
    readonly fileMounts: readonly FileMount[];
  },
  selectorLabels: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): AppDeploymentArgs {
  const { appConfig, appSecret, pullSecret, fileMounts } = objects;
  const tag = parseImageReference(args.image)?.tag;
  return {
    namespace: args.namespace,
    image: args.image,
    replicas: args.replicas,
    port: args.port ?? DEFAULT_PORT,
    configMapName: appConfig.configMapName,
    secretName: appSecret.secretName,
    pullSecretName: pullSecret?.secretName,
    fileMounts,
    checksums:
      (args.restartOnChange ?? true)
        ? { config: appConfig.checksum, secret: appSecret.checksum }
        : undefined,
    awaitRollout: args.awaitRollout,
    rolloutTimeoutSeconds: args.rolloutTimeoutSeconds,
    fieldEnv: args.fieldEnv ?? {},
    resources: args.resources,
    probes: args.probes,
    selectorLabels,
    labels: tag && isLabelValue(tag) ? { ...labels, "app.kubernetes.io/version": tag } : labels,
  };
}

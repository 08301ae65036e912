import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { configChecksum } from "../lib/checksum";
import { planEnvironment } from "../lib/envLayers";
import { envDataProblems } from "../lib/componentArgs";
import { throwIfProblems } from "../lib/problems";
import { OWNED_OBJECT_ANNOTATIONS } from "../lib/ownership";

export interface AppConfigArgs {
  /** Namespace the ConfigMap lives in. */
  readonly namespace: pulumi.Input<string>;
  /** The stack's non-secret settings (layer 2); they win over `defaults`. */
  readonly settings: Readonly<Record<string, string>>;
  /** Program defaults (layer 1), kept in the ConfigMap so that the stack can override them. @default {} */
  readonly defaults?: Readonly<Record<string, string>>;
  /** Names the Secret or an explicit env entry sets; a default with such a name is dropped. @default [] */
  readonly overriddenKeys?: readonly string[];
  /** Name of the ConfigMap. @default the component's name, e.g. `task-api-config` */
  readonly configMapName?: string;
  /** Labels of the ConfigMap. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The app's non-secret settings as a ConfigMap, consumed first in the Deployment's `envFrom`.
 * Refuses data Kubernetes would refuse or the container would get altered (lib/componentArgs.ts);
 * that no setting is a credential is the stack's check (lib/config/appConfig.ts, configProblems)
 * and the policy pack's (policy/), a ConfigMap being plaintext to every namespace reader.
 */
export class AppConfig extends pulumi.ComponentResource {
  /** Name of the ConfigMap. */
  public readonly configMapName: pulumi.Output<string>;
  /** SHA-256 of the ConfigMap's canonical data; changes exactly when the data does. */
  public readonly checksum: pulumi.Output<string>;
  /** The ConfigMap's data: defaults not overridden, then the stack's settings. */
  public readonly data: Readonly<Record<string, string>>;

  constructor(name: string, args: AppConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before `super`, so that bad input registers nothing, not even this component.
    const plan = planEnvironment({
      defaults: args.defaults ?? {},
      config: args.settings,
      secretKeys: args.overriddenKeys ?? [],
      explicitEnv: [],
    });
    throwIfProblems(
      envDataProblems(plan.configMapData, "args.settings"),
      `the ConfigMap "${args.configMapName ?? name}"`,
    );
    super("task-api:k8s:AppConfig", name, {}, opts);
    this.data = plan.configMapData;

    const configMap = new corev1.ConfigMap(
      name,
      {
        metadata: {
          name: args.configMapName ?? name,
          namespace: args.namespace,
          labels: { ...args.labels },
          annotations: { ...OWNED_OBJECT_ANNOTATIONS },
        },
        data: this.data,
      },
      { parent: this },
    );

    this.configMapName = configMap.metadata.name;
    this.checksum = pulumi.output(configChecksum(this.data));
    this.registerOutputs({
      configMapName: this.configMapName,
      checksum: this.checksum,
      data: this.data,
    });
  }
}

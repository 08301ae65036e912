// What the program gets from its stack config: the raw strings the engine passes (RawStackConfig)
// and the typed, checked settings made from them (StackSettings).

import * as pulumi from "@pulumi/pulumi";
import { ProbePaths, ResourceSettings } from "../defaults";
import { GeneratedSecret } from "../generatedSecrets";
import { CertificateFacts, SecretFileSet } from "../secretFiles";
import { ConfigName } from "./keys";

/** Where a DigitalOcean API token is, if anywhere; never the token itself. */
export interface DigitalOceanToken {
  /** DIGITALOCEAN_TOKEN or DIGITALOCEAN_ACCESS_TOKEN is set (and not empty). */
  readonly environment: boolean;
  /** How the stack holds `digitalocean:token`. */
  readonly stack: "secret" | "plaintext" | "missing";
}

/** What the engine passed: raw strings by key, and which keys it received as secret. */
export interface RawStackConfig {
  readonly stack: string;
  readonly values: Readonly<Partial<Record<ConfigName, string>>>;
  readonly isSecret: (name: ConfigName) => boolean;
  /** Needed only for DOKS clusters and DOCR registries. @default none anywhere */
  readonly digitalOceanToken?: DigitalOceanToken;
  /**
   * Names under `secrets` that the stack file holds in plaintext. The engine marks the whole
   * object secret when any one leaf is encrypted, so only the stack file tells. @default []
   */
  readonly plaintextSecretNames?: readonly string[];
  /**
   * Paths under `secretFileContents` (SET.FILE) that the stack file holds in plaintext, beside
   * encrypted ones (see plaintextSecretNames). @default []
   */
  readonly plaintextFileContents?: readonly string[];
  /** The time certificates are checked at. @default now */
  readonly now?: Date;
}

export type RegistrySettings =
  | {
      /** GHCR or any registry with a user name and a token. */
      readonly kind: "token";
      readonly server: string;
      readonly username: string;
      readonly token: pulumi.Output<string>;
      readonly secretName: string;
    }
  | {
      /** DigitalOcean Container Registry: read-only credentials are created by the program. */
      readonly kind: "docr";
      readonly server: string;
      readonly registryName: string;
      readonly expirySeconds: number;
      readonly secretName: string;
    };

export type ClusterSettings =
  | { readonly kind: "kubeconfig"; readonly context?: string }
  | { readonly kind: "doks"; readonly clusterName: string };

/** A file set with its contents (secret Outputs) and, for TLS, its certificate's facts. */
export interface SecretFileSetSettings extends SecretFileSet {
  readonly contents: Readonly<Record<string, pulumi.Output<string>>>;
  readonly certificate?: CertificateFacts;
}

export interface StackSettings {
  readonly stack: string;
  readonly appName: string;
  readonly image: string;
  readonly namespace: string;
  readonly createNamespace: boolean;
  readonly replicas: number;
  readonly port: number;
  /** Non-secret settings for the ConfigMap, values as strings. */
  readonly config: Record<string, string>;
  readonly nonSecretConfigKeys: readonly string[];
  /** Secret settings: names in the clear, values as secret Outputs. */
  readonly secrets: Record<string, pulumi.Output<string>>;
  /** Secrets the program makes (RandomPassword), by name; never typed, never in config. */
  readonly generatedSecrets: Readonly<Record<string, GeneratedSecret>>;
  /** Secrets delivered as files: each set its own Secret, mounted read-only. */
  readonly secretFiles: readonly SecretFileSetSettings[];
  /** Nothing wrong yet, but soon (a certificate about to expire): logged, not refused. */
  readonly warnings: readonly string[];
  readonly registry?: RegistrySettings;
  readonly restartOnChange: boolean;
  /** Wait for the Deployment's rollout before `pulumi up` succeeds. */
  readonly awaitRollout: boolean;
  /** How long the provider waits for that rollout before `pulumi up` fails. */
  readonly rolloutTimeoutSeconds: number;
  /** Take over objects that already exist under the same names (the provider's upsert). */
  readonly adoptExisting: boolean;
  /** The Deployment's selector, when not the program's own (a Deployment taken over). */
  readonly selectorLabels?: Readonly<Record<string, string>>;
  readonly cluster: ClusterSettings;
  readonly resources: ResourceSettings;
  readonly probes: ProbePaths;
  /** Downward API variables: name → fieldPath, e.g. `POD_NAME: metadata.name`. */
  readonly fieldEnv: Record<string, string>;
}

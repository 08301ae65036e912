// Turns the raw config the engine hands the program (strings; objects and lists as JSON) into typed
// settings, checking everything at once. Each key family's module (keys.ts, KEYS, says which)
// holds its keys' readers, its rules and their fix commands; crossKey.ts holds the rules of no one
// family. Every problem goes to one ConfigReader (reader.ts): the readers record theirs as they
// read, then reportRules hands it each rule's. Secret values leave this module only as secret
// Outputs.

import * as pulumi from "@pulumi/pulumi";
import { programDefaults } from "../defaults";
import { planEnvironment } from "../envLayers";
import { digitalOceanTokenProblems, readCluster } from "./cluster";
import { imageProblems, readImage } from "./image";
import {
  nameProblems,
  namespaceProblems,
  readAppName,
  readCreateNamespace,
  readNamespace,
} from "./namespace";
import { plaintextOnlyProblems } from "./plaintextOnlyKeys";
import { configMapSizeProblems, envConflictProblems, portProblems } from "./crossKey";
import { misplacedCredentialProblems, scanPlaintextLeaves } from "./credentialChecks";
import {
  generatedVariablePaths,
  readGeneratedSecrets,
  typedAndGeneratedProblems,
} from "./generatedSecretsKey";
import { warningWithoutGuardedValues, withoutGuardedValues } from "./encryptedValues";
import { ConfigName } from "./keys";
import { readSecretFileContents } from "./secretFileContents";
import { readSecretFileSets } from "./secretFilesKey";
import { throwIfProblems } from "../problems";
import { ConfigReader } from "./reader";
import { readRegistry } from "./registry";
import {
  fieldEnvDefaultProblems,
  readAdoptExisting,
  readAwaitRollout,
  readFieldEnv,
  readPort,
  readProbes,
  readReplicas,
  readResources,
  readRestartOnChange,
  readRolloutTimeoutSeconds,
  resourceProblems,
  rolloutTimeoutProblems,
} from "./workload";
import { configProblems, readAppConfig, readNonSecretConfigKeys } from "./appConfig";
import {
  readOptionalSecrets,
  readSecretValues,
  readRequiredSecrets,
  secretProblems,
} from "./secrets";
import { readSelectorLabels } from "./labels";
import { RawStackConfig, StackSettings } from "./settings";

/** Reads and checks the whole stack config; throws `InvalidConfigError` listing every problem. */
export function readStackSettings(raw: RawStackConfig): StackSettings {
  // One trip to the credential detector for every plaintext value, before the checks ask.
  scanPlaintextLeaves(raw);
  const reader = new ConfigReader(raw);
  const sections = readSections(reader);
  reportRules(reader, sections);
  const { settings } = sections;
  throwIfProblems(withoutGuardedValues(reader.problems, raw), `the config of stack "${raw.stack}"`);
  return {
    ...settings,
    warnings: settings.warnings.map((warning) => warningWithoutGuardedValues(warning, raw)),
  };
}

interface Sections {
  readonly settings: StackSettings;
  /** The secrets' values, for the rules only; `settings.secrets` holds them as secret Outputs. */
  readonly secretValues: Record<string, string>;
  readonly requiredSecrets: readonly string[];
  readonly optionalSecrets: readonly string[];
}

/** Every key read and typed by its family's module, in the order their problems are listed. */
function readSections(reader: ConfigReader): Sections {
  const { stack } = reader;
  const appName = readAppName(reader);
  const image = readImage(reader);
  const namespace = readNamespace(reader, appName);
  const createNamespace = readCreateNamespace(reader);
  const replicas = readReplicas(reader);
  const port = readPort(reader);
  const config = readAppConfig(reader);
  const nonSecretConfigKeys = readNonSecretConfigKeys(reader);
  const requiredSecrets = readRequiredSecrets(reader);
  const optionalSecrets = readOptionalSecrets(reader);
  const secretValues = readSecretValues(reader);
  const generatedSecrets = readGeneratedSecrets(reader);
  const warnings: string[] = [];
  const secretFiles = readSecretFileContents(
    reader,
    readSecretFileSets(reader),
    warnings,
    reader.raw.now ?? new Date(),
  );
  const settings: StackSettings = {
    stack,
    appName,
    image,
    namespace,
    createNamespace,
    replicas,
    port,
    config,
    nonSecretConfigKeys,
    // Each value becomes a secret Output here, the only place plaintext secrets are held.
    secrets: Object.fromEntries(
      Object.entries(secretValues).map(([name, value]) => [name, pulumi.secret(value)]),
    ),
    generatedSecrets,
    secretFiles,
    warnings,
    restartOnChange: readRestartOnChange(reader),
    awaitRollout: readAwaitRollout(reader),
    rolloutTimeoutSeconds: readRolloutTimeoutSeconds(reader),
    adoptExisting: readAdoptExisting(reader),
    selectorLabels: readSelectorLabels(reader),
    fieldEnv: readFieldEnv(reader),
    registry: readRegistry(reader),
    cluster: readCluster(reader),
    resources: readResources(reader),
    probes: readProbes(reader),
  };
  return { settings, secretValues, requiredSecrets, optionalSecrets };
}

/**
 * The rules, run after every key was read: each a function over what the readers returned (or the
 * raw config) that returns its problems, handed to the reader in the order they are listed.
 */
function reportRules(reader: ConfigReader, sections: Sections): void {
  const { raw, stack } = reader;
  const { settings, secretValues, requiredSecrets, optionalSecrets } = sections;
  const { appName, image, namespace, config, fieldEnv, registry, cluster } = settings;
  const generatedPaths = generatedVariablePaths(settings.generatedSecrets);
  const generatedNames = Object.keys(generatedPaths);
  const plan = planEnvironment({
    defaults: programDefaults(settings.port),
    config,
    secretKeys: [...new Set([...Object.keys(secretValues), ...generatedNames])],
    explicitEnv: Object.keys(fieldEnv),
  });
  reader.report(...configProblems(config, settings.nonSecretConfigKeys, stack, optionalSecrets));
  reader.report(...secretProblems(secretValues, requiredSecrets, optionalSecrets, stack));
  reader.report(
    ...typedAndGeneratedProblems(Object.keys(secretValues), settings.generatedSecrets, stack),
  );
  reader.report(...envConflictProblems(plan, stack, generatedPaths));
  reader.report(...configMapSizeProblems(plan.configMapData));
  reader.report(...portProblems(config, secretValues, stack));
  // A name config or secrets set too is reported as a conflict above.
  reader.report(
    ...fieldEnvDefaultProblems(
      Object.keys(fieldEnv).filter((name) => !Object.hasOwn({ ...config, ...secretValues }, name)),
      programDefaults(settings.port),
      stack,
    ),
  );
  reader.report(...resourceProblems(settings.resources, stack));
  reader.report(
    ...rolloutTimeoutProblems(settings.awaitRollout, settings.rolloutTimeoutSeconds, stack),
  );
  reader.report(...plaintextOnlyProblems(raw));
  reader.report(...misplacedCredentialProblems(raw));
  reader.report(
    ...digitalOceanTokenProblems(
      raw.digitalOceanToken ?? { environment: false, stack: "missing" },
      cluster,
      registry,
      raw,
    ),
  );
  // The rules below quote values. A key that arrived encrypted is refused above already, and its
  // decrypted value must not be quoted, so those rules wait until it is stored in plaintext.
  const encrypted = (...names: ConfigName[]) => names.some((name) => raw.isSecret(name));
  if (!encrypted("appName", "namespace", "registry")) {
    reader.report(...nameProblems(appName, namespace, registry, stack));
    reader.report(...namespaceProblems(namespace, settings.createNamespace, appName, stack));
  }
  // An image that is missing or blank is reported as required already, and is "" here.
  if (image !== "" && !encrypted("image", "registry")) {
    reader.report(...imageProblems(image, registry, stack));
  }
}

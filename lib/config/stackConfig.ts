// Turns the raw config the engine hands the program (strings; objects and lists as JSON) into typed
// settings, checking everything at once. Each key family's module reads its keys and holds their
// rules and fix commands (keys.ts, KEYS, says which); the rules across families are crossKey.ts's.
// Every problem is collected by one ConfigReader (reader.ts). Secret values leave this module only
// as secret Outputs.

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
import { Problem, throwIfProblems } from "../problems";
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
import { configProblems, readConfig, readNonSecretConfigKeys } from "./appConfig";
import {
  readOptionalSecrets,
  readPlainSecrets,
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
  const { settings, plainSecrets, requiredSecrets, optionalSecrets } = readSections(reader);
  reader.report(...crossKeyProblems(raw, settings, plainSecrets, requiredSecrets, optionalSecrets));
  throwIfProblems(withoutGuardedValues(reader.problems, raw), `the config of stack "${raw.stack}"`);
  return {
    ...settings,
    warnings: settings.warnings.map((warning) => warningWithoutGuardedValues(warning, raw)),
  };
}

interface Sections {
  readonly settings: StackSettings;
  /** The secrets in plaintext, for the checks only; `settings.secrets` holds them as Outputs. */
  readonly plainSecrets: Record<string, string>;
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
  const config = readConfig(reader);
  const nonSecretConfigKeys = readNonSecretConfigKeys(reader);
  const requiredSecrets = readRequiredSecrets(reader);
  const optionalSecrets = readOptionalSecrets(reader);
  const plainSecrets = readPlainSecrets(reader);
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
      Object.entries(plainSecrets).map(([name, value]) => [name, pulumi.secret(value)]),
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
  return { settings, plainSecrets, requiredSecrets, optionalSecrets };
}

/** The checks that need several keys at once, run after every key was read. */
function crossKeyProblems(
  raw: RawStackConfig,
  settings: StackSettings,
  plainSecrets: Readonly<Record<string, string>>,
  requiredSecrets: readonly string[],
  optionalSecrets: readonly string[],
): Problem[] {
  const { stack, appName, image, namespace, config, fieldEnv, registry, cluster } = settings;
  const generatedPaths = generatedVariablePaths(settings.generatedSecrets);
  const generatedNames = Object.keys(generatedPaths);
  const plan = planEnvironment({
    defaults: programDefaults(settings.port),
    config,
    secretKeys: [...new Set([...Object.keys(plainSecrets), ...generatedNames])],
    explicitEnv: Object.keys(fieldEnv),
  });
  const problems = [
    ...configProblems(config, settings.nonSecretConfigKeys, stack, optionalSecrets),
    ...secretProblems(plainSecrets, requiredSecrets, optionalSecrets, stack),
    ...typedAndGeneratedProblems(Object.keys(plainSecrets), settings.generatedSecrets, stack),
    ...envConflictProblems(plan, stack, generatedPaths),
    ...configMapSizeProblems(plan.configMapData),
    ...portProblems(config, plainSecrets, stack),
    // A name config or secrets set too is reported as a conflict above.
    ...fieldEnvDefaultProblems(
      Object.keys(fieldEnv).filter((name) => !Object.hasOwn({ ...config, ...plainSecrets }, name)),
      programDefaults(settings.port),
      stack,
    ),
    ...resourceProblems(settings.resources, stack),
    ...rolloutTimeoutProblems(settings.awaitRollout, settings.rolloutTimeoutSeconds, stack),
    ...plaintextOnlyProblems(raw),
    ...misplacedCredentialProblems(raw),
    ...digitalOceanTokenProblems(
      raw.digitalOceanToken ?? { environment: false, stack: "missing" },
      cluster,
      registry,
      raw,
    ),
  ];
  // The checks below quote values. A key that arrived encrypted is refused above already, and its
  // decrypted value must not be quoted, so those checks wait until it is stored in plaintext.
  const encrypted = (...names: ConfigName[]) => names.some((name) => raw.isSecret(name));
  if (!encrypted("appName", "namespace", "registry")) {
    problems.push(...nameProblems(appName, namespace, registry, stack));
    problems.push(...namespaceProblems(namespace, settings.createNamespace, appName, stack));
  }
  // An image that is missing or blank is reported as required already, and is "" here.
  if (image !== "" && !encrypted("image", "registry")) {
    problems.push(...imageProblems(image, registry, stack));
  }
  return problems;
}

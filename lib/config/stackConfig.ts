// Turns the raw config the engine hands the program (strings; objects and lists as JSON) into typed
// settings, checking everything at once. Secret values leave this module only as secret Outputs.
// The parts: generic typed reading (reader.ts), the sections (sections.ts, registry.ts), the checks
// across keys (checks.ts, validation.ts) and the fix commands they print (commands.ts).

import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_APP_NAME,
  DEFAULT_PORT,
  DEFAULT_ROLLOUT_TIMEOUT_SECONDS,
  MAX_ROLLOUT_TIMEOUT_SECONDS,
  MIN_ROLLOUT_TIMEOUT_SECONDS,
  programDefaults,
} from "../defaults";
import { planEnvironment } from "../envLayers";
import { digitalOceanTokenProblems, readCluster } from "./cluster";
import { imageProblems, missingImageProblem } from "./image";
import { missingNamespaceProblem, nameProblems, namespaceProblems } from "./namespace";
import { plaintextOnlyProblems } from "./plaintextOnlyKeys";
import { configMapSizeProblems, envConflictProblems, portProblems } from "./crossKey";
import { misplacedCredentialProblems, scanPlaintextLeaves } from "./credentialChecks";
import {
  generatedVariablePaths,
  readGeneratedSecrets,
  typedAndGeneratedProblems,
} from "./generatedSecretsKey";
import { warningWithoutGuardedValues, withoutGuardedValues } from "./encryptedValues";
import { ConfigName, KEYS } from "./keys";
import { readSecretFileContents } from "./secretFileContents";
import { readSecretFileSets } from "./secretFilesKey";
import { Problem, throwIfProblems } from "../problems";
import { ConfigReader } from "./reader";
import { readRegistry } from "./registry";
import {
  fieldEnvDefaultProblems,
  readFieldEnv,
  readProbes,
  readResources,
  resourceProblems,
  rolloutTimeoutProblems,
} from "./workload";
import { configProblems, readScalarMap } from "./appConfig";
import { readSecretStringMap, secretProblems } from "./secrets";
import { readLabels } from "./labels";
import { RawStackConfig, StackSettings } from "./settings";

/** Reads and checks the whole stack config; throws `InvalidConfigError` listing every problem. */
export function readStackSettings(raw: RawStackConfig): StackSettings {
  // One trip to the credential detector for every plaintext value, before the checks ask.
  scanPlaintextLeaves(raw);
  const problems: Problem[] = [];
  const { settings, plainSecrets, requiredSecrets, optionalSecrets } = readSections(raw, problems);
  problems.push(...crossKeyProblems(raw, settings, plainSecrets, requiredSecrets, optionalSecrets));
  throwIfProblems(withoutGuardedValues(problems, raw), `the config of stack "${raw.stack}"`);
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

/** Every key read and typed, in the order their problems are listed. */
function readSections(raw: RawStackConfig, problems: Problem[]): Sections {
  const { stack } = raw;
  const reader = new ConfigReader(raw, problems);
  const appName = reader.string("appName") ?? DEFAULT_APP_NAME;
  const image = reader.string("image");
  if (image === undefined) {
    problems.push(missingImageProblem(stack));
  }
  const namespace = reader.string("namespace") ?? "";
  if (raw.values.namespace === undefined) {
    // The suggestion is made from the app name, which is not quoted when it arrived encrypted.
    problems.push(missingNamespaceProblem(raw.isSecret("appName") ? undefined : appName, stack));
  }
  const createNamespace = reader.boolean("createNamespace") ?? KEYS.createNamespace.default;
  const replicas = reader.integer("replicas", 0, 1000, 1) ?? KEYS.replicas.default;
  const port = reader.integer("port", 1, 65535, DEFAULT_PORT) ?? DEFAULT_PORT;
  const config = readScalarMap(reader, "config") ?? {};
  const nonSecretConfigKeys = reader.stringList("nonSecretConfigKeys") ?? [];
  const requiredSecrets = reader.stringList("requiredSecrets") ?? [];
  const optionalSecrets = reader.stringList("optionalSecrets") ?? [];
  const plainSecrets = readSecretStringMap(reader, "secrets") ?? {};
  const generatedSecrets = readGeneratedSecrets(reader);
  const warnings: string[] = [];
  const secretFiles = readSecretFileContents(
    reader,
    readSecretFileSets(reader),
    warnings,
    raw.now ?? new Date(),
  );
  const settings: StackSettings = {
    stack,
    appName,
    image: image ?? "",
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
    restartOnChange: reader.boolean("restartOnChange") ?? KEYS.restartOnChange.default,
    awaitRollout: reader.boolean("awaitRollout") ?? KEYS.awaitRollout.default,
    rolloutTimeoutSeconds:
      reader.integer(
        "rolloutTimeoutSeconds",
        MIN_ROLLOUT_TIMEOUT_SECONDS,
        MAX_ROLLOUT_TIMEOUT_SECONDS,
        DEFAULT_ROLLOUT_TIMEOUT_SECONDS,
      ) ?? DEFAULT_ROLLOUT_TIMEOUT_SECONDS,
    adoptExisting: reader.boolean("adoptExisting") ?? KEYS.adoptExisting.default,
    selectorLabels: readLabels(reader, "selectorLabels"),
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

// The components' own checks of their arguments, named after the arguments (`args.settings.X`),
// as pulumi-awsx's components check theirs. index.ts hands the components settings that passed
// every check of the stack (lib/config), which name config keys and the commands that fix them;
// these guard a component used on its own against what Kubernetes would refuse or silently get
// wrong. Exported and tested directly (tests/lib/componentArgs.test.ts).

import { EnvPlan } from "./envLayers";
import { generatedVariableNames, GeneratedSecret } from "./generatedSecrets";
import { envKeyProblem } from "./names";
import { MAX_DATA_BYTES, dataSize, isWellFormedText } from "./objectData";
import { Problem } from "./problems";

/**
 * Problems of data that becomes a ConfigMap's or Secret's and reaches the container through
 * envFrom: each name a variable name, each value text that arrives unaltered, all within the size
 * of one object. `argument` names the data in messages, e.g. `args.settings`.
 */
export function envDataProblems(
  data: Readonly<Record<string, string>>,
  argument: string,
): Problem[] {
  const problems: Problem[] = [];
  for (const [name, value] of Object.entries(data)) {
    const key = `${argument}.${name}`;
    const nameProblem = envKeyProblem(name);
    if (nameProblem) {
      problems.push({ key, message: nameProblem });
    }
    if (value.includes("\0")) {
      problems.push({
        key,
        message: "the value contains a NUL byte, which makes the container fail to start",
      });
    }
    if (!isWellFormedText(value)) {
      problems.push({
        key,
        message:
          "the value is not valid Unicode (a lone surrogate), and would reach the app altered",
      });
    }
  }
  const size = dataSize(data);
  if (size > MAX_DATA_BYTES) {
    problems.push({
      key: argument,
      message: `the data adds up to ${size} bytes; a ConfigMap or Secret holds at most ${MAX_DATA_BYTES}`,
    });
  }
  return problems;
}

/**
 * Names that two of ConfiguredApp's arguments both set where neither is meant to win (envLayers.ts):
 * a typed and a generated secret, a setting and a secret, or an explicit env entry over either.
 */
export function envConflictArgumentProblems(
  plan: EnvPlan,
  typedSecrets: readonly string[],
  generatedSecrets: Readonly<Record<string, GeneratedSecret>>,
): Problem[] {
  const generated = generatedVariableNames(generatedSecrets);
  const secretArgument = (name: string) =>
    generated.includes(name) ? `args.generatedSecrets.${name}` : `args.secrets.${name}`;
  const typedAndGenerated = typedSecrets
    .filter((name) => generated.includes(name))
    .map((name) => ({
      key: `args.secrets.${name} and args.generatedSecrets.${name}`,
      message: `"${name}" is both a typed and a generated secret. Keep one`,
    }));
  const layers = plan.conflicts.map(({ name, sources }) =>
    sources.includes("config") && sources.includes("secret")
      ? {
          key: `args.config.${name} and ${secretArgument(name)}`,
          message: `"${name}" is set both as a setting and as a secret, so it is unclear which is meant (the Secret would win). Keep one`,
        }
      : {
          key: `args.fieldEnv.${name}`,
          message:
            `the explicit env entry "${name}" would silently shadow the value from ` +
            `${sources.filter((s) => s !== "env").join(" and ")} (in Kubernetes, env beats ` +
            `envFrom). Rename one of them`,
        },
  );
  return [...typedAndGenerated, ...layers];
}

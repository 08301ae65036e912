// The search for secrets in everything Pulumi wrote or printed for a stack: the backend's files
// (state, history, backups), PULUMI_HOME, `stack export`, `stack output`, the stack file and the
// CLI's output. The needles are the values and what a careless program derives from them.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { dockerConfigJson } from "../../lib/dockerConfig";
import { E2E_STACK, stackFilePath } from "./project";
import { PulumiCli } from "./pulumiCli";

export interface RegistryLogin {
  readonly server: string;
  readonly username: string;
  readonly token: string;
}

export const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** The pull secret's `.dockerconfigjson`, as the program builds it. */
export const dockerConfigDocument = (login: RegistryLogin) =>
  dockerConfigJson({ server: login.server, username: login.username, password: login.token });

export interface StateExport {
  readonly deployment: {
    readonly resources: readonly {
      readonly type: string;
      readonly urn: string;
      readonly id?: string;
      readonly inputs?: Record<string, unknown>;
      readonly outputs?: Record<string, unknown>;
    }[];
  };
}

/** The signature that marks a secret value in state (sdk/go/common/resource/sig, Secret). */
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

export function isSecretInState(value: unknown): value is { plaintext?: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SECRET_SIGNATURE] === "1b47061264138c4ac30d75fd1eb44270"
  );
}

/** A value of `stack export --show-secrets`: secrets hold their value as JSON in `plaintext`. */
function revealed(value: unknown): unknown {
  return isSecretInState(value) && value.plaintext !== undefined
    ? (JSON.parse(value.plaintext) as unknown)
    : value;
}

/** Every file below `dir`. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * `where: needle N` for each needle found in a haystack: its position in the list, never any part
 * of it, since a needle is a secret (a test failure's message lands in CI logs).
 */
export function leaks(haystacks: Record<string, string>, needles: readonly string[]): string[] {
  return Object.entries(haystacks).flatMap(([where, text]) =>
    needles.flatMap((needle, index) =>
      text.includes(needle) ? [`${where}: needle ${index}`] : [],
    ),
  );
}

/**
 * The checksum key, read from the state with the passphrase: the one RandomPassword named
 * `*-checksum-key` (components/AppSecret.ts; the others are generated secrets, whose values a
 * test passes as needles itself).
 */
export async function checksumKeys(cli: PulumiCli): Promise<string[]> {
  const exported = JSON.parse(
    (
      await cli.ok(["stack", "export", "--show-secrets", "--stack", E2E_STACK], {
        revealsSecrets: true,
      })
    ).stdout,
  ) as StateExport;
  const keys = exported.deployment.resources
    .filter(
      (resource) =>
        resource.type === "random:index/randomPassword:RandomPassword" &&
        resource.urn.endsWith("-checksum-key"),
    )
    .map((resource) => revealed(resource.outputs?.result))
    .filter((value): value is string => typeof value === "string");
  if (keys.length !== 1) {
    throw new Error(`expected one checksum key in state, found ${keys.length}`);
  }
  return keys;
}

/**
 * Every string a `random:` resource holds as secret in state, read with the passphrase: a
 * RandomPassword's `result` and `bcryptHash`, a RandomBytes' `base64` and `hex`, whatever the
 * provider marks sensitive. None may be readable without the passphrase, an id included: ids are
 * plaintext, and pulumi-random makes a RandomBytes' id its `base64` (provider/resources.go,
 * computeRandomBytesID), which is how the program's first checksum key leaked.
 */
export async function randomSecrets(cli: PulumiCli): Promise<string[]> {
  const exported = JSON.parse(
    (
      await cli.ok(["stack", "export", "--show-secrets", "--stack", E2E_STACK], {
        revealsSecrets: true,
      })
    ).stdout,
  ) as StateExport;
  return exported.deployment.resources
    .filter((resource) => resource.type.startsWith("random:"))
    .flatMap((resource) => Object.values(resource.outputs ?? {}))
    .filter(isSecretInState)
    .map(revealed)
    .filter((value): value is string => typeof value === "string" && value !== "");
}

/**
 * Searches everything for every value, its base64, each registry login's derivatives, the key, and
 * every secret of a random resource (randomSecrets).
 */
export async function scanForLeaks(
  cli: PulumiCli,
  values: readonly string[],
  logins: readonly RegistryLogin[],
): Promise<{ keys: string[]; found: string[]; searched: number }> {
  const keys = await checksumKeys(cli);
  const generated = await randomSecrets(cli);
  const needles = [
    ...values,
    ...values.map(base64),
    ...logins.flatMap((login) => [
      base64(`${login.username}:${login.token}`),
      base64(dockerConfigDocument(login)),
    ]),
    ...keys,
    ...keys.map(base64),
    ...generated,
    ...generated.map(base64),
  ];
  const haystacks: Record<string, string> = {
    "pulumi stack export": (await cli.ok(["stack", "export", "--stack", E2E_STACK])).stdout,
    "pulumi stack output": (await cli.ok(["stack", "output", "--json", "--stack", E2E_STACK]))
      .stdout,
    [`Pulumi.${E2E_STACK}.yaml`]: readFileSync(stackFilePath(cli.projectDir), "utf8"),
    "CLI output (preview, up, config)": cli.transcript.join("\n"),
  };
  const backendFiles = filesUnder(cli.backendDir);
  if (!backendFiles.some((file) => file.endsWith(`${E2E_STACK}.json`))) {
    throw new Error(`no state file for stack ${E2E_STACK} under ${cli.backendDir}`);
  }
  for (const file of [...backendFiles, ...filesUnder(cli.homeDir)]) {
    haystacks[file] = readFileSync(file, "utf8");
  }
  return { keys, found: leaks(haystacks, needles), searched: Object.keys(haystacks).length };
}

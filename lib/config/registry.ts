// `task-api:registry` and `task-api:registryToken`: where the image is pulled from and with which
// credentials. `{server, username}` with a token (GHCR or any registry), `{docr: NAME}` for
// DigitalOcean's registry (the program creates read-only credentials), `{}` for a public image.

import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_DOCR_EXPIRY_SECONDS } from "../defaults";
import { registryHost } from "../imageReference";
import { isPlainObject } from "../values";
import { removeKeyCommand, setCommand, setSecretKeyCommand } from "./commands";
import { configKey } from "./keys";
import { ConfigReader, Json } from "./reader";
import { RegistrySettings } from "./settings";

export const DOCR_SERVER = "registry.digitalocean.com";

/** The pull secret's name: what operators expect to find with `kubectl get secret`. */
export function defaultPullSecretName(server: string): string {
  const host = registryHost(server);
  if (host === "ghcr.io") {
    return "ghcr-secret";
  }
  if (host === DOCR_SERVER) {
    return "docr-secret";
  }
  return "registry-secret";
}

/** The registry settings, or undefined for a public image; every problem recorded. */
export function readRegistry(reader: ConfigReader): RegistrySettings | undefined {
  const value = reader.json("registry");
  if (value === undefined) {
    return undefined;
  }
  // Pulumi.yaml defaults: `{}` means no registry (a public image), "" means no token.
  const token =
    reader.raw.values.registryToken === "" ? undefined : reader.raw.values.registryToken;
  if (isPlainObject(value) && Object.keys(value).length === 0) {
    if (token !== undefined) {
      reader.fail(
        "registryToken",
        `is set, but ${configKey("registry")} is not: set the registry it is for`,
        setCommand("registry.server", "ghcr.io", reader.stack),
      );
    }
    return undefined;
  }
  if (isPlainObject(value) && typeof value.docr === "string" && value.server === undefined) {
    reader.knownFieldsOnly("registry", value, ["docr", "expirySeconds", "secretName"]);
    return readDocrRegistry(reader, value, value.docr, token);
  }
  if (
    isPlainObject(value) &&
    typeof value.server === "string" &&
    typeof value.username === "string" &&
    value.docr === undefined
  ) {
    reader.knownFieldsOnly("registry", value, ["server", "username", "secretName"]);
    return readTokenRegistry(reader, value, value.server, value.username, token);
  }
  return reader.fail(
    "registry",
    "must be either {server, username} (GHCR or any registry, with registryToken) or {docr: REGISTRY_NAME}",
    `${setCommand("registry.server", "ghcr.io", reader.stack)} && ${setCommand("registry.username", "USER", reader.stack)}`,
  );
}

function readDocrRegistry(
  reader: ConfigReader,
  value: Record<string, Json>,
  registryName: string,
  token: string | undefined,
): RegistrySettings {
  const expiry = value.expirySeconds ?? DEFAULT_DOCR_EXPIRY_SECONDS;
  // The API's bounds are 1 to 1576800000 (about 50 years); under an hour is surely a mistake.
  if (
    typeof expiry !== "number" ||
    !Number.isInteger(expiry) ||
    expiry < 3600 ||
    expiry > 1576800000
  ) {
    reader.fail(
      "registry.expirySeconds",
      `must be a whole number of seconds from 3600 to 1576800000${reader.shown("registry", expiry)}`,
      `pulumi config set --type int --path 'registry.expirySeconds' ${DEFAULT_DOCR_EXPIRY_SECONDS} -s ${reader.stack}`,
    );
  }
  if (token !== undefined) {
    reader.fail(
      "registryToken",
      "is not used with a DigitalOcean registry (the program creates read-only credentials); remove it",
      removeKeyCommand("registryToken", reader.stack),
    );
  }
  return {
    kind: "docr",
    server: DOCR_SERVER,
    registryName,
    expirySeconds: typeof expiry === "number" ? expiry : DEFAULT_DOCR_EXPIRY_SECONDS,
    secretName: readSecretName(reader, value, DOCR_SERVER),
  };
}

function readTokenRegistry(
  reader: ConfigReader,
  value: Record<string, Json>,
  server: string,
  username: string,
  token: string | undefined,
): RegistrySettings {
  const fix = setSecretKeyCommand("registryToken", reader.stack);
  if (token === undefined) {
    reader.fail(
      "registryToken",
      `is required with ${configKey("registry.server")}: the registry token (GHCR: a classic token with read:packages)`,
      fix,
    );
  } else if (!reader.raw.isSecret("registryToken")) {
    reader.fail(
      "registryToken",
      "is stored in plaintext in the stack file. Treat it as leaked: revoke it, create a new one and set it as a secret",
      fix,
    );
  } else if (token.includes("\0") || token.trim() === "") {
    reader.fail("registryToken", "is empty or contains a NUL byte", fix);
  }
  return {
    kind: "token",
    server: registryHost(server),
    username,
    token: pulumi.secret(token ?? ""),
    secretName: readSecretName(reader, value, server),
  };
}

function readSecretName(reader: ConfigReader, value: Record<string, Json>, server: string): string {
  if (value.secretName === undefined) {
    return defaultPullSecretName(server);
  }
  if (typeof value.secretName === "string") {
    return value.secretName;
  }
  reader.fail(
    "registry.secretName",
    "must be a string",
    setCommand("registry.secretName", defaultPullSecretName(server), reader.stack),
  );
  return defaultPullSecretName(server);
}

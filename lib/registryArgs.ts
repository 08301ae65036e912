import * as pulumi from "@pulumi/pulumi";
import { RegistryArgs } from "../components";
import { RegistrySettings } from "./stackConfig";

/** The pull secret's source for the stack's registry settings: a login, or DOCR credentials. */
export function registryArgs(registry: RegistrySettings | undefined): RegistryArgs | undefined {
  if (registry === undefined) {
    return undefined;
  }
  return {
    server: registry.server,
    secretName: registry.secretName,
    credentials:
      registry.kind === "token"
        ? { username: registry.username, password: pulumi.secret(registry.token) }
        : { docrRegistryName: registry.registryName, expirySeconds: registry.expirySeconds },
  };
}

import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import { RegistryArgs } from "../components";
import { RegistrySettings } from "./stackConfig";

/**
 * The pull secret's source for the stack's registry: the configured login (GHCR, any registry),
 * or read-only DigitalOcean Container Registry credentials created here.
 *
 * DOCR credentials are renewed by the provider when it reads them after they expired
 * (terraform-provider-digitalocean, `updateExpiredDockerCredentials` in the resource's Read), so
 * `pulumi up --refresh` renews them; changing `registry.expirySeconds` issues new ones at once.
 */
export function registryArgs(
  name: string,
  registry: RegistrySettings | undefined,
  opts?: pulumi.CustomResourceOptions,
): RegistryArgs | undefined {
  if (registry === undefined) {
    return undefined;
  }
  if (registry.kind === "token") {
    return {
      server: registry.server,
      secretName: registry.secretName,
      credentials: { username: registry.username, password: registry.token },
    };
  }
  const credentials = new digitalocean.ContainerRegistryDockerCredentials(
    name,
    { registryName: registry.registryName, write: false, expirySeconds: registry.expirySeconds },
    opts,
  );
  return {
    server: registry.server,
    secretName: registry.secretName,
    // Already the dockerconfig JSON; secret in the provider's schema, and kept secret here too.
    credentials: { dockerConfigJson: pulumi.secret(credentials.dockerCredentials) },
  };
}

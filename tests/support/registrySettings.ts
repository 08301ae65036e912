// Registry settings as lib/config/registry.ts makes them, for the tests of the rules that read them.

import { secret } from "@pulumi/pulumi";
import { RegistrySettings } from "../../lib/config/settings";

/** GHCR with a user and a token. */
export const GHCR_SETTINGS: RegistrySettings = {
  kind: "token",
  server: "ghcr.io",
  username: "octo",
  token: secret("t"),
  secretName: "ghcr-secret",
};

/** The DigitalOcean registry "acme". */
export const DOCR_SETTINGS: RegistrySettings = {
  kind: "docr",
  server: "registry.digitalocean.com",
  registryName: "acme",
  expirySeconds: 3600,
  secretName: "docr-secret",
};

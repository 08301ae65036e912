/** Registry credentials as the kubelet expects them in a `kubernetes.io/dockerconfigjson` Secret. */
export interface RegistryCredentials {
  /** Registry host, e.g. `ghcr.io`. */
  readonly server: string;
  readonly username: string;
  /** The token or password. Secret. */
  readonly password: string;
}

/**
 * The `.dockerconfigjson` document for one registry. `auth` is base64 of `user:password`, which the
 * kubelet uses for basic auth; it is as secret as the password itself.
 */
export function dockerConfigJson({ server, username, password }: RegistryCredentials): string {
  const auth = Buffer.from(`${username}:${password}`, "utf8").toString("base64");
  return JSON.stringify({ auths: { [server]: { username, password, auth } } });
}

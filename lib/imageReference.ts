// The grammar of an image reference, transcribed from the reference implementation
// (github.com/distribution/reference, regexp.go and normalize.go): an optional registry host,
// a repository path of lowercase components, an optional tag and an optional digest.

const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(
  `^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);
const MAX_NAME_LENGTH = 255;

/** Docker Hub, the registry an image without a registry host comes from. */
export const DOCKER_HUB = "docker.io";

export interface ImageReference {
  /** Registry host, e.g. `ghcr.io`; `docker.io` when the reference names none. */
  readonly registry: string;
  /** Repository path below the registry, e.g. `acme/task-api`. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Parses an image reference, or returns undefined when it does not follow the grammar. */
export function parseImageReference(reference: string): ImageReference | undefined {
  const match = REFERENCE.exec(reference);
  if (!match) {
    return undefined;
  }
  const [, first, rest, tag, digest] = match;
  // normalize.go: the first component is a registry only if it looks like a host name.
  let registry = DOCKER_HUB;
  let repository = rest;
  if (first !== undefined) {
    if (first.includes(".") || first.includes(":") || first === "localhost") {
      registry = first;
    } else {
      repository = `${first}/${rest}`;
    }
  }
  if (registry.length + 1 + repository.length > MAX_NAME_LENGTH) {
    return undefined;
  }
  if (registry === "index.docker.io" || registry === "registry-1.docker.io") {
    registry = DOCKER_HUB;
  }
  return { registry, repository, tag, digest };
}

/** The registry host part of a registry server setting (`https://ghcr.io/` → `ghcr.io`). */
export function registryHost(server: string): string {
  return server
    .replace(/^https?:\/\//, "")
    .replace(/\/.*$/, "")
    .toLowerCase();
}

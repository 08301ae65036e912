// `task-api:image`: the image to run, pinned to a tag or digest, from a registry the stack can
// pull from (the registry family, registry.ts, holds the credentials). Every problem names the key
// and the command that fixes it.

import { DOCKER_HUB, ImageReference, parseImageReference, registryHost } from "../imageReference";
import { setCommand, setKeyCommand, setSecretKeyCommand } from "./commands";
import { configKey } from "./keys";
import { Problem } from "../problems";
import { describeValue, isShowableText } from "./quoting";
import { ConfigReader } from "./reader";
import { DOCR_SERVER } from "./registry";
import { RegistrySettings } from "./settings";

const EXAMPLE_IMAGE = "ghcr.io/acme/task-api:1.4.2";

function missingImageProblem(stack: string): Problem {
  return {
    key: configKey("image"),
    message: `is required: the image to run, e.g. ${EXAMPLE_IMAGE}`,
    fix: setKeyCommand("image", EXAMPLE_IMAGE, stack),
  };
}

/** The image, "" (and reported) when missing. */
export function readImage(reader: ConfigReader): string {
  const image = reader.string("image");
  if (image === undefined) {
    reader.report(missingImageProblem(reader.stack));
  }
  return image ?? "";
}

/** The image must be a pinned reference, from the registry the credentials are for. */
export function imageProblems(
  image: string,
  registry: RegistrySettings | undefined,
  stack: string,
): Problem[] {
  const reference = parseImageReference(image);
  if (!reference) {
    return [
      {
        key: configKey("image"),
        message: `${describeValue(image)} is not a valid image reference (expected REGISTRY/REPOSITORY:TAG, e.g. ${EXAMPLE_IMAGE})`,
        fix: setKeyCommand("image", EXAMPLE_IMAGE, stack),
      },
    ];
  }
  return [
    ...imagePinProblems(image, reference, stack),
    ...imageRegistryProblems(reference, registry, stack),
  ];
}

function imagePinProblems(image: string, reference: ImageReference, stack: string): Problem[] {
  const key = configKey("image");
  // The fix repeats the image, so only one that may be printed; else the form to fill in.
  const repository = isShowableText(image) ? image.replace(/:latest$/, "") : "REGISTRY/REPOSITORY";
  if (reference.tag === undefined && reference.digest === undefined) {
    return [
      {
        key,
        message: `${describeValue(image)} has no tag or digest; pin a version so that a new image rolls the pods`,
        fix: setKeyCommand("image", `${repository}:VERSION`, stack),
      },
    ];
  }
  if (reference.tag === "latest" && reference.digest === undefined) {
    return [
      {
        key,
        message: `${describeValue(image)} uses the tag "latest": pushing a new "latest" never rolls the pods. Pin a version`,
        fix: setKeyCommand("image", `${repository}:VERSION`, stack),
      },
    ];
  }
  return [];
}

function imageRegistryProblems(
  reference: ImageReference,
  registry: RegistrySettings | undefined,
  stack: string,
): Problem[] {
  const key = configKey("image");
  if (registry === undefined) {
    return reference.registry === DOCKER_HUB
      ? []
      : [
          {
            key: configKey("registry"),
            message:
              `the image comes from ${reference.registry}, a private registry, but no registry ` +
              `credentials are configured: the pods would fail with ImagePullBackOff (401 Unauthorized)`,
            fix:
              `${setCommand("registry.server", reference.registry, stack)} && ` +
              `${setCommand("registry.username", "USER", stack)} && ` +
              setSecretKeyCommand("registryToken", stack),
          },
        ];
  }
  const [docrRegistryName] = reference.repository.split("/");
  if (registryHost(registry.server) !== reference.registry) {
    return [
      {
        key,
        message:
          `the image comes from ${reference.registry}, but the pull secret is for ` +
          `${registry.server}` +
          (registry.kind === "docr" ? `/${registry.registryName}` : "") +
          `: the kubelet would pull without credentials`,
        fix:
          registry.kind === "docr"
            ? setKeyCommand(
                "image",
                `${DOCR_SERVER}/${registry.registryName}/${reference.repository.split("/").pop() ?? "task-api"}:${reference.tag ?? "VERSION"}`,
                stack,
              )
            : setCommand("registry.server", reference.registry, stack),
      },
    ];
  }
  if (registry.kind === "docr" && docrRegistryName !== registry.registryName) {
    return [
      {
        key,
        message: `the image is not in the DigitalOcean registry "${registry.registryName}" (expected ${DOCR_SERVER}/${registry.registryName}/...)`,
        fix: setCommand("registry.docr", docrRegistryName, stack),
      },
    ];
  }
  return [];
}

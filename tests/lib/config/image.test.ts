// lib/config/image.ts: `task-api:image` read on its own, and the rules of a pinned image from the
// registry the stack has credentials for.

import { imageProblems, readImage } from "../../../lib/config/image";
import { DOCR_SETTINGS as DOCR, GHCR_SETTINGS as GHCR } from "../../support/registrySettings";
import { READER_STACK as STACK, readerOver } from "../../support/configReader";

function read(image: string | undefined) {
  const reader = readerOver({ image });
  return { image: readImage(reader), problems: reader.problems };
}

const REQUIRED = {
  key: "task-api:image",
  message: "is required: the image to run, e.g. ghcr.io/acme/task-api:1.4.2",
  fix: "pulumi config set task-api:image ghcr.io/acme/task-api:1.4.2 -s review",
};

test("the image is required; a blank one is empty and so still required", () => {
  expect(read("ghcr.io/acme/app:1.0.0")).toEqual({ image: "ghcr.io/acme/app:1.0.0", problems: [] });
  expect(read(undefined)).toEqual({ image: "", problems: [REQUIRED] });
  expect(read("  ")).toEqual({
    image: "",
    problems: [expect.objectContaining({ key: "task-api:image", message: "is empty" }), REQUIRED],
  });
});

test("an image that is no reference is refused with an example", () => {
  expect(imageProblems("ghcr.io/Acme/app:1.0", GHCR, STACK)).toEqual([
    {
      key: "task-api:image",
      message:
        '"ghcr.io/Acme/app:1.0" is not a valid image reference (expected REGISTRY/REPOSITORY:TAG, e.g. ghcr.io/acme/task-api:1.4.2)',
      fix: "pulumi config set task-api:image ghcr.io/acme/task-api:1.4.2 -s review",
    },
  ]);
});

test.each([
  ["ghcr.io/acme/app", "has no tag or digest; pin a version so that a new image rolls the pods"],
  [
    "ghcr.io/acme/app:latest",
    'uses the tag "latest": pushing a new "latest" never rolls the pods. Pin a version',
  ],
])("%s is not pinned: the fix keeps its repository", (image, message) => {
  expect(imageProblems(image, GHCR, STACK)).toEqual([
    {
      key: "task-api:image",
      message: `"${image}" ${message}`,
      fix: "pulumi config set task-api:image ghcr.io/acme/app:VERSION -s review",
    },
  ]);
});

test("a tag, a digest, or latest with a digest is pinned", () => {
  const digest = `sha256:${"a".repeat(64)}`;
  expect(imageProblems("ghcr.io/acme/app:1.0.0", GHCR, STACK)).toEqual([]);
  expect(imageProblems(`ghcr.io/acme/app@${digest}`, GHCR, STACK)).toEqual([]);
  expect(imageProblems(`ghcr.io/acme/app:latest@${digest}`, GHCR, STACK)).toEqual([]);
});

test("without credentials only Docker Hub can be pulled", () => {
  expect(imageProblems("nginx:1.27", undefined, STACK)).toEqual([]);
  expect(imageProblems("ghcr.io/acme/app:1.0.0", undefined, STACK)).toEqual([
    {
      key: "task-api:registry",
      message:
        "the image comes from ghcr.io, a private registry, but no registry credentials are configured: the pods would fail with ImagePullBackOff (401 Unauthorized)",
      fix: "pulumi config set --path 'registry.server' ghcr.io -s review && pulumi config set --path 'registry.username' USER -s review && pulumi config set --secret task-api:registryToken -s review",
    },
  ]);
});

test("an image from another registry than the credentials' is refused, with the fix that fits each kind", () => {
  expect(imageProblems("quay.io/acme/app:1.0.0", GHCR, STACK)).toEqual([
    {
      key: "task-api:image",
      message:
        "the image comes from quay.io, but the pull secret is for ghcr.io: the kubelet would pull without credentials",
      fix: "pulumi config set --path 'registry.server' quay.io -s review",
    },
  ]);
  expect(imageProblems("ghcr.io/acme/shop/app:1.0.0", DOCR, STACK)).toEqual([
    {
      key: "task-api:image",
      message:
        "the image comes from ghcr.io, but the pull secret is for registry.digitalocean.com/acme: the kubelet would pull without credentials",
      fix: "pulumi config set task-api:image registry.digitalocean.com/acme/app:1.0.0 -s review",
    },
  ]);
});

test("a DOCR image must be in the stack's DigitalOcean registry", () => {
  expect(imageProblems("registry.digitalocean.com/acme/app:1.0.0", DOCR, STACK)).toEqual([]);
  expect(imageProblems("registry.digitalocean.com/other/app:1.0.0", DOCR, STACK)).toEqual([
    {
      key: "task-api:image",
      message:
        'the image is not in the DigitalOcean registry "acme" (expected registry.digitalocean.com/acme/...)',
      fix: "pulumi config set --path 'registry.docr' other -s review",
    },
  ]);
});

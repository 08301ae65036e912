// lib/imageReference.ts: the grammar of an image reference (github.com/distribution/reference).

import { parseImageReference } from "../../lib/imageReference";

test.each([
  [
    "ghcr.io/acme/task-api:1.4.2",
    { registry: "ghcr.io", repository: "acme/task-api", tag: "1.4.2" },
  ],
  [
    "registry.digitalocean.com/acme/task-api:2.0",
    { registry: "registry.digitalocean.com", repository: "acme/task-api", tag: "2.0" },
  ],
  ["nginx:1.27", { registry: "docker.io", repository: "nginx", tag: "1.27" }],
  ["acme/task-api:1", { registry: "docker.io", repository: "acme/task-api", tag: "1" }],
  [
    "localhost:5000/task-api:dev",
    { registry: "localhost:5000", repository: "task-api", tag: "dev" },
  ],
  [
    `ghcr.io/acme/task-api@sha256:${"a".repeat(64)}`,
    { registry: "ghcr.io", repository: "acme/task-api", digest: `sha256:${"a".repeat(64)}` },
  ],
])("parses %s", (reference, expected) => {
  expect(parseImageReference(reference)).toMatchObject(expected);
});

test.each([
  "",
  "GHCR.io/acme/Task:1",
  "ghcr.io/acme/task-api:",
  "ghcr.io//x:1",
  "a b:1",
  `x:${"t".repeat(129)}`,
])("refuses %j as an image reference", (reference) => {
  expect(parseImageReference(reference)).toBeUndefined();
});

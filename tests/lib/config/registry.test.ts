// lib/config/registry.ts: `task-api:registry` and `registryToken` read on their own, through a
// ConfigReader over what the engine would pass, with the problems it records.

import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_DOCR_EXPIRY_SECONDS } from "../../../lib/defaults";
import { DOCR_SERVER, defaultPullSecretName, readRegistry } from "../../../lib/config/registry";
import { readerOver } from "../../support/configReader";

interface Input {
  readonly registry?: unknown;
  readonly token?: string;
  /** Whether the token arrived encrypted. @default true */
  readonly tokenEncrypted?: boolean;
}

/** readRegistry over `registry` (as JSON) and a token; its settings and the problems recorded. */
function read({ registry, token, tokenEncrypted = true }: Input) {
  const reader = readerOver(
    { registry, registryToken: token },
    tokenEncrypted ? ["registryToken"] : [],
  );

  const settings = readRegistry(reader);
  return { settings, problems: reader.problems };
}

test.each([
  ["ghcr.io", "ghcr-secret"],
  ["https://ghcr.io/", "ghcr-secret"],
  [DOCR_SERVER, "docr-secret"],
  ["registry.example.com:5000", "registry-secret"],
])("the pull secret of %s is called %s unless secretName says otherwise", (server, name) => {
  expect(defaultPullSecretName(server)).toBe(name);
});

test("no registry, or {}, is a public image: no settings, no problem", () => {
  expect(read({})).toEqual({ settings: undefined, problems: [] });
  expect(read({ registry: {}, token: "" })).toEqual({ settings: undefined, problems: [] });
});

test("a token without a registry is refused at registryToken, with the registry to set", () => {
  expect(read({ registry: {}, token: "tok" })).toEqual({
    settings: undefined,
    problems: [
      {
        key: "task-api:registryToken",
        message: "is set, but task-api:registry is not: set the registry it is for",
        fix: "pulumi config set --path 'registry.server' ghcr.io -s review",
      },
    ],
  });
});

test("GHCR: the host of the server, the user, the token as a secret Output, ghcr-secret", async () => {
  const { settings, problems } = read({
    registry: { server: "https://ghcr.io/", username: "octo" },
    token: "tok",
  });
  expect(problems).toEqual([]);
  expect(settings).toMatchObject({
    kind: "token",
    server: "ghcr.io",
    username: "octo",
    secretName: "ghcr-secret",
  });
  const token = settings?.kind === "token" ? settings.token : undefined;
  expect(await pulumi.isSecret(token as pulumi.Output<string>)).toBe(true);
});

test.each([
  ["missing", undefined, true, /^is required with task-api:registry.server/],
  ["in plaintext", "tok", false, /^is stored in plaintext in the stack file\. Treat it as leaked/],
  ["blank", "  ", true, /^is empty or contains a NUL byte$/],
  ["holding a NUL byte", "to\0k", true, /^is empty or contains a NUL byte$/],
])(
  "a registry token %s is refused, with the command that sets it encrypted",
  (_what, token, encrypted, message) => {
    const { settings, problems } = read({
      registry: { server: "ghcr.io", username: "octo" },
      token,
      tokenEncrypted: encrypted,
    });
    expect(problems).toEqual([
      {
        key: "task-api:registryToken",
        message: expect.stringMatching(message) as string,
        fix: "pulumi config set --secret task-api:registryToken -s review",
      },
    ]);
    expect(settings?.kind).toBe("token");
  },
);

test("DOCR: the registry's name, a year's credentials unless set, docr-secret, no token wanted", () => {
  expect(read({ registry: { docr: "acme" } })).toEqual({
    settings: {
      kind: "docr",
      server: DOCR_SERVER,
      registryName: "acme",
      expirySeconds: DEFAULT_DOCR_EXPIRY_SECONDS,
      secretName: "docr-secret",
    },
    problems: [],
  });
  expect(read({ registry: { docr: "acme" }, token: "tok" }).problems).toEqual([
    {
      key: "task-api:registryToken",
      message:
        "is not used with a DigitalOcean registry (the program creates read-only credentials); remove it",
      fix: "pulumi config rm task-api:registryToken -s review",
    },
  ]);
});

test.each([3600, 86400, 1576800000])("a DOCR expirySeconds of %d is taken", (expirySeconds) => {
  const { settings, problems } = read({ registry: { docr: "acme", expirySeconds } });
  expect(problems).toEqual([]);
  expect(settings).toMatchObject({ expirySeconds });
});

test.each([3599, 1576800001, 3600.5, "3600", 0, -3600])(
  "a DOCR expirySeconds of %j is refused, with the default as the fix",
  (expirySeconds) => {
    const { problems } = read({ registry: { docr: "acme", expirySeconds } });
    expect(problems).toEqual([
      {
        key: "task-api:registry.expirySeconds",
        message: `must be a whole number of seconds from 3600 to 1576800000 (got ${JSON.stringify(expirySeconds)})`,
        fix: `pulumi config set --type int --path 'registry.expirySeconds' ${DEFAULT_DOCR_EXPIRY_SECONDS} -s review`,
      },
    ]);
  },
);

test.each([
  ["both kinds at once", { docr: "acme", server: "ghcr.io", username: "octo" }],
  ["a server without a user", { server: "ghcr.io" }],
  ["a user that is not a string", { server: "ghcr.io", username: 7 }],
  ["a DOCR name that is not a string", { docr: 7 }],
  ["a list", ["ghcr.io"]],
])("%s is neither kind of registry", (_what, registry) => {
  expect(read({ registry, token: "tok" })).toEqual({
    settings: undefined,
    problems: [
      {
        key: "task-api:registry",
        message:
          "must be either {server, username} (GHCR or any registry, with registryToken) or {docr: REGISTRY_NAME}",
        fix: "pulumi config set --path 'registry.server' ghcr.io -s review && pulumi config set --path 'registry.username' USER -s review",
      },
    ],
  });
});

test("each kind refuses the other kind's fields by name", () => {
  expect(read({ registry: { docr: "acme", username: "octo" } }).problems).toEqual([
    expect.objectContaining({ key: "task-api:registry.username" }),
  ]);
  expect(
    read({ registry: { server: "ghcr.io", username: "octo", expirySeconds: 3600 }, token: "t" })
      .problems,
  ).toEqual([expect.objectContaining({ key: "task-api:registry.expirySeconds" })]);
});

test("secretName names the pull secret; anything but a string is refused with the default", () => {
  expect(
    read({ registry: { server: "ghcr.io", username: "octo", secretName: "pull" }, token: "t" })
      .settings,
  ).toMatchObject({ secretName: "pull" });
  const { settings, problems } = read({ registry: { docr: "acme", secretName: 5 } });
  expect(settings).toMatchObject({ secretName: "docr-secret" });
  expect(problems).toEqual([
    {
      key: "task-api:registry.secretName",
      message: "must be a string",
      fix: "pulumi config set --path 'registry.secretName' docr-secret -s review",
    },
  ]);
});

// lib/config/secretFilesKey.ts and secretFileContents.ts: the file sets and their contents, read and
// checked; every problem names its key and the command that fixes it, never any content.

import { readSecretFileSets } from "../../../lib/config/secretFilesKey";
import { problemAt, problems, settingsOf } from "../../support/configProblems";
import { GCP_CREDENTIALS, TLS_A, TLS_A_FACTS, TLS_B, withFileSets } from "../../support/tls";
import { readerOver } from "../../support/configReader";

const FILES = "task-api:secretFiles";
const CONTENTS = "task-api:secretFileContents";
const base = withFileSets();
const sets = base[FILES] as Record<string, Record<string, unknown>>;

test("the sets are read, sorted, with their files, types and restartOnChange; contents stay secret", () => {
  const settings = settingsOf(base);
  expect(settings.secretFiles.map(({ contents, ...set }) => [set, Object.keys(contents)])).toEqual([
    [
      {
        name: "gcp",
        type: "Opaque",
        mountPath: "/var/run/gcp",
        files: ["credentials.json"],
        restartOnChange: false,
      },
      ["credentials.json"],
    ],
    [
      {
        name: "tls",
        type: "kubernetes.io/tls",
        mountPath: "/etc/tls",
        files: ["tls.crt", "tls.key"],
        restartOnChange: false,
        certificate: TLS_A_FACTS,
      },
      ["tls.crt", "tls.key"],
    ],
  ]);
  expect(settings.warnings).toEqual([]);
});

test("an unknown field, a wrong type and a bad mount path are errors at their paths", () => {
  const found = problems({
    ...base,
    [FILES]: {
      ...sets,
      tls: { ...sets.tls, mountpath: "/x", type: "tls" },
      gcp: { ...sets.gcp, mountPath: "/tmp/gcp" },
    },
  });
  expect(problemAt(found, `${FILES}.tls.mountpath`).message).toBe(
    'unknown field "mountpath"; a file set has only type, mountPath, files, restartOnChange (did you mean mountPath?)',
  );
  expect(problemAt(found, `${FILES}.tls.type`).fix).toBe(
    "pulumi config set --plaintext --path 'secretFiles.tls.type' kubernetes.io/tls -s staging",
  );
  expect(problemAt(found, `${FILES}.gcp.mountPath`).fix).toBe(
    "pulumi config set --plaintext --path 'secretFiles.gcp.mountPath' /etc/gcp -s staging",
  );
});

test("two sets mounted one inside the other are refused", () => {
  const found = problems({
    ...base,
    [FILES]: { ...sets, tls: { ...sets.tls, mountPath: "/var/run/gcp/tls" } },
  });
  expect(problemAt(found, `${FILES}.tls.mountPath`).message).toMatch(
    /overlaps the mount of set "gcp"/,
  );
});

test("an Opaque set needs its files listed; a TLS set has tls.crt and tls.key only", () => {
  const found = problems({
    ...base,
    [FILES]: { tls: { ...sets.tls, files: ["cert.pem"] }, gcp: { mountPath: "/var/run/gcp" } },
  });
  expect(problemAt(found, `${FILES}.tls.files`).fix).toBe(
    "pulumi config rm --path 'secretFiles.tls.files' -s staging",
  );
  expect(problemAt(found, `${FILES}.gcp.files`).fix).toBe(
    "pulumi config set --plaintext --path 'secretFiles.gcp.files[0]' credentials.json -s staging",
  );
});

test("a declared file without content names the command that sets it from the file, byte for byte", () => {
  const found = problems({ ...base, [CONTENTS]: { tls: { "tls.crt": { secure: TLS_A.crt } } } });
  expect(problemAt(found, `${CONTENTS}.tls["tls.key"]`)).toEqual({
    key: `${CONTENTS}.tls["tls.key"]`,
    message: "the content of /etc/tls/tls.key is not set (declared in task-api:secretFiles.tls)",
    fix: "pulumi config set --secret --raw --path 'secretFileContents.tls[\"tls.key\"]' -s staging < tls.key",
  });
  expect(problemAt(found, `${CONTENTS}.gcp["credentials.json"]`)).toBeDefined();
});

test("content for a set or file nobody declared is refused", () => {
  const contents = base[CONTENTS] as Record<string, Record<string, unknown>>;
  const found = problems({
    ...base,
    [CONTENTS]: {
      ...contents,
      gcp: { ...contents.gcp, "extra.json": { secure: "{}" } },
      aws: { x: { secure: "y" } },
    },
  });
  expect(problemAt(found, `${CONTENTS}.gcp["extra.json"]`).fix).toBe(
    "pulumi config rm --path 'secretFileContents.gcp[\"extra.json\"]' -s staging",
  );
  expect(problemAt(found, `${CONTENTS}.aws`).message).toBe(
    'no file set "aws" is declared in task-api:secretFiles',
  );
});

test("contents stored in plaintext are refused as leaked, without being quoted", () => {
  const found = problems({
    ...base,
    [CONTENTS]: {
      tls: { "tls.crt": TLS_A.crt, "tls.key": TLS_A.key },
      gcp: { "credentials.json": GCP_CREDENTIALS },
    },
  });
  expect(problemAt(found, CONTENTS).message).toMatch(/plaintext.*leaked/);
  expect(JSON.stringify(found)).not.toContain("gcp-test-key-7712");
});

test("a TLS pair that does not match is refused at the set, naming neither key nor certificate", () => {
  const found = problems(withFileSets({ crt: TLS_B.crt, key: TLS_A.key }));
  expect(problemAt(found, `${CONTENTS}.tls`).message).toBe(
    "tls.key is not the private key of the certificate in tls.crt",
  );
  for (const pem of [TLS_A.key, TLS_B.crt]) {
    expect(JSON.stringify(found)).not.toContain(pem.split("\n")[1]);
  }
});

test("one content stored in plaintext beside encrypted ones (only the stack file tells) is refused as leaked", () => {
  const found = problems(base, [], { plaintextFileContents: ["tls.tls.key"] });
  expect(problemAt(found, `${CONTENTS}.tls["tls.key"]`).fix).toBe(
    "pulumi config set --secret --raw --path 'secretFileContents.tls[\"tls.key\"]' -s staging < tls.key",
  );
});

test("a certificate expiring within 30 days is a warning naming the set and the date, not a problem", () => {
  const now = new Date(new Date(TLS_A_FACTS.expires).getTime() - 5 * 24 * 60 * 60 * 1000);
  expect(settingsOf(base, [], { now }).warnings).toEqual([
    "task-api:secretFileContents.tls: the certificate expires on 2126-11-07, in less than 30 days",
  ]);
});

test("a mount path of /tmp itself, or below it, is refused (the app's scratch volume); one that only begins with the letters is not", () => {
  const at = (mountPath: string) =>
    problems({ ...base, [FILES]: { ...sets, gcp: { ...sets.gcp, mountPath } } }).filter(
      (p) => p.key === `${FILES}.gcp.mountPath`,
    );
  expect(at("/tmp")).toHaveLength(1);
  expect(at("/tmp/gcp")).toHaveLength(1);
  expect(at("/tmpfiles/gcp")).toEqual([]);
});

describe("readSecretFileSets on its own", () => {
  /** The sets read from `secretFiles` (as JSON), and the problems recorded, by key. */
  function read(secretFiles: unknown) {
    const reader = readerOver({ secretFiles });
    const read = readSecretFileSets(reader);
    return { sets: read, problems: Object.fromEntries(reader.problems.map((p) => [p.key, p])) };
  }
  const opaque = (mountPath: string, files: unknown = ["a.json"]) => ({ mountPath, files });

  test("sets come sorted by name, Opaque unless typed, restartOnChange false unless true", () => {
    const { sets, problems } = read({
      zeta: { ...opaque("/etc/zeta"), restartOnChange: true },
      alpha: opaque("/etc/alpha-1.d_x"),
      tls: { type: "kubernetes.io/tls", mountPath: "/etc/tls", files: ["tls.key", "tls.crt"] },
    });
    expect(problems).toEqual({});
    expect(sets).toEqual([
      {
        name: "alpha",
        type: "Opaque",
        mountPath: "/etc/alpha-1.d_x",
        files: ["a.json"],
        restartOnChange: false,
      },
      {
        name: "tls",
        type: "kubernetes.io/tls",
        mountPath: "/etc/tls",
        files: ["tls.crt", "tls.key"],
        restartOnChange: false,
      },
      {
        name: "zeta",
        type: "Opaque",
        mountPath: "/etc/zeta",
        files: ["a.json"],
        restartOnChange: true,
      },
    ]);
  });

  test("a key that is not an object is refused whole", () => {
    expect(read(["tls"])).toEqual({
      sets: [],
      problems: {
        [FILES]: {
          key: FILES,
          message: "must be an object of NAME: {type, mountPath, files, restartOnChange}",
          fix: "pulumi config set --plaintext --path 'secretFiles.tls.mountPath' /etc/tls -s review",
        },
      },
    });
  });

  test.each(["TLS", "a_b", "-tls", "x".repeat(41)])("the set name %s is refused", (name) => {
    const { sets, problems } = read({ [name]: opaque("/etc/x") });
    expect(sets).toEqual([]);
    expect(Object.values(problems)).toEqual([
      {
        key: expect.stringContaining(`${FILES}`) as string,
        message: `"${name}" is not a valid set name (lowercase letters, digits and '-', at most 40 characters): it names the set's Secret and volume`,
        fix: expect.stringMatching(/^pulumi config rm --path 'secretFiles/) as string,
      },
    ]);
  });

  test("a set name of 40 characters is taken", () => {
    expect(read({ ["x".repeat(40)]: opaque("/etc/x") }).sets).toHaveLength(1);
  });

  test("a set that is not an object is refused, with its mount path to set", () => {
    expect(read({ gcp: "/etc/gcp" }).problems[`${FILES}.gcp`]).toEqual({
      key: `${FILES}.gcp`,
      message: "must be {type, mountPath, files, restartOnChange}",
      fix: "pulumi config set --plaintext --path 'secretFiles.gcp.mountPath' /etc/gcp -s review",
    });
  });

  test.each(["etc/gcp", "/etc/../gcp", "/etc/./gcp", "/etc//gcp", "/etc/gcp/", "/etc/g cp", "/"])(
    "the mount path %j is refused",
    (mountPath) => {
      const { sets, problems } = read({ gcp: opaque(mountPath) });
      expect(sets).toEqual([]);
      expect(problems[`${FILES}.gcp.mountPath`].message).toMatch(
        /^must be an absolute directory such as \/etc\/gcp, not \/tmp/,
      );
    },
  );

  test("restartOnChange that is not true or false is refused, and the set left out", () => {
    const { sets, problems } = read({ gcp: { ...opaque("/etc/gcp"), restartOnChange: "yes" } });
    expect(sets).toEqual([]);
    expect(problems[`${FILES}.gcp.restartOnChange`]).toEqual({
      key: `${FILES}.gcp.restartOnChange`,
      message: "must be true or false",
      fix: "pulumi config set --plaintext --path 'secretFiles.gcp.restartOnChange' true -s review",
    });
  });

  test("an unknown field leaves the set out, however well its other fields read", () => {
    const { sets, problems } = read({ gcp: { ...opaque("/etc/gcp"), owner: "app" } });
    expect(sets).toEqual([]);
    expect(Object.keys(problems)).toEqual([`${FILES}.gcp.owner`]);
  });

  test.each([
    ["none", undefined],
    ["an empty list", []],
    ["a name twice", ["a.json", "a.json"]],
    ["a path", ["dir/a.json"]],
    ["a number", [5]],
    ["a string", "a.json"],
  ])("Opaque files: %s is refused", (_what, files) => {
    const { sets, problems } = read({ gcp: { mountPath: "/etc/gcp", files } });
    expect(sets).toEqual([]);
    expect(problems[`${FILES}.gcp.files`]).toEqual({
      key: `${FILES}.gcp.files`,
      message:
        "must list the file names, each once (letters, digits, '-', '_' and '.'), e.g. [credentials.json]",
      fix: "pulumi config set --plaintext --path 'secretFiles.gcp.files[0]' credentials.json -s review",
    });
  });

  test("TLS files other than tls.crt and tls.key are refused", () => {
    const { problems } = read({
      tls: { type: "kubernetes.io/tls", mountPath: "/etc/tls", files: ["tls.crt"] },
    });
    expect(problems[`${FILES}.tls.files`].fix).toBe(
      "pulumi config rm --path 'secretFiles.tls.files' -s review",
    );
  });

  test("sets mounted at the same directory: the later name is refused, the earlier kept", () => {
    const { sets, problems } = read({ b: opaque("/etc/app"), a: opaque("/etc/app") });
    expect(sets.map((set) => set.name)).toEqual(["a"]);
    expect(problems[`${FILES}.b.mountPath`].message).toBe(
      '/etc/app overlaps the mount of set "a" (/etc/app); give each set a directory of its own',
    );
  });
});

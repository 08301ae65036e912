// Issue 23: what the user encrypted is never printed, and no plaintext DigitalOcean token is
// accepted. The stacks here are this file's own (not the committed stack files): each key that
// must not be shown holds a marker, and every problem and warning is searched for it.

import { guardedValues } from "../../../lib/config/encryptedValues";
import { CONFIG_KEYS, ConfigName, SECRET_CONFIG } from "../../../lib/config/keys";
import { InvalidConfigError, Problem, formatProblems } from "../../../lib/problems";
import { DigitalOceanToken, RawStackConfig } from "../../../lib/config/settings";
import { readStackSettings } from "../../../lib/config/stackConfig";

/** A valid stack of this file: GHCR, a kubeconfig context, two secrets. */
const BASE: Partial<Record<ConfigName, unknown>> = {
  image: "ghcr.io/acme/task-api:1.5.0",
  namespace: "task-api-test",
  registry: { server: "ghcr.io", username: "acme-deploy" },
  registryToken: "ghp_EncryptedTestToken0123456789abcdefXYZ",
  requiredSecrets: ["DATABASE_PASSWORD"],
  secrets: { DATABASE_PASSWORD: "pg-encrypted-test-9f1c" },
  cluster: { context: "kind-test" },
};

const NO_TOKEN: DigitalOceanToken = { environment: false, stack: "missing" };

/** readStackSettings' problems for BASE with `changes`, the keys in `encrypted` marked so. */
function problemsOf(
  changes: Partial<Record<ConfigName, unknown>>,
  encrypted: readonly ConfigName[],
  token: DigitalOceanToken = NO_TOKEN,
): { problems: Problem[]; raw: RawStackConfig } {
  const values = Object.fromEntries(
    Object.entries({ ...BASE, ...changes })
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, typeof value === "string" ? value : JSON.stringify(value)]),
  );
  const raw: RawStackConfig = {
    stack: "test",
    values,
    isSecret: (name) => SECRET_CONFIG.includes(name) || encrypted.includes(name),
    digitalOceanToken: token,
  };
  try {
    readStackSettings(raw);
    return { problems: [], raw };
  } catch (error) {
    if (!InvalidConfigError.isInstance(error)) {
      throw error;
    }
    return { problems: [...error.problems], raw };
  }
}

/** Everything a user would read of these problems. */
const printed = (problems: readonly Problem[]) =>
  `${formatProblems(problems, "the config of stack test")}\n${JSON.stringify(problems)}`;

describe("a value that reached the program encrypted is never printed", () => {
  test("an encrypted app name is not the missing namespace's suggestion", () => {
    const { problems } = problemsOf({ appName: "zq-marker-app", namespace: undefined }, [
      "appName",
    ]);
    expect(problems.map((problem) => problem.key)).toEqual([
      "task-api:namespace",
      "task-api:appName",
    ]);
    expect(problems[0].fix).toBe("pulumi config set task-api:namespace VALUE -s test");
    expect(printed(problems)).not.toContain("zq-marker-app");
  });

  test("the same app name in plaintext is the suggestion", () => {
    const { problems } = problemsOf({ appName: "zq-marker-app", namespace: undefined }, []);
    expect(problems[0].fix).toBe("pulumi config set task-api:namespace zq-marker-app-test -s test");
  });

  test("an encrypted DOKS cluster name is named by its key when the token is missing", () => {
    const { problems } = problemsOf({ cluster: { doks: "zq-marker-cluster" } }, ["cluster"]);
    const token = problems.find((problem) => problem.key === "digitalocean:token");
    expect(token?.message).toContain("needed by task-api:cluster.doks");
    expect(printed(problems)).not.toContain("zq-marker-cluster");
  });

  test("an encrypted DOCR registry name likewise, with an image from elsewhere", () => {
    const { problems } = problemsOf(
      {
        registry: { docr: "zqmarkerregistry" },
        registryToken: undefined,
        image: "registry.digitalocean.com/other/task-api:1.5.0",
      },
      ["registry"],
    );
    expect(problems.map((problem) => problem.key)).toContain("task-api:registry");
    expect(printed(problems)).not.toContain("zqmarkerregistry");
  });

  // Every key that is not a secret one, encrypted and holding a marker in the kind of value it
  // takes, in a stack with the other problems that quote values (no namespace, no token).
  const MARKED: Partial<Record<ConfigName, unknown>> = {
    image: "ghcr.io/zq-marker-image/task-api:latest",
    appName: "zq-marker-appname",
    namespace: "zq-marker-namespace",
    createNamespace: "zq-marker-bool",
    replicas: "zq-marker-replicas",
    port: "zq-marker-port",
    config: { LOG_LEVEL: "zq-marker-config", DB_PASS: "zq-marker-dbpass" },
    nonSecretConfigKeys: ["zq-marker-nonsecret"],
    generatedSecrets: { SESSION_KEY: { length: "zq-marker-length" } },
    secretFiles: { tls: { mountPath: "zq-marker-mount", files: ["zq-marker-file"] } },
    requiredSecrets: ["zq-marker-required"],
    optionalSecrets: ["zq-marker-optional"],
    registry: { server: "zq-marker-server.example", username: "zq-marker-user" },
    restartOnChange: "zq-marker-restart",
    awaitRollout: "zq-marker-await",
    rolloutTimeoutSeconds: "zq-marker-timeout",
    adoptExisting: "zq-marker-adopt",
    selectorLabels: { app: "zq-marker-selector" },
    cluster: { doks: "zq-marker-doks" },
    resources: { limits: { cpu: "zq-marker-cpu" } },
    probes: { readinessPath: "zq-marker-probe" },
    fieldEnv: { POD_NAME: "zq-marker-fieldpath" },
  };

  test("the marked values cover every key that is not a secret one", () => {
    expect(Object.keys(MARKED).sort()).toEqual(
      CONFIG_KEYS.filter((name) => !SECRET_CONFIG.includes(name)).sort(),
    );
  });

  test.each(Object.entries(MARKED) as [ConfigName, unknown][])(
    "%s, encrypted: refused as encrypted, its value in no problem",
    (name, value) => {
      const { problems } = problemsOf({ [name]: value, namespace: undefined }, [name]);
      expect(problems.map((problem) => problem.key)).toContain(`task-api:${name}`);
      expect(printed(problems)).not.toMatch(/zq-marker/);
    },
  );

  test("all of them encrypted at once", () => {
    const { problems } = problemsOf(MARKED, Object.keys(MARKED) as ConfigName[], {
      environment: false,
      stack: "plaintext",
    });
    expect(problems.length).toBeGreaterThan(Object.keys(MARKED).length);
    expect(printed(problems)).not.toMatch(/zq-marker/);
  });

  test("the guard keeps the stack's name and short values: fixes stay runnable", () => {
    const raw = {
      stack: "test",
      values: { appName: "test", namespace: "api", image: "ghcr.io/acme/task-api:1.5.0" },
      isSecret: (name: ConfigName) => name !== "image",
    };
    expect(guardedValues(raw)).toEqual([]);
  });
});

describe("a plaintext DigitalOcean token is refused in every case", () => {
  const cases: [string, Partial<Record<ConfigName, unknown>>, boolean, RegExp][] = [
    [
      "used by DOKS, nothing exported",
      { cluster: { doks: "task-api-test" } },
      false,
      /The provider would use this one, not DIGITALOCEAN_TOKEN from the environment, for task-api:cluster\.doks \(task-api-test\)/,
    ],
    [
      "used by DOKS, DIGITALOCEAN_TOKEN exported too",
      { cluster: { doks: "task-api-test" } },
      true,
      /The provider would use this one, not DIGITALOCEAN_TOKEN from the environment \(set here too\)/,
    ],
    [
      "used by nothing (a kubeconfig context and GHCR)",
      {},
      true,
      /Nothing in this stack uses it \(no DOKS cluster, no DOCR registry\)/,
    ],
  ];
  test.each(cases)("%s", (_, changes, environment, says) => {
    const { problems } = problemsOf(changes, [], { environment, stack: "plaintext" });
    const token = problems.find((problem) => problem.key === "digitalocean:token");
    expect(token?.message).toMatch(/^is stored in plaintext in the stack file\. /);
    expect(token?.message).toMatch(says);
    expect(token?.fix).toMatch(
      /pulumi config set --secret digitalocean:token -s test|pulumi config rm digitalocean:token -s test/,
    );
  });

  test("used by nothing, the first fix removes it; used, the first fix encrypts it", () => {
    const unused = problemsOf({}, [], { environment: true, stack: "plaintext" }).problems[0];
    expect(unused.fix?.split("   (or")[0]).toBe("pulumi config rm digitalocean:token -s test");
    const used = problemsOf({ cluster: { doks: "task-api-test" } }, [], {
      environment: true,
      stack: "plaintext",
    }).problems[0];
    expect(used.fix?.split("   (or")[0]).toBe(
      "pulumi config set --secret digitalocean:token -s test",
    );
  });

  test("an encrypted token, or one exported, is accepted", () => {
    const doks = { cluster: { doks: "task-api-test" } };
    expect(problemsOf(doks, [], { environment: false, stack: "secret" }).problems).toEqual([]);
    expect(problemsOf(doks, [], { environment: true, stack: "missing" }).problems).toEqual([]);
  });
});

// `npm run check:stacks`: the committed stack files (whatever the user set in them), and fixture
// files good and bad, in a copy of the project whose stacks are the fixtures (STACK_FIXTURES).

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { checkStackConfig, programProblems, readDeclarations } from "../../review/stackFileChecks";
import { readStackFile } from "../../lib/config/stackFile";
import { PROJECT_DIR } from "../../review/engine/programFacts";
import { npmRun, scriptRun } from "../support/scriptProcesses";
import { copyProject, removeTempDirs } from "../support/offline";
import { listStacks } from "../../review/engine/stackFiles";

afterAll(removeTempDirs);

const FIXTURES = join(__dirname, "..", "fixtures", "stacks");
const declarations = readDeclarations(PROJECT_DIR);
const check = (stack: string) =>
  checkStackConfig(stack, readStackFile(FIXTURES, stack), declarations);

test.each(listStacks(PROJECT_DIR))("the committed %s stack file has no problem", (stack) => {
  expect(checkStackConfig(stack, readStackFile(PROJECT_DIR, stack), declarations)).toEqual([]);
});

test("a good stack file with encrypted secrets has no problem", () => {
  expect(check("good")).toEqual([]);
});

test("plaintext secrets are reported leaf by leaf, with rotation advice, never their values", () => {
  const problems = check("leaky");
  const plaintext = problems.filter((p) =>
    p.message.includes("is a plaintext secret in the stack file"),
  );
  expect(plaintext.map((p) => p.key)).toEqual([
    "task-api:registryToken",
    "task-api:secrets.DATABASE_PASSWORD",
    "digitalocean:token",
  ]);
  expect(plaintext[0].message).toMatch(/If it was committed or pushed, rotate it/);
  expect(plaintext[1].fix).toBe(
    "pulumi config set --secret --path 'secrets.DATABASE_PASSWORD' -s leaky",
  );
  const text = JSON.stringify(problems);
  for (const value of ["ghp_fixturePlaintext", "fixture-plaintext-password", "dop_v1_fixture"]) {
    expect(text).not.toContain(value);
  }
});

test("a required secret missing from a stack that sets others is reported", () => {
  expect(check("leaky").map((p) => p.key)).toContain("task-api:secrets.OPENAI_API_KEY");
});

test("an undeclared key is reported with the closest declared one", () => {
  const problem = check("sloppy").find((p) => p.key === "task-api:replica");
  expect(problem?.message).toMatch(/did you mean task-api:replicas\?/);
});

test("a secret under a misspelt or path-less key is still reported as plaintext", () => {
  const problems = check("misspelt");
  const plaintext = problems.filter((p) =>
    p.message.includes("is a plaintext secret in the stack file"),
  );
  expect(plaintext.map((p) => p.key)).toEqual([
    "task-api:secret",
    "task-api:secrets.OPENAI_API_KEY",
    "task-api:registryToken",
  ]);
  expect(problems.map((p) => p.message)).toContain(
    "is not declared in Pulumi.yaml, so the program never reads it; did you mean task-api:secrets?",
  );
});

test("a plaintext secret of the wrong type is described by its kind, never shown", () => {
  const problems = check("misspelt");
  expect(
    problems.find((p) => p.key === "task-api:registryToken" && /must be/.test(p.message))?.message,
  ).toBe("must be a string (Pulumi.yaml), but is a list");
  const text = JSON.stringify(problems);
  for (const value of ["fixture-misspelt-password", "sk-fixture-pathless", "ghp_fixtureToken"]) {
    expect(text).not.toContain(value);
  }
});

test("required secrets cannot be dropped per stack: they are declared in Pulumi.yaml", () => {
  const problem = check("sloppy").find(
    (p) => p.key === "task-api:requiredSecrets" && p.message.includes("set per stack"),
  );
  expect(problem?.fix).toBe("pulumi config rm task-api:requiredSecrets -s sloppy");
});

test("values of the wrong type are reported with the declared type", () => {
  const messages = Object.fromEntries(check("sloppy").map((p) => [p.key, p.message]));
  expect(messages["task-api:replicas"]).toMatch(/must be an integer/);
  expect(messages["task-api:restartOnChange"]).toMatch(/must be a boolean/);
  expect(messages["task-api:requiredSecrets"]).toMatch(/must be a list of strings/);
  expect(messages["task-api:config"]).toMatch(/must be an object/);
});

test("the command exits 1 listing every problem of every stack file, and 0 for the fixture stacks", () => {
  const bad = scriptRun(PROJECT_DIR, "check:stacks", "--dir", FIXTURES);
  const output = bad.stdout + bad.stderr;
  expect(bad.status).toBe(1);
  expect(output).toContain("Pulumi.good.yaml: ok");
  expect(output).toContain("6 problems in Pulumi.leaky.yaml");
  expect(output).toContain("6 problems in Pulumi.sloppy.yaml");
  expect(output).toContain("problems in Pulumi.misspelt.yaml");
  // The stacks the review commands know (listStacks), dotted names included.
  expect(output).toContain("2 problems in Pulumi.eu.staging.yaml");
  expect(npmRun(copyProject(), "check:stacks")).toEqual({
    status: 0,
    stdout: "Pulumi.production.yaml: ok\nPulumi.staging.yaml: ok\n",
    stderr: "",
  });
});

test("a stack file that is not valid YAML is reported by position, without quoting its text", () => {
  const dir = mkdtempSync(join(tmpdir(), "stacks-"));
  try {
    writeFileSync(
      join(dir, "Pulumi.broken.yaml"),
      "config:\n  task-api:registryToken: ghp_brokenYamlSecret: x\n",
    );
    expect(() => readStackFile(dir, "broken")).toThrow(
      /Pulumi.broken.yaml: not valid YAML at line 2/,
    );
    expect(() => readStackFile(dir, "broken")).not.toThrow(/ghp_brokenYamlSecret/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("file contents are checked leaf by leaf: encrypted ones pass, a plaintext one is a leak with the command that sets it from its file", () => {
  const problems = checkStackConfig(
    "s",
    {
      "task-api:secretFiles": { tls: { type: "kubernetes.io/tls", mountPath: "/etc/tls" } },
      "task-api:secretFileContents": {
        tls: { "tls.crt": { secure: "v1:abc" }, "tls.key": "-----BEGIN PRIVATE KEY-----fixture" },
      },
    },
    declarations,
  );
  expect(problems.map((p) => [p.key, p.fix])).toEqual([
    [
      "task-api:secretFileContents.tls.tls.key",
      "pulumi config set --secret --raw --path 'secretFileContents.tls[\"tls.key\"]' -s s < tls.key",
    ],
  ]);
  expect(JSON.stringify(problems)).not.toContain("fixture");
});

test("the command takes stack names like the others, refuses an unknown one by name, and has --help", () => {
  const project = copyProject();
  expect(scriptRun(project, "check:stacks", "staging")).toEqual({
    status: 0,
    stdout: "Pulumi.staging.yaml: ok\n",
    stderr: "",
  });
  const unknown = scriptRun(project, "check:stacks", "stagin");
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toBe(
    'no stack "stagin" here (Pulumi.stagin.yaml); stacks: production, staging\n',
  );
  const path = scriptRun(PROJECT_DIR, "check:stacks", "../staging");
  expect(path.status).toBe(2);
  expect(path.stderr).toContain('"../staging" is not a stack name');
  const help = scriptRun(PROJECT_DIR, "check:stacks", "--help");
  expect(help).toEqual({
    status: 0,
    stdout: "usage: npm run check:stacks -- [STACK...] [--dir DIR]\n",
    stderr: "",
  });
});

describe("one judge: check:stacks refuses what the program refuses, in its words", () => {
  const withStack = (config: Record<string, unknown>) => {
    const dir = mkdtempSync(join(tmpdir(), "stacks-"));
    writeFileSync(join(dir, "Pulumi.judged.yaml"), stringify({ config }));
    return dir;
  };
  const base = {
    "task-api:image": "ghcr.io/acme/task-api:1.5.0",
    "task-api:namespace": "task-api-judged",
    "task-api:registry": { server: "ghcr.io", username: "acme-deploy" },
  };

  test("an OpenAI key in the ConfigMap's config: refused by the program's credential detection", () => {
    const dir = withStack({
      ...base,
      "task-api:config": { UPSTREAM: `sk-proj-${"Zq8xW2vN5mK7pL3rT9yBcF4hJ6kD1sA0e".repeat(2)}` },
    });
    try {
      const run = scriptRun(PROJECT_DIR, "check:stacks", "--dir", dir);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(
        "task-api:config.UPSTREAM: secretlint finds a credential in the value (task-api/SK_SECRET_KEY)",
      );
      expect(run.stderr).not.toContain("sk-proj-");
      expect(programProblems(PROJECT_DIR, dir, "judged").map((p) => p.key)).toEqual([
        "task-api:config.UPSTREAM",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a plaintext DigitalOcean token is reported once, in the program's words", () => {
    const dir = withStack({ ...base, "digitalocean:token": `dop_v1_${"0a1b2c3d".repeat(8)}` });
    try {
      const run = scriptRun(PROJECT_DIR, "check:stacks", "--dir", dir);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("1 problem in Pulumi.judged.yaml");
      expect(run.stderr).toContain("digitalocean:token: is stored in plaintext in the stack file.");
      expect(run.stderr).not.toContain("0a1b2c3d");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

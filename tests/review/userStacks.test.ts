// What must hold for the committed stacks whatever the user set in them (issue 22): README's quick
// start, a new config value and a new secret must leave this file passing. Exact values are for
// the fixture stacks (tests/support/program.ts, STACK_FIXTURES); here only invariants:
// - each stack is valid, or refused with problems that each name a key and carry a fix;
// - no plaintext secret: no secret key's leaf is stored unencrypted;
// - its render (secrets as placeholders) matches the Kubernetes schema, or is refused as above;
// - the environment report agrees with the rendered objects: every ConfigMap key and every Secret
//   key is a variable of the container, from that layer, each name once, no Secret value shown.
// e2e/userStacks.e2e.test.ts applies the quick start and the two changes with the real CLI to a
// copy of the repository and runs the whole suite there.

import { InvalidConfigError, Problem } from "../../lib/problems";
import { isPlainObject } from "../../lib/values";
import { effectiveEnvironment } from "../../review/env/effectiveEnvironment";
import { PROJECT_DIR } from "../../review/engine/programFacts";
import { listStacks } from "../../review/engine/stackFiles";
import { renderStack } from "../../review/render/render";
import {
  checkStackConfig,
  programProblems,
  readDeclarations,
  withProgramProblems,
} from "../../review/stackFileChecks";
import { readStackFile } from "../../lib/config/stackFile";
import { jestProgramLoader } from "../support/program";

const STACKS = listStacks(PROJECT_DIR);

const fixable = (problems: readonly Problem[]) =>
  problems.every(
    (p) => /^[a-z-]+:\S+/.test(p.key) && p.message.length > 0 && (p.fix ?? "").length > 0,
  );

test("the project has at least one stack", () => {
  expect(STACKS.length).toBeGreaterThan(0);
});

describe.each(STACKS)("the committed stack %s", (stack) => {
  test("is valid, or refused with problems each at a key and with its fix", () => {
    const problems = withProgramProblems(
      programProblems(PROJECT_DIR, PROJECT_DIR, stack),
      checkStackConfig(stack, readStackFile(PROJECT_DIR, stack), readDeclarations(PROJECT_DIR)),
    );
    expect(fixable(problems)).toBe(true);
  });

  test("holds no secret in plaintext", () => {
    const config = readStackFile(PROJECT_DIR, stack);
    const plaintext = checkStackConfig(stack, config, readDeclarations(PROJECT_DIR)).filter((p) =>
      p.message.startsWith("is a plaintext secret"),
    );
    expect(plaintext).toEqual([]);
    const secrets = config["task-api:secrets"];
    if (isPlainObject(secrets)) {
      for (const value of Object.values(secrets)) {
        expect(value).toEqual({ secure: expect.any(String) });
      }
    }
  });

  test("renders schema-valid objects, and the environment report agrees with them", async () => {
    let rendering;
    try {
      rendering = await renderStack({ projectDir: PROJECT_DIR, stack, load: jestProgramLoader });
    } catch (error) {
      // Refused: then with problems a user can fix, and nothing else.
      expect(InvalidConfigError.isInstance(error)).toBe(true);
      expect(fixable((error as InvalidConfigError).problems)).toBe(true);
      return;
    }
    const [environment] = effectiveEnvironment(rendering.objects);
    const names = environment.rows.map((row) => row.name);
    expect(new Set(names).size).toBe(names.length);
    const data = (kind: string) =>
      rendering.objects
        .filter((o) => o.kind === kind && !(o as { type?: string }).type?.includes("dockerconfig"))
        .flatMap((o) => Object.keys((o as { data?: object }).data ?? {}));
    for (const key of data("ConfigMap")) {
      expect(environment.rows.find((row) => row.name === key)?.layer).toMatch(/^ConfigMap/);
    }
    const secretRows = environment.rows.filter((row) => row.layer === "Secret");
    expect(secretRows.map((row) => row.value).every((value) => value === "[secret]")).toBe(true);
    expect(secretRows.length).toBeGreaterThan(0);
  });
});

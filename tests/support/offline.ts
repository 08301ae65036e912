// Offline renders of the fixture stacks (STACK_FIXTURES) with changes, as the review commands make them: the
// stack file is written to a temporary project directory and read back by the renderer, and the
// program is the real index.ts.

import {
  copyFileSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { Rendering, renderStack } from "../../review/render/render";
import { StackValue } from "../../lib/config/stackFile";
import { Decrypt } from "../../review/engine/stackFiles";
import { STACK_FIXTURES, changedStackValues, jestProgramLoader } from "./program";
import { PROJECT_DIR } from "../../review/engine/programFacts";

const created: string[] = [];

/** A temporary directory, removed by `removeTempDirs`. */
export function tempDir(prefix = "task-api-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every directory `tempDir` made; call it from `afterAll`. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A project directory with the committed Pulumi.yaml and `Pulumi.STACK.yaml` with `changes`. */
export function projectWith(stack: string, changes: Record<string, StackValue> = {}): string {
  const dir = tempDir();
  copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  writeFileSync(
    join(dir, `Pulumi.${stack}.yaml`),
    stringify({ config: changedStackValues(stack, changes) }),
  );
  return dir;
}

/**
 * Renders `stack` with `changes` to its stack file. By default every secret is the render's
 * placeholder, as in `npm run render`; `decrypt` makes `secure:` values known test values instead.
 */
export function renderWith(
  stack: string,
  changes: Record<string, StackValue> = {},
  decrypt?: Decrypt,
): Promise<Rendering> {
  return renderStack({
    projectDir: projectWith(stack, changes),
    stack,
    decrypt,
    load: jestProgramLoader,
  });
}

/**
 * A copy of the project (program, the fixture stack files, start-up, review tools, scripts,
 * package.json) in a temporary directory,
 * using this checkout's node_modules through a symlink, for running the npm scripts on files a
 * test may change. Its .gitignore keeps the symlink out of git.
 */
export function copyProject(): string {
  const dir = tempDir("task-api-copy-");
  const files = readdirSync(PROJECT_DIR).filter((file) =>
    [
      "Pulumi.yaml",
      "index.ts",
      "package.json",
      "tsconfig.json",
      "components",
      "lib",
      "startup",
      "review",
      "scripts",
    ].includes(file),
  );
  for (const file of files) {
    cpSync(join(PROJECT_DIR, file), join(dir, file), { recursive: true });
  }
  // The stack files are the fixtures: the committed ones are the user's (STACK_FIXTURES).
  for (const file of readdirSync(STACK_FIXTURES)) {
    cpSync(join(STACK_FIXTURES, file), join(dir, file));
  }
  symlinkSync(join(PROJECT_DIR, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, ".gitignore"), "node_modules\nrendered/\n");
  return dir;
}

// review/diff/gitSnapshot.ts: the base commit `npm run diff` renders, unpacked into a temporary folder.

import { spawn } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR } from "../../../review/engine/programFacts";
import { snapshotAt } from "../../../review/diff/gitSnapshot";
import { removeTempDirs, tempDir } from "../../support/offline";

afterAll(removeTempDirs);

test.each(["SIGINT", "SIGTERM"] as const)(
  "%s while a snapshot is unpacked leaves no folder behind, and still ends the process",
  async (signal) => {
    // A command that unpacks HEAD and then waits, as npm run diff does while it renders.
    const script = join(tempDir(), "holdSnapshot.ts");
    writeFileSync(
      script,
      `import { snapshotAt } from ${JSON.stringify(join(PROJECT_DIR, "review", "diff", "gitSnapshot"))};\n` +
        `const snapshot = snapshotAt(${JSON.stringify(PROJECT_DIR)}, "HEAD");\n` +
        "process.stdout.write(snapshot.projectDir + '\\n');\n" +
        "setInterval(() => undefined, 1000);\n",
    );
    const child = spawn(process.execPath, [join(PROJECT_DIR, "startup/run.js"), script], {
      cwd: PROJECT_DIR,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const dir = await new Promise<string>((resolve) =>
      child.stdout.setEncoding("utf8").once("data", (line: string) => resolve(line.trim())),
    );
    expect(existsSync(dir)).toBe(true);
    const ended = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_, bySignal) => resolve(bySignal)),
    );
    child.kill(signal);
    expect(await ended).toBe(signal);
    expect(existsSync(dir)).toBe(false);
  },
  30_000,
);

test("a snapshot holds the program and its stack files, not the tooling, tests, docs or CI", () => {
  const snapshot = snapshotAt(PROJECT_DIR, "HEAD");
  try {
    const entries = readdirSync(snapshot.projectDir).sort();
    expect(entries).toEqual(
      expect.arrayContaining([
        "Pulumi.yaml",
        "Pulumi.staging.yaml",
        "Pulumi.production.yaml",
        "index.ts",
        "components",
        "lib",
        "package.json",
        "tsconfig.json",
        "node_modules",
      ]),
    );
    for (const left of [
      "review",
      "startup",
      "policy",
      "tests",
      "e2e",
      "scripts",
      "bench",
      "docs",
      ".github",
      ".ci",
    ]) {
      expect(entries).not.toContain(left);
    }
  } finally {
    snapshot.remove();
  }
  expect(existsSync(snapshot.projectDir)).toBe(false);
});

// The fix commands (lib/config/commands.ts) as a shell runs them: each value reaches `pulumi` as
// one argument, whatever it holds (a space, `$`, a quote), through a `pulumi` of this test's that
// prints its arguments one per line.

import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setCommand, setKeyCommand, setPlaintextCommand } from "../../../lib/config/commands";

let bin: string;

beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), "fix-commands-"));
  writeFileSync(
    join(bin, "pulumi"),
    '#!/bin/sh\nfor arg in "$@"; do printf "%s\\n" "$arg"; done\n',
  );
  chmodSync(join(bin, "pulumi"), 0o755);
});

afterAll(() => rmSync(bin, { recursive: true, force: true }));

/** The arguments `pulumi` gets when `command` is typed into a POSIX shell. */
function argumentsOf(command: string): string[] {
  return execFileSync("sh", ["-c", command], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` },
    encoding: "utf8",
  })
    .split("\n")
    .slice(0, -1);
}

const HOSTILE = ["a value with spaces", "$HOME and `id`", "it's", 'say "hi"', "a;b|c&d", "*"];

test.each(HOSTILE)("setKeyCommand passes %j as one argument", (value) => {
  expect(argumentsOf(setKeyCommand("image", value, "staging"))).toEqual([
    "config",
    "set",
    "task-api:image",
    value,
    "-s",
    "staging",
  ]);
});

test.each(HOSTILE)("setCommand and setPlaintextCommand pass %j as one argument", (value) => {
  expect(argumentsOf(setCommand("config.GREETING", value, "staging"))).toEqual([
    "config",
    "set",
    "--path",
    "config.GREETING",
    value,
    "-s",
    "staging",
  ]);
  expect(argumentsOf(setPlaintextCommand("config.GREETING", value, "staging")).slice(2)).toEqual([
    "--plaintext",
    "--path",
    "config.GREETING",
    value,
    "-s",
    "staging",
  ]);
});

test("a plain value is printed as it is, unquoted", () => {
  expect(setKeyCommand("image", "ghcr.io/acme/task-api:1.5.0", "staging")).toBe(
    "pulumi config set task-api:image ghcr.io/acme/task-api:1.5.0 -s staging",
  );
});

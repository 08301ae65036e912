// lib/config/quoting.ts: what a problem message may quote of what the stack set.

import { describeValue, isShowableName } from "../../../lib/config/quoting";

test("plain settings are quoted as they are", () => {
  expect(describeValue("ghcr.io/acme/task-api:1.4.2")).toBe('"ghcr.io/acme/task-api:1.4.2"');
  expect(describeValue(8080)).toBe("8080");
  expect(describeValue(true)).toBe("true");
});

test.each([
  ["a URL with a password", "https://deploy:s3cret-pw@ghcr.io/acme/task-api:1"],
  ["a URL with a token as user", "https://ghp_abcdefghijklmnopqrstuv@ghcr.io/acme"],
  ["a GitHub token", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"],
  ["a DigitalOcean token", `dop_v1_${"ab".repeat(32)}`],
  ["a long value", "x".repeat(201)],
])("%s is never quoted", (_, value) => {
  expect(describeValue(value)).toBe("a value that is not shown");
});

test("an object is described by its field names, never its values", () => {
  expect(describeValue({ token: "dop_v1_secret" })).toBe("an object with token");
  expect(describeValue({ "FOO=sk-live-123": 1 })).toBe("an object");
  expect(describeValue(["a", "b"])).toBe("a list of 2");
});

test("names are shown when they look like names, not when they carry a value", () => {
  expect(isShowableName("DATABASE_PASSWORD")).toBe(true);
  expect(isShowableName("app.kubernetes.io/name")).toBe(true);
  expect(isShowableName("FOO=bar")).toBe(false);
  expect(isShowableName("[ a, b ]")).toBe(false);
  expect(isShowableName("ghp_abcdefghijklmnopqrstuvwxyz0123456789")).toBe(false);
});

// Issue 25 in the review commands: `npm run env` names which values exist (current, previous),
// never a value; `npm run diff` says what each rotation step does to them, and warns of the two
// mistakes (a second rotation before retiring, a previousRotation the secret never had).

import { StackValue } from "../../../lib/config/stackFile";
import { effectiveEnvironment } from "../../../review/env/effectiveEnvironment";
import { diffRenderings, formatRenderDiff } from "../../../review/diff/renderDiff";
import { removeTempDirs, renderWith } from "../../support/offline";

afterAll(removeTempDirs);

const KEY = "task-api:generatedSecrets";
const session = (entry: Record<string, StackValue>) => ({
  [KEY]: { SESSION_KEY: { length: 64, ...entry } },
});

async function diffText(
  before: Record<string, StackValue>,
  after: Record<string, StackValue>,
): Promise<string> {
  return formatRenderDiff(
    diffRenderings(await renderWith("staging", before), await renderWith("staging", after)),
  );
}

test("env names the previous value as such, shown as [secret]", async () => {
  const rendering = await renderWith(
    "staging",
    session({ rotation: "2027-07", previousRotation: "2027-01" }),
  );
  const rows = effectiveEnvironment(rendering.objects)[0].rows;
  expect(rows.find((row) => row.name === "SESSION_KEY_PREVIOUS")).toEqual({
    name: "SESSION_KEY_PREVIOUS",
    value: "[secret]",
    layer: 'Secret (previous value of SESSION_KEY, rotation "2027-01", kept until retired)',
    shadows: [],
  });
  expect(rows.find((row) => row.name === "SESSION_KEY")?.layer).toBe(
    'Secret (generated, 64 letters and digits, rotation "2027-07")',
  );
});

test("diff: a rotation that keeps the old value, then a retire, each restarting the pods", async () => {
  const rotate = await diffText(
    session({ rotation: "2027-01" }),
    session({ rotation: "2027-07", previousRotation: "2027-01" }),
  );
  expect(rotate).toContain(
    "note: rotation: SESSION_KEY gets a new value, the old one stays as SESSION_KEY_PREVIOUS; pods restart",
  );
  expect(rotate).toMatch(/\npods will restart: yes/);
  const retire = await diffText(
    session({ rotation: "2027-07", previousRotation: "2027-01" }),
    session({ rotation: "2027-07" }),
  );
  expect(retire).toContain("note: SESSION_KEY_PREVIOUS is dropped; pods restart");
  expect(retire).toMatch(/\npods will restart: yes/);
});

test("diff warns of a second rotation before retiring, and of a previousRotation the secret never had", async () => {
  const second = await diffText(
    session({ rotation: "b", previousRotation: "a" }),
    session({ rotation: "c", previousRotation: "b" }),
  );
  expect(second).toContain(
    'note: warning: a second rotation before retiring: the value of rotation "a" (SESSION_KEY_PREVIOUS) is dropped; sessions signed with it stop verifying',
  );
  const unknown = await diffText(
    session({ rotation: "b" }),
    session({ rotation: "c", previousRotation: "x" }),
  );
  expect(unknown).toContain(
    'note: warning: previousRotation "x" was not a rotation of SESSION_KEY before: SESSION_KEY_PREVIOUS gets a new value, not the old one (set it to "b" to keep that)',
  );
});

// Properties of the checksums that decide when pods roll (fast-check).

import * as fc from "fast-check";
import { AppSecret, AppSecretArgs } from "../../components";
import { canonicalData, configChecksum, secretChecksum } from "../../lib/checksum";
import { settle, valueOf } from "../../review/engine/mockRuntime";
import { installProgramMocks } from "../../review/engine/programRun";

const key = fc.string({ minLength: 1, maxLength: 20 });
const data = fc.dictionary(key, fc.string({ maxLength: 40 }), { minKeys: 1, maxKeys: 8 });
const hmacKey = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((b) => Buffer.from(b).toString("hex"));

function reversed(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).reverse());
}

test("is stable under key reordering", () => {
  fc.assert(
    fc.property(data, hmacKey, (values, k) => {
      expect(configChecksum(reversed(values))).toBe(configChecksum(values));
      expect(secretChecksum(k, "Opaque", reversed(values))).toBe(
        secretChecksum(k, "Opaque", values),
      );
    }),
  );
});

test("changes when any value changes", () => {
  fc.assert(
    fc.property(data, hmacKey, fc.nat(), fc.string({ maxLength: 40 }), (values, k, pick, value) => {
      const name = Object.keys(values)[pick % Object.keys(values).length];
      fc.pre(values[name] !== value);
      const changed = { ...values, [name]: value };
      expect(configChecksum(changed)).not.toBe(configChecksum(values));
      expect(secretChecksum(k, "Opaque", changed)).not.toBe(secretChecksum(k, "Opaque", values));
    }),
  );
});

test("changes when a key is renamed, added or removed", () => {
  fc.assert(
    fc.property(data, hmacKey, key, fc.nat(), (values, k, newName, pick) => {
      const names = Object.keys(values);
      const name = names[pick % names.length];
      fc.pre(!(newName in values));
      const renamed = { ...values, [newName]: values[name] };
      delete renamed[name];
      const added = { ...values, [newName]: "" };
      const removed = { ...values };
      delete removed[name];
      for (const changed of [renamed, added, removed]) {
        expect(configChecksum(changed)).not.toBe(configChecksum(values));
        expect(secretChecksum(k, "Opaque", changed)).not.toBe(secretChecksum(k, "Opaque", values));
      }
    }),
  );
});

test("keeps keys and values apart: moving text between them changes the digest", () => {
  expect(configChecksum({ AB: "C" })).not.toBe(configChecksum({ A: "BC" }));
  expect(canonicalData("Opaque", { 'a","b': "c" })).not.toBe(
    canonicalData("Opaque", { a: "b", c: "" }),
  );
});

test("depends on the HMAC key: another key gives another digest for the same data", () => {
  fc.assert(
    fc.property(data, hmacKey, hmacKey, (values, k1, k2) => {
      fc.pre(k1 !== k2);
      expect(secretChecksum(k1, "Opaque", values)).not.toBe(secretChecksum(k2, "Opaque", values));
    }),
  );
});

test("is not the plain SHA-256 of the data, which anyone could recompute from a guess", () => {
  fc.assert(
    fc.property(data, hmacKey, (values, k) => {
      expect(secretChecksum(k, "Opaque", values)).not.toBe(configChecksum(values));
    }),
  );
});

test("is unchanged by the Secret's labels, name and namespace (metadata is not hashed)", async () => {
  const checksumWith = async (metadata: Partial<AppSecretArgs>): Promise<string> => {
    await installProgramMocks("unit"); // a fresh run each time: same stack, so the same random key
    const secret = new AppSecret("task-api-secrets", {
      namespace: "ns",
      data: { DATABASE_PASSWORD: "same-data" },
      ...metadata,
    });
    await settle();
    return valueOf(secret.checksum);
  };
  const plainChecksum = await checksumWith({});
  await fc.assert(
    fc.asyncProperty(
      fc.dictionary(fc.stringMatching(/^[a-z]{1,10}$/), fc.stringMatching(/^[a-z0-9]{0,10}$/)),
      fc.stringMatching(/^[a-z]{1,12}$/),
      async (labels, name) => {
        expect(await checksumWith({ labels, secretName: name, namespace: name })).toBe(
          plainChecksum,
        );
      },
    ),
    { numRuns: 10 },
  );
});

test("the Secret's type counts: the same data under another type has another checksum", () => {
  const data = { "tls.crt": "a", "tls.key": "b" };
  expect(secretChecksum("key", "kubernetes.io/tls", data)).not.toBe(
    secretChecksum("key", "Opaque", data),
  );
});

// The env-layer model against Kubernetes' precedence: explicit env > Secret > ConfigMap, with
// program defaults inside the ConfigMap under the stack's config.

import * as fc from "fast-check";
import { EnvSource, planEnvironment } from "../../lib/envLayers";

// Kubernetes' precedence, written out here rather than taken from the model under test: envFrom
// sources in list order (our ConfigMap, which holds defaults under config, then the Secret), and
// explicit `env` over all of them.
const LOWEST_TO_HIGHEST: readonly EnvSource[] = ["default", "config", "secret", "env"];

const name: fc.Arbitrary<string> = fc.constantFrom("A", "B", "C", "D", "E", "F");
const layer = fc.dictionary(name, fc.string({ maxLength: 5 }), { maxKeys: 6 });
const names = fc.uniqueArray(name, { maxLength: 6 });

test("the container sees the value of the highest-precedence source that sets a name", () => {
  fc.assert(
    fc.property(layer, layer, names, names, (defaults, config, secretKeys, explicitEnv) => {
      const plan = planEnvironment({ defaults, config, secretKeys, explicitEnv });
      const sets: Record<EnvSource, (n: string) => boolean> = {
        default: (n) => n in defaults,
        config: (n) => n in config,
        secret: (n) => secretKeys.includes(n),
        env: (n) => explicitEnv.includes(n),
      };
      // Complete: the plan names exactly the union of its inputs, so the loop below covers them all.
      const union = new Set([
        ...Object.keys(defaults),
        ...Object.keys(config),
        ...secretKeys,
        ...explicitEnv,
      ]);
      expect(plan.variables.map((variable) => variable.name)).toEqual([...union].sort());
      for (const variable of plan.variables) {
        const setting = LOWEST_TO_HIGHEST.filter((source) => sets[source](variable.name));
        expect(variable.source).toBe(setting[setting.length - 1]);
        expect(variable.shadows).toEqual(setting.slice(0, -1));
      }
    }),
  );
});

test("a default stays in the ConfigMap only where nothing else sets its name", () => {
  fc.assert(
    fc.property(layer, layer, names, names, (defaults, config, secretKeys, explicitEnv) => {
      const plan = planEnvironment({ defaults, config, secretKeys, explicitEnv });
      // Complete: every config key, and every default that nothing else sets.
      const overridden = new Set([...Object.keys(config), ...secretKeys, ...explicitEnv]);
      const expected = [
        ...Object.keys(config),
        ...Object.keys(defaults).filter((key) => !overridden.has(key)),
      ];
      expect(Object.keys(plan.configMapData).sort()).toEqual(expected.sort());
      for (const [key, value] of Object.entries(plan.configMapData)) {
        expect(value).toBe(key in config ? config[key] : defaults[key]);
        if (!(key in config)) {
          expect(secretKeys.includes(key) || explicitEnv.includes(key)).toBe(false);
        }
      }
      for (const key of Object.keys(config)) {
        expect(plan.configMapData[key]).toBe(config[key]);
      }
    }),
  );
});

test("a name in config and secrets, or in env and either, is a conflict; with a default it is not", () => {
  const plan = planEnvironment({
    defaults: { LOG_LEVEL: "info", NODE_ENV: "production" },
    config: { LOG_LEVEL: "debug", REGION: "nyc1" },
    secretKeys: ["REGION", "NODE_ENV"],
    explicitEnv: ["POD_NAME", "LOG_LEVEL"],
  });
  expect(plan.conflicts).toEqual([
    { name: "LOG_LEVEL", sources: ["config", "env"] },
    { name: "REGION", sources: ["config", "secret"] },
  ]);
  expect(plan.variables.map((v) => `${v.name}:${v.source}`)).toEqual([
    "LOG_LEVEL:env",
    "NODE_ENV:secret",
    "POD_NAME:env",
    "REGION:secret",
  ]);
  const nodeEnv = plan.variables.find((v) => v.name === "NODE_ENV");
  expect(nodeEnv).toEqual({
    name: "NODE_ENV",
    source: "secret",
    carrier: "Secret",
    shadows: ["default"],
  });
  expect(plan.configMapData).toEqual({ LOG_LEVEL: "debug", REGION: "nyc1" });
});

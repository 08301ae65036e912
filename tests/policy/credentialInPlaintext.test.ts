// policy/rules/credentialInPlaintext.ts: the program's credential judge on any program's
// ConfigMaps and literal env values, with the program's NAME:FINDING acceptance from the pack config.

import { credentialViolations } from "../../policy/rules/credentialInPlaintext";
import { deployment, HARDENED_CONTAINER, packResource } from "../support/packResources";

// Made up, in the shape of a Stripe live key (as tests/lib/credentials/detector.test.ts).
const STRIPE = `sk_live_${"Zq8Xw2Rt5Yp1Lm4Nb7Vc0Kd3"}`;
const FINDING = "stripe/STRIPE_SECRET_KEY_LIVE";

const configMap = (data: Record<string, string>) =>
  packResource("ConfigMap", "app-config", {
    metadata: { name: "app-config", namespace: "shop" },
    data,
  });

test("a credential in a ConfigMap is a violation naming the object, the key and the finding, never the value", () => {
  const violations = credentialViolations([configMap({ LOG_LEVEL: "info", PAYMENTS_KEY: STRIPE })]);
  expect(violations).toHaveLength(1);
  expect(violations[0].urn).toContain("app-config");
  expect(violations[0].message).toContain('ConfigMap "shop/app-config" data.PAYMENTS_KEY');
  expect(violations[0].message).toContain(FINDING);
  expect(violations[0].message).toContain(`"PAYMENTS_KEY:${FINDING}"`);
  expect(violations[0].message).not.toContain(STRIPE);
  expect(violations[0].message).not.toContain(STRIPE.slice(8, 20));
});

test("NAME:FINDING in the pack config accepts that finding of that name only", () => {
  const accepted = { acceptedFindings: [`PAYMENTS_KEY:${FINDING}`] };
  expect(credentialViolations([configMap({ PAYMENTS_KEY: STRIPE })], accepted)).toEqual([]);
  // The same finding under another name, and another finding under the name, are still refused.
  expect(credentialViolations([configMap({ OTHER_KEY: STRIPE })], accepted)).toHaveLength(1);
  expect(
    credentialViolations(
      [configMap({ PAYMENTS_KEY: `glpat-${"Ab3Cd5Ef7Gh9Ij1Kl3Mn"}` })],
      accepted,
    ),
  ).toHaveLength(1);
});

test("a credential in a container's literal env value is a violation at its field", () => {
  const container = {
    ...HARDENED_CONTAINER,
    env: [
      { name: "MODE", value: "fast" },
      { name: "PAYMENTS_KEY", value: STRIPE },
    ],
  };
  const violations = credentialViolations([deployment("app", "shop", { containers: [container] })]);
  expect(violations.map(({ message }) => message.split(":")[0])).toEqual([
    'Deployment "shop/app" spec.template.spec.containers[0].env[1].value',
  ]);
  expect(violations[0].message).not.toContain(STRIPE);
});

test("plain config, env from a Secret, and a Secret's own data are no violation", () => {
  const container = {
    ...HARDENED_CONTAINER,
    env: [{ name: "PAYMENTS_KEY", valueFrom: { secretKeyRef: { name: "app", key: "k" } } }],
  };
  expect(
    credentialViolations([
      configMap({ LOG_LEVEL: "info", PUBLIC_URL: "https://shop.example.com" }),
      deployment("app", "shop", { containers: [container] }),
      packResource("Secret", "app", { stringData: { PAYMENTS_KEY: STRIPE } }),
    ]),
  ).toEqual([]);
});

test("a name that is itself a credential is described, never printed, and cannot be accepted", () => {
  const violations = credentialViolations([configMap({ [STRIPE]: STRIPE })], {
    acceptedFindings: [`${STRIPE}:${FINDING}`],
  });
  expect(violations).toHaveLength(1);
  expect(violations[0].message).toContain('ConfigMap "shop/app-config" data.<a name not shown>:');
  expect(violations[0].message).toContain("rename it");
  expect(violations[0].message).not.toContain(STRIPE);
});

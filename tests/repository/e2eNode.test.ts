// What the end-to-end node is made of that can be checked without root or a kubelet: the
// certificates of e2e/harness/pki.ts, read back by Node's own X.509 parser, and the Debian packages
// `npm run e2e:tools` installs (e2e/harness/debianPackages.ts).

import { X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";
import { CertificateAuthority } from "../../e2e/harness/pki";
import { NODE_PACKAGES, installCommand } from "../../e2e/harness/debianPackages";

const ca = new CertificateAuthority("task-api-e2e-ca");
const caCert = new X509Certificate(ca.cert);

test("the certificate authority signs itself and may sign others, nothing else", () => {
  expect(caCert.ca).toBe(true);
  expect(caCert.subject).toBe("CN=task-api-e2e-ca");
  expect(caCert.issuer).toBe(caCert.subject);
  expect(caCert.verify(caCert.publicKey)).toBe(true);
  // Node calls the extended key usages keyUsage: an authority serves and authenticates no one.
  expect(caCert.keyUsage).toBeUndefined();
});

test("a kubelet's client certificate names its user and group, and the authority issued it", () => {
  const issued = ca.issue({
    commonName: "system:node:127.0.0.1",
    groups: ["system:nodes"],
    usages: ["client"],
  });
  const cert = new X509Certificate(issued.cert);
  // Kubernetes reads the user from CN and the groups from O (x509 request authenticator).
  expect(cert.subject.split("\n").sort()).toEqual(["CN=system:node:127.0.0.1", "O=system:nodes"]);
  expect(cert.ca).toBe(false);
  expect(cert.checkIssued(caCert)).toBe(true);
  expect(cert.verify(caCert.publicKey)).toBe(true);
  expect(cert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.2"]);
  expect(cert.subjectAltName).toBeUndefined();
  // The key is the certificate's.
  expect(cert.checkPrivateKey(createPrivateKey(issued.key))).toBe(true);
  expect(cert.publicKey.export({ type: "spki", format: "pem" })).toEqual(
    createPublicKey(createPrivateKey(issued.key)).export({ type: "spki", format: "pem" }),
  );
});

test("a serving certificate is valid for its addresses and names only", () => {
  const cert = new X509Certificate(
    ca.issue({
      commonName: "system:node:127.0.0.1",
      groups: ["system:nodes"],
      usages: ["server"],
      hosts: ["127.0.0.1", "localhost"],
    }).cert,
  );
  expect(cert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
  expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");
  expect(cert.checkHost("localhost")).toBe("localhost");
  expect(cert.checkIP("192.0.2.2")).toBeUndefined();
  expect(cert.checkHost("example.com")).toBeUndefined();
  const now = Date.now();
  expect(Date.parse(cert.validFrom)).toBeLessThan(now);
  expect(Date.parse(cert.validTo)).toBeGreaterThan(now + 24 * 3600 * 1000);
});

test("certificates of two authorities do not verify against each other", () => {
  const other = new X509Certificate(new CertificateAuthority("another").cert);
  const cert = new X509Certificate(ca.issue({ commonName: "x", usages: ["client"] }).cert);
  expect(cert.verify(other.publicKey)).toBe(false);
  expect(cert.checkIssued(other)).toBe(false);
});

test("the node's Debian packages are installed without recommends, each with its reason", () => {
  expect(NODE_PACKAGES.map((p) => p.name)).toEqual([
    "containerd",
    "runc",
    "containernetworking-plugins",
    "iproute2",
    "openssl",
  ]);
  for (const p of NODE_PACKAGES) {
    expect(p.why.length).toBeGreaterThan(10);
  }
  // containerd recommends criu, iptables nftables: neither is used by the node.
  expect(installCommand(["runc"])).toEqual([
    "apt-get",
    "install",
    "-y",
    "--no-install-recommends",
    "runc",
  ]);
});

// Certificates for the end-to-end cluster: a certificate authority made per run and the
// certificates it signs (the kubelet's client and serving certificates, the API server's client
// certificate for the kubelet). Node has no API that writes an X.509 certificate, so the `openssl`
// command makes them (a Debian package e2e/harness/debianPackages.ts installs), as Kubernetes' "Generate
// Certificates Manually" shows (https://kubernetes.io/docs/tasks/administer-cluster/certificates/):
// `openssl req -x509` for the authority, `openssl req` and `openssl x509 -req` with an extensions
// file for the rest. Keys are ECDSA P-256, signatures ECDSA with SHA-256; each call works in a
// temporary directory of its own, and keys go to files there, never to openssl's output.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Issued {
  /** PEM of the certificate. */
  readonly cert: string;
  /** PEM (PKCS #8) of its private key. */
  readonly key: string;
}

export interface CertificateRequest {
  /** The user name Kubernetes sees (the certificate's common name). */
  readonly commonName: string;
  /** The groups Kubernetes sees (the certificate's organizations). */
  readonly groups?: readonly string[];
  /** `client`, `server` or both. */
  readonly usages: readonly ("client" | "server")[];
  /** DNS names and IP addresses a server certificate is valid for. */
  readonly hosts?: readonly string[];
}

// A new ECDSA P-256 key, unencrypted; certificates valid for 7 days, signed with SHA-256.
const NEW_KEY = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc";
const SIGN = "-days 7 -sha256";
// Our own configuration, not the system's openssl.cnf: `req` needs a distinguished_name section,
// and the extensions are only those written here.
const REQ_CONFIG = "[req]\ndistinguished_name = dn\n[dn]\n";

/**
 * Runs openssl in `dir` with the words of `command` (none has a space) and then `subject`'s
 * `-subj`, if any; on failure, the error carries what openssl said on stderr.
 */
function openssl(dir: string, command: string, subject?: string): void {
  const args = [...command.split(" "), ...(subject === undefined ? [] : ["-subj", subject])];
  try {
    execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      const message = "no openssl command: npm run e2e:tools installs it (Debian package openssl)";
      throw new Error(message, { cause: error });
    }
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    const message = `openssl ${args[0]} failed: ${stderr || (error as Error).message}`;
    throw new Error(message, { cause: error });
  }
}

/** Calls `body` with a new private directory, removed afterwards. */
function inTempDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "task-api-e2e-pki-"));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `-subj` of openssl: each organization (a Kubernetes group), then the common name. */
function subject(commonName: string, organizations: readonly string[]): string {
  const escape = (value: string) => value.replace(/[\\/+]/g, "\\$&");
  return [...organizations.map((o) => `/O=${escape(o)}`), `/CN=${escape(commonName)}`].join("");
}

function subjectAltName(hosts: readonly string[]): string {
  return hosts
    .map((host) => {
      if (isIP(host)) {
        return `IP:${host}`;
      }
      if (!/^[A-Za-z0-9*][A-Za-z0-9.-]*$/.test(host)) {
        throw new Error(`not a DNS name or an IP address: ${JSON.stringify(host)}`);
      }
      return `DNS:${host}`;
    })
    .join(", ");
}

/** A certificate authority of one run: its certificate and key live in memory. */
export class CertificateAuthority {
  readonly cert: string;
  private readonly key: string;

  constructor(commonName: string) {
    [this.cert, this.key] = inTempDir((dir) => {
      writeFileSync(
        join(dir, "ca.cnf"),
        `${REQ_CONFIG}[ca]\nbasicConstraints = critical, CA:true\n` +
          "keyUsage = critical, digitalSignature, keyCertSign, cRLSign\n" +
          "subjectKeyIdentifier = hash\n",
      );
      openssl(
        dir,
        `req -x509 ${NEW_KEY} -keyout ca.key -out ca.crt ${SIGN} -config ca.cnf -extensions ca`,
        subject(commonName, []),
      );
      return [readFileSync(join(dir, "ca.crt"), "utf8"), readFileSync(join(dir, "ca.key"), "utf8")];
    });
  }

  /** A new key and a certificate for it, signed by this authority. */
  issue(request: CertificateRequest): Issued {
    const extendedKeyUsage = request.usages
      .map((usage) => (usage === "server" ? "serverAuth" : "clientAuth"))
      .join(", ");
    const extensions = [
      "[leaf]",
      "basicConstraints = critical, CA:false",
      "keyUsage = critical, digitalSignature",
      `extendedKeyUsage = ${extendedKeyUsage}`,
      "subjectKeyIdentifier = hash",
      "authorityKeyIdentifier = keyid",
      ...(request.hosts?.length ? [`subjectAltName = ${subjectAltName(request.hosts)}`] : []),
    ];
    return inTempDir((dir) => {
      writeFileSync(join(dir, "ca.crt"), this.cert);
      writeFileSync(join(dir, "ca.key"), this.key, { mode: 0o600 });
      writeFileSync(join(dir, "req.cnf"), REQ_CONFIG);
      writeFileSync(join(dir, "leaf.ext"), `${extensions.join("\n")}\n`);
      openssl(
        dir,
        `req -new ${NEW_KEY} -keyout leaf.key -out leaf.csr -config req.cnf`,
        subject(request.commonName, request.groups ?? []),
      );
      // No -CAserial: openssl 3 gives the certificate a random serial number.
      openssl(
        dir,
        `x509 -req -in leaf.csr -CA ca.crt -CAkey ca.key ${SIGN}` +
          " -extfile leaf.ext -extensions leaf -out leaf.crt",
      );
      return {
        cert: readFileSync(join(dir, "leaf.crt"), "utf8"),
        key: readFileSync(join(dir, "leaf.key"), "utf8"),
      };
    });
  }

  /** Writes the certificate and the key (mode 0600) of `issued` to the two files. */
  static write(issued: Issued, certFile: string, keyFile: string): void {
    writeFileSync(certFile, issued.cert);
    writeFileSync(keyFile, issued.key, { mode: 0o600 });
  }
}

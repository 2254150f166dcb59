/**
 * A throw-away CA and a 127.0.0.1 server certificate for the sandbox's Kubernetes API, made with
 * the `openssl` CLI (EC keys keep it fast). HTTPS is needed because kubectl never sends a bearer
 * token over plain HTTP. Same recipe as test/integration/kubernetes/test-certificates.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM texts of the CA and of the server certificate and key it signed. */
export interface SandboxCertificates {
  readonly caPem: string;
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
}

/** Creates the certificates; throws when `openssl` is not installed. Valid for `days` days. */
export function createSandboxCertificates(days = 30): SandboxCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'fsa-sandbox-tls-'));
  const f = (file: string) => join(dir, file);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const openssl = (args: string[]) => {
    try {
      execFileSync('openssl', args, { stdio: 'ignore' });
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new Error(
        missing
          ? 'the sandbox needs the openssl CLI for the HTTPS certificate of its Kubernetes API (or --plain-http, which kubectl cannot use)'
          : `openssl ${args[0] ?? ''} failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  };
  try {
    openssl(['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem')]
      .concat(['-subj', '/CN=fsa-sandbox-ca', '-days', String(days)]));
    openssl(['req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1']);
    writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    openssl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key')]
      .concat(['-CAcreateserial', '-out', f('server.pem'), '-days', String(days), '-extfile', f('ext.cnf')]));
    return {
      caPem: readFileSync(f('ca.pem'), 'utf8'),
      serverCertPem: readFileSync(f('server.pem'), 'utf8'),
      serverKeyPem: readFileSync(f('server.key'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

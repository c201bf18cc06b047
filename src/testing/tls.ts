import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageFile } from '../package-files.js';

/** The test PKI of the simulated API server (scripts/gen-tls.sh): CA, server and client certificates. */
export interface TestPki {
  ca: Buffer;
  serverCert: Buffer;
  serverKey: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
  /** A CA that signed nothing here, for "unknown authority" tests. */
  otherCa: Buffer;
  /** Directory holding the PEM files. */
  dir: string;
}

let generated: string | undefined;

/**
 * Where the PEM files are: the repository's committed ones, or — in the
 * published package, which ships no private key — a throw-away PKI made
 * once per process by scripts/gen-tls.sh (bash and openssl).
 */
function pkiDirectory(): string {
  const committed = packageFile('fixtures/tls');
  if (committed) return committed;
  if (generated) return generated;
  const script = packageFile('scripts/gen-tls.sh');
  const dir = mkdtempSync(join(tmpdir(), 'kubedog-test-pki-'));
  try {
    if (!script) throw new Error('scripts/gen-tls.sh is not in the package');
    execFileSync('bash', [script, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const reason = (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
    throw new Error(`cannot make the test PKI (it needs bash and openssl): ${reason}`);
  }
  generated = dir;
  return dir;
}

/**
 * The test PKI: the simulated cluster's `tls: true` serves with it. In
 * kubedog's repository, the committed one (fixtures/tls); in the package, one
 * made on first use.
 * @throws {Error} the package's PKI cannot be made (no bash or openssl)
 */
export function loadTestPki(): TestPki {
  const dir = pkiDirectory();
  const read = (name: string) => readFileSync(join(dir, name));
  return {
    ca: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    otherCa: read('other-ca.crt'),
    dir: `${dir}/`,
  };
}

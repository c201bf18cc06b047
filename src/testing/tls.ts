import { readFileSync } from 'node:fs';

/** The committed test PKI (scripts/gen-tls.sh): CA, server and client certificates. */
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

const dir = new URL('../../fixtures/tls/', import.meta.url);

export function loadTestPki(): TestPki {
  const read = (name: string) => readFileSync(new URL(name, dir));
  return {
    ca: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    otherCa: read('other-ca.crt'),
    dir: dir.pathname,
  };
}

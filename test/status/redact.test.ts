import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { computeVerdict } from '../../src/status/index.js';
import { redactCredentials } from '../../src/status/redact.js';

/** [what the cluster said, what kubedog shows]: every shape SECURITY.md lists. */
const MASKED: [string, string][] = [
  ['pull https://u:p4ss@reg.io/x failed', 'pull https://***@reg.io/x failed'],
  ['Authorization: Bearer abc.def-ghi', 'Authorization: Bearer ***'],
  ['Authorization: Basic dXNlcjpodW50ZXIy', 'Authorization: Basic ***'],
  ['login failed: password=hunter2 user=bob', 'login failed: password=*** user=bob'],
  ['DB_PASSWORD=hunter2 DB_USER=bob', 'DB_PASSWORD=*** DB_USER=bob'],
  [
    'config {"user":"bob","password":"hun\\"ter2"} rejected',
    'config {"user":"bob","password":"***"} rejected',
  ],
  ['{"auths":{"reg.io":{"auth":"Ym9iOmh1bnRlcjI="}}}', '{"auths":{"reg.io":{"auth":"***"}}}'],
  ['{"client_secret": "s3cr3t", "scope": "x"}', '{"client_secret": "***", "scope": "x"}'],
  ['exec: psql --password hunter2 --host db', 'exec: psql --password *** --host db'],
  ['run --token=abc123 --verbose', 'run --token=*** --verbose'],
  ['aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCY', 'aws_secret_access_key=***'],
  ['AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG', 'AWS_SECRET_ACCESS_KEY: ***'],
  ['key id AKIAIOSFODNN7EXAMPLE denied', 'key id *** denied'],
  ['api_key: 12345, region: eu', 'api_key: ***, region: eu'],
  ['token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJl expired', 'token *** expired'],
  ['push denied for ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'push denied for ***'],
  ['github_pat_11ABCDEFG0abcdefghijklmnopqrstuvwxyz', '***'],
  ['clone with glpat-abcdefghij0123456789', 'clone with ***'],
  ['notify xoxb-1234567890-abcdefghij failed', 'notify *** failed'],
  ['npm_abcdefghijklmnopqrstuvwxyz0123456789 is invalid', '*** is invalid'],
  ['key AIzaSyA-abcdefghijklmnopqrstuvwxyz01234 rejected', 'key *** rejected'],
  ['sk_live_abcdefghijklmnop0123 declined', '*** declined'],
  [
    'bad key: -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY----- (parse error)',
    'bad key: -----BEGIN RSA PRIVATE KEY----- *** -----END RSA PRIVATE KEY----- (parse error)',
  ],
  [
    'cut off: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
    'cut off: -----BEGIN PRIVATE KEY----- *** -----END PRIVATE KEY-----',
  ],
];

/** What is not a credential stays as it is. */
const KEPT = [
  'nothing secret here',
  'Back-off pulling image "registry.local/web:v2"',
  'MountVolume.SetUp failed for volume "db" : secret "db-pass" not found',
  "couldn't find key password in Secret default/db",
  'no basic auth credentials',
  'Readiness probe failed: HTTP probe failed with statuscode: 503',
  '0/3 nodes are available: 3 Insufficient memory.',
];

describe('credentials in what the cluster says are masked', () => {
  test('every recognised shape', () => {
    for (const [said, shown] of MASKED) assert.equal(redactCredentials(said), shown, said);
  });

  test('what is not a credential is kept', () => {
    for (const text of KEPT) assert.equal(redactCredentials(text), text);
  });

  test('masking twice changes nothing more (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const once = redactCredentials(text);
        return redactCredentials(once) === once;
      }),
    );
  });

  test("a verdict quoting a condition's message masks what it quotes", () => {
    const verdict = computeVerdict(
      {
        apiVersion: 'db.example.com/v1',
        kind: 'Database',
        metadata: { name: 'orders' },
        status: {
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'Failed',
              message: 'connect postgres://app:hunter2@db failed',
            },
          ],
        },
      },
      { now: new Date() },
    );
    assert.equal(verdict.state, 'failed');
    assert.doesNotMatch(verdict.message, /hunter2/);
    assert.match(verdict.message, /postgres:\/\/\*\*\*@db/);
  });
});

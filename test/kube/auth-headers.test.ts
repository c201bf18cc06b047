import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Authenticator } from '../../src/kube/auth.js';

const cluster = { server: 'https://k8s.example', insecureSkipTlsVerify: false };

describe('Authenticator headers', () => {
  test('basic auth and impersonation', async () => {
    const auth = new Authenticator(
      { username: 'jane', password: 'pw', impersonate: { user: 'bob', groups: ['a', 'b'] } },
      cluster,
    );
    assert.deepEqual((await auth.credentials()).headers, {
      authorization: `Basic ${Buffer.from('jane:pw').toString('base64')}`,
      'impersonate-user': 'bob',
      'impersonate-group': 'a,b',
    });
    assert.equal(auth.describe(), 'basic auth (user "jane")');
    assert.equal(auth.refreshable, false);
    assert.equal(auth.invalidate(), false);
  });

  test('a static token is not refreshable; no credentials means no header', async () => {
    assert.deepEqual((await new Authenticator({ token: 't' }, cluster).credentials()).headers, {
      authorization: 'Bearer t',
    });
    assert.deepEqual((await new Authenticator({}, cluster).credentials()).headers, {});
  });

  test('an unreadable token file is a clear error', async () => {
    const auth = new Authenticator({ tokenFile: '/nonexistent/token' }, cluster);
    await assert.rejects(auth.credentials(), /cannot read token file \/nonexistent\/token: ENOENT/);
  });
});

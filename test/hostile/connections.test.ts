import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import { hostileServer, runAgainst, TOKEN } from './hostile.js';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('hostile servers: who refused, and whose password', () => {
  test('a proxy that refuses connections is named as the proxy, not as the API server', async () => {
    const port = await closedPort();
    await using server = await hostileServer(() => {}, {
      cluster: { 'proxy-url': `http://squid:pr0xyPass@127.0.0.1:${port}` },
    });
    const run = await runAgainst(server, ['rollout', 'track', 'deploy/web', '--timeout', '5s']);
    assert.equal(run.code, 3, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(
        `^kubedog: cannot reach the proxy 127\\.0\\.0\\.1:${port} \\(proxy-url\\) for the Kubernetes API server 127\\.0\\.0\\.1:\\d+: connection refused`,
        'm',
      ),
    );
    assert.ok(!run.stderr.includes('pr0xyPass'));
  });

  test("a server URL's userinfo is in no error, debug line or warning", async () => {
    await using server = await hostileServer(
      (_request, response) => {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end('{"kind":"Status","status":"Failure","reason":"Unauthorized","code":401}');
      },
      { userinfo: 'alice:PaSsW0rd', cluster: { 'insecure-skip-tls-verify': true } },
    );
    const run = await runAgainst(server, ['rollout', 'track', 'deploy/web', '--timeout', '5s', '--debug']);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /Unauthorized/);
    for (const secret of ['PaSsW0rd', 'alice:', TOKEN])
      assert.ok(!run.stderr.includes(secret), `${secret} shown`);
  });
});

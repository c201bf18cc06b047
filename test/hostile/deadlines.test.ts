import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hostileServer, runAgainst } from './hostile.js';

describe('hostile servers: --timeout is one deadline for the whole run', () => {
  test('-l against a server that never answers: exit 2 within the timeout', async () => {
    await using server = await hostileServer(() => {
      // Never a status line.
    });
    const run = await runAgainst(server, ['rollout', 'track', '-l', 'app=web', '--timeout', '2s']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^✗ timed out after 2\.0s: the API server did not say what to track in time$/m);
    assert.ok(run.ms < 4000, `${Math.round(run.ms)} ms`);
  });

  test('--helm-release against a server that trickles its answer: exit 2 within the timeout', async () => {
    await using server = await hostileServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"kind":"SecretList","items":[');
      const trickle = setInterval(() => response.write(' '), 100);
      response.on('close', () => clearInterval(trickle));
    });
    const run = await runAgainst(server, ['rollout', 'track', '--helm-release', 'shop', '--timeout', '2s']);
    assert.equal(run.code, 2, run.stderr);
    assert.ok(run.ms < 4000, `${Math.round(run.ms)} ms`);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hostileServer, logLines, onePodApi, runAgainst, runningPod, trickle } from './hostile.js';

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
    await using server = await hostileServer(trickle('{"kind":"SecretList","items":['));
    const run = await runAgainst(server, ['rollout', 'track', '--helm-release', 'shop', '--timeout', '2s']);
    assert.equal(run.code, 2, run.stderr);
    assert.ok(run.ms < 4000, `${Math.round(run.ms)} ms`);
  });

  test('follow against a trickling list (the first list of a watch): cut at --request-timeout, exit 3', async () => {
    await using server = await hostileServer(trickle('{"kind":"PodList","items":['));
    const run = await runAgainst(server, ['follow', 'pod/p', '--request-timeout', '2s']);
    assert.equal(run.code, 3, run.stderr);
    assert.match(
      run.stderr,
      /^kubedog: GET \/api\/v1\/namespaces\/default\/\w+: \S+ sent no complete answer within 2s \(request timeout\)$/m,
    );
    assert.ok(run.ms < 4000, `${Math.round(run.ms)} ms`);
  });
});

describe('hostile servers: what a timeout says', () => {
  test('a server that never answers the list: not "it does not exist", but that the API server did not answer', async () => {
    await using server = await hostileServer(() => {
      // Headers never come.
    });
    const run = await runAgainst(server, ['rollout', 'track', 'deploy/web', '--timeout', '2s']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /not ready after 2s: no answer from the API server about deployment\/web yet$/m);
    assert.doesNotMatch(run.stderr, /does not exist/);
  });

  test("a server that stalls the report's reads (Warning events, last log lines): the timeout still ends the run", async () => {
    // The report's reads — the pod's Warning events, its last log lines — are never answered.
    const reportRead = (url: URL) =>
      (url.searchParams.get('fieldSelector')?.includes('involvedObject.name') ?? false) ||
      (url.pathname.endsWith('/log') && url.searchParams.get('follow') !== 'true');
    await using server = await hostileServer(
      onePodApi(runningPod(1), { intercept: reportRead, log: logLines([]) }),
    );
    const run = await runAgainst(server, ['rollout', 'track', 'pod/p', '--timeout', '2s']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^✗ timed out after 2\.0s: po\/p not ready$/m);
    assert.ok(run.ms < 4000, `${Math.round(run.ms)} ms`);
  });
});

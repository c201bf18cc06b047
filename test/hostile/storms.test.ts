import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Handler, hostileServer, isWatch, onePodApi, runAgainst, runningPod } from './hostile.js';

/** How long each run lasts: long enough for a storm to show, short for the suite. */
const RUN_S = Number(process.env.STORM_RUN_S ?? 4);

/** `rollout track pod/p` against the server for RUN_S seconds (its timeout). */
const trackPodFor = (server: Parameters<typeof runAgainst>[0]) =>
  runAgainst(server, ['rollout', 'track', 'pod/p', '--timeout', `${RUN_S}s`], (RUN_S + 20) * 1000);

/** The API of one pod whose watches all answer as `watch` says; counts the requests. */
function counting(watch: Handler) {
  const counts = { watches: 0, lists: 0 };
  const api = onePodApi(runningPod());
  const handler: Handler = (request, response, url) => {
    if (isWatch(url)) {
      counts.watches++;
      watch(request, response, url);
      return;
    }
    if (!url.pathname.endsWith('/log')) counts.lists++;
    api(request, response, url);
  };
  return { counts, handler };
}

const gone = JSON.stringify({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message: 'too old resource version: 10 (20)',
  reason: 'Expired',
  code: 410,
});

/** Every watch refused with 410 Gone, as an HTTP status. */
const goneStatus: Handler = (_request, response) => {
  response.writeHead(410, { 'content-type': 'application/json' });
  response.end(gone);
};

/** Every watch answered, then ended at once by a 410 ERROR event. */
const goneEvent: Handler = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(`${JSON.stringify({ type: 'ERROR', object: JSON.parse(gone) })}\n`);
};

/** Every watch sends one bookmark and ends: nothing new, ever. */
const bookmarkThenClose: Handler = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  const bookmark = {
    type: 'BOOKMARK',
    object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '10' } },
  };
  response.end(`${JSON.stringify(bookmark)}\n`);
};

describe('hostile servers: no request storm, whatever a watch answers', { concurrency: 4 }, () => {
  for (const [name, watch] of [
    ['every watch answered 410 Gone (HTTP status)', goneStatus],
    ['every watch ended by a 410 ERROR event', goneEvent],
    ['every watch closed right after a bookmark', bookmarkThenClose],
  ] as const)
    test(`${name}: a few requests a second at most, and a few notice lines`, async () => {
      const { counts, handler } = counting(watch);
      await using server = await hostileServer(handler);
      const run = await trackPodFor(server);
      assert.equal(run.code, 2, run.stderr);
      const perSecond = (counts.watches + counts.lists) / (run.ms / 1000);
      assert.ok(perSecond < 6, `${counts.watches} watches and ${counts.lists} lists in ${run.ms} ms`);
      const notices = run.stderr.split('\n').filter((line) => / ! /.test(line));
      assert.ok(notices.length <= 6, `${notices.length} notice lines:\n${notices.join('\n')}`);
      console.log(
        `# ${name}: ${perSecond.toFixed(1)} requests/s, ${notices.length} notice lines, peak ${run.peakMb.toFixed(0)} MB`,
      );
    });
});

describe('hostile servers: no log request storm', () => {
  test('every followed log answered and ended at once while the container runs: backed off, one episode of notices', async () => {
    let logs = 0;
    const pod = runningPod();
    const api = onePodApi(pod, {
      log: (_request, response) => {
        logs++;
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end();
      },
    });
    // The pod itself, read to see whether its container still runs: it does.
    const handler: Handler = (request, response, url) => {
      if (!url.pathname.endsWith('/pods/p')) return api(request, response, url);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(pod));
    };
    await using server = await hostileServer(handler);
    const run = await trackPodFor(server);
    assert.equal(run.code, 2, run.stderr);
    const perSecond = logs / (run.ms / 1000);
    assert.ok(perSecond < 3, `${logs} log requests in ${run.ms} ms`);
    // One episode: interrupted once, resumed once (when a request is answered again), however long it goes on.
    const notices = run.stderr.split('\n').filter((line) => / ! log stream/.test(line));
    assert.ok(notices.length <= 2, notices.join('\n'));
    assert.equal(notices.filter((line) => line.includes('interrupted')).length, 1, notices.join('\n'));
    console.log(
      `# logs ended at once: ${perSecond.toFixed(1)} log requests/s, ${notices.length} notice lines`,
    );
  });
});

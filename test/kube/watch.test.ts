import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { KubeClient } from '../../src/kube/client.js';
import { kubeConfigFromString } from '../../src/kube/config.js';
import type { KubeApiError } from '../../src/kube/errors.js';
import type { KubeObject, WatchEvent } from '../../src/kube/types.js';
import type { WatchNotice } from '../../src/kube/watch.js';
import { type FakeCluster, startFakeCluster } from '../../src/testing/cluster.js';
import { podManifest, take, waitFor } from '../helpers.js';

const fast = { retry: { initialDelayMs: 1, maxDelayMs: 20 } };
const summary = (e: WatchEvent) =>
  `${e.type} ${e.object.metadata.name} ${e.object.metadata.labels?.step ?? ''}`.trim();

describe('watch', () => {
  let cluster: FakeCluster;
  before(async () => {
    cluster = await startFakeCluster({ bookmarkIntervalMs: 50, controllers: false });
  });
  afterEach(async () => {
    cluster.faults.clear();
    await waitFor(() => cluster.stats.openWatches === 0, 'every watch to close');
  });
  after(() => cluster.close());

  const freshNamespace = (() => {
    let n = 0;
    return () => {
      const name = `w${++n}`;
      cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      return name;
    };
  })();

  test('yields existing objects as ADDED, then changes; break closes the watch on the server', async () => {
    const ns = freshNamespace();
    cluster.create(podManifest('a', { namespace: ns }));
    const watch = cluster.client.watch('pods', { namespace: ns });
    assert.deepEqual((await take(watch, 1)).map(summary), ['ADDED a']);
    await cluster.client.create('Pod', podManifest('b', { namespace: ns }));
    await cluster.client.patch('pods', { namespace: ns, name: 'a' }, { metadata: { labels: { step: '1' } } });
    await cluster.client.delete('pods', { namespace: ns, name: 'b' });
    assert.deepEqual((await take(watch, 3)).map(summary), ['ADDED b', 'MODIFIED a 1', 'DELETED b']);
    assert.equal(cluster.stats.openWatches, 1);
    await watch.return(undefined);
    await waitFor(() => cluster.stats.openWatches === 0, 'the server-side watch to close');
  });

  test('initialEvents: false skips existing objects', async () => {
    const ns = freshNamespace();
    cluster.create(podManifest('old', { namespace: ns }));
    const watch = cluster.client.watch('pods', { namespace: ns, initialEvents: false });
    const next = watch.next();
    await waitFor(() => cluster.stats.openWatches === 1, 'the watch to open');
    cluster.create(podManifest('new', { namespace: ns }));
    assert.equal(summary((await next).value as WatchEvent), 'ADDED new');
    await watch.return(undefined);
  });

  test('label selectors: objects entering and leaving the selection are ADDED and DELETED', async () => {
    const ns = freshNamespace();
    const watch = cluster.client.watch('pods', {
      namespace: ns,
      labelSelector: 'app=web',
      initialEvents: false,
    });
    const first = watch.next();
    await waitFor(() => cluster.stats.openWatches === 1, 'the watch to open');
    cluster.create(podManifest('p', { namespace: ns }));
    await cluster.client.patch(
      'pods',
      { namespace: ns, name: 'p' },
      { metadata: { labels: { app: 'web' } } },
    );
    await cluster.client.patch('pods', { namespace: ns, name: 'p' }, { metadata: { labels: { app: 'db' } } });
    assert.equal(summary((await first).value as WatchEvent), 'ADDED p');
    assert.deepEqual((await take(watch, 1)).map(summary), ['DELETED p']);
    await watch.return(undefined);
  });

  test('abort ends the iteration with the abort reason and closes the watch', async () => {
    const controller = new AbortController();
    const watch = cluster.client.watch('pods', { namespace: freshNamespace(), signal: controller.signal });
    const pending = watch.next();
    await waitFor(() => cluster.stats.openWatches === 1, 'the watch to open');
    controller.abort(new Error('user pressed Ctrl-C'));
    await assert.rejects(pending, /user pressed Ctrl-C/);
    await waitFor(() => cluster.stats.openWatches === 0, 'the server-side watch to close');
  });

  test('a dropped connection resumes from the last resourceVersion: nothing lost, nothing repeated', async () => {
    const ns = freshNamespace();
    const notices: WatchNotice[] = [];
    const watch = cluster.client.watch('pods', {
      namespace: ns,
      initialEvents: false,
      ...fast,
      onNotice: (n) => notices.push(n),
    });
    const first = watch.next();
    await waitFor(() => cluster.stats.openWatches === 1, 'the watch to open');
    cluster.faults.dropWatchAfter(0, 1); // the next watch connection (the resume) dies at once, too
    cluster.create(podManifest('one', { namespace: ns }));
    assert.equal(summary((await first).value as WatchEvent), 'ADDED one');
    cluster.dropStreams();
    cluster.create(podManifest('two', { namespace: ns }));
    cluster.create(podManifest('three', { namespace: ns }));
    assert.deepEqual((await take(watch, 2)).map(summary), ['ADDED two', 'ADDED three']);
    assert.ok(notices.some((n) => n.type === 'reconnecting'));
    assert.ok(notices.some((n) => n.type === 'resumed'));
    await watch.return(undefined);
  });

  test('a DELETED found by a re-list carries the last state the watch saw', async () => {
    const ns = freshNamespace();
    const watch = cluster.client.watch('pods', { namespace: ns, ...fast });
    // Seen on the watch itself, not in its first list: kept as the line it came in.
    const created = cluster.client.create('Pod', podManifest('gone', { namespace: ns }));
    await take(watch, 1);
    await created;
    await cluster.client.patch(
      'pods',
      { namespace: ns, name: 'gone' },
      { metadata: { labels: { step: 'last' } } },
    );
    const [modified] = await take(watch, 1);
    cluster.faults.dropWatchAfter(0, 1);
    cluster.dropStreams();
    await waitFor(() => cluster.stats.openWatches === 0, 'the drop');
    await cluster.client.delete('pods', { namespace: ns, name: 'gone' });
    cluster.store.compact();
    const [deleted] = await take(watch, 1);
    assert.equal(deleted?.type, 'DELETED');
    assert.deepEqual(deleted?.object, modified?.object);
    await watch.return(undefined);
  });

  test('410 Gone on resume: re-list and emit only the differences', async () => {
    const ns = freshNamespace();
    for (const name of ['keep', 'change', 'remove', 'recreate'])
      cluster.create(podManifest(name, { namespace: ns }));
    const notices: WatchNotice[] = [];
    const watch = cluster.client.watch('pods', { namespace: ns, ...fast, onNotice: (n) => notices.push(n) });
    const initial = await take(watch, 4);
    assert.equal(initial.length, 4);
    // While the watch is down, things change and the history is compacted away.
    cluster.faults.dropWatchAfter(0, 1);
    cluster.dropStreams();
    await waitFor(() => cluster.stats.openWatches === 0, 'the drop');
    await cluster.client.patch(
      'pods',
      { namespace: ns, name: 'change' },
      { metadata: { labels: { step: 'x' } } },
    );
    await cluster.client.delete('pods', { namespace: ns, name: 'remove' });
    await cluster.client.delete('pods', { namespace: ns, name: 'recreate' });
    await cluster.client.create('Pod', podManifest('recreate', { namespace: ns, labels: { step: 'new' } }));
    await cluster.client.create('Pod', podManifest('added', { namespace: ns }));
    cluster.store.compact();
    const events = await take(watch, 5);
    assert.deepEqual(events.map(summary).sort(), [
      'ADDED added',
      'ADDED recreate new',
      'DELETED recreate',
      'DELETED remove',
      'MODIFIED change x',
    ]);
    const relisted = notices.find((n) => n.type === 'relisted');
    assert.equal(relisted?.type === 'relisted' && relisted.changes, 5);
    // And the watch goes on after the re-list.
    await cluster.client.delete('pods', { namespace: ns, name: 'keep' });
    assert.deepEqual((await take(watch, 1)).map(summary), ['DELETED keep']);
    await watch.return(undefined);
  });

  test('a 410 ERROR event inside the stream also re-lists', async () => {
    const ns = freshNamespace();
    cluster.create(podManifest('a', { namespace: ns }));
    const notices: WatchNotice[] = [];
    cluster.faults.gone410(1);
    const watch = cluster.client.watch('pods', { namespace: ns, ...fast, onNotice: (n) => notices.push(n) });
    assert.deepEqual((await take(watch, 1)).map(summary), ['ADDED a']);
    // The generator is lazy: the watch request goes out when the next event is asked for.
    const next = watch.next();
    await waitFor(() => notices.some((n) => n.type === 'relisted'), 'a relist');
    cluster.create(podManifest('b', { namespace: ns }));
    assert.equal(summary((await next).value as WatchEvent), 'ADDED b', 'no duplicate of a after the relist');
    await watch.return(undefined);
  });

  test('bookmarks advance the resume point past compacted history', async () => {
    const ns = freshNamespace();
    const other = freshNamespace();
    const notices: WatchNotice[] = [];
    const watch = cluster.client.watch('pods', {
      namespace: ns,
      initialEvents: false,
      ...fast,
      onNotice: (n) => notices.push(n),
    });
    const next = watch.next();
    await waitFor(() => cluster.stats.openWatches === 1, 'the watch to open');
    // Changes elsewhere move the cluster's resourceVersion; our watch sees only bookmarks.
    for (let i = 0; i < 5; i++) cluster.create(podManifest(`elsewhere-${i}`, { namespace: other }));
    const before = cluster.stats.watchRequests;
    await new Promise((r) => setTimeout(r, 150)); // a few bookmark intervals
    cluster.store.compact();
    cluster.dropStreams();
    await waitFor(() => cluster.stats.watchRequests > before, 'the resume');
    cluster.create(podManifest('mine', { namespace: ns }));
    assert.equal(summary((await next).value as WatchEvent), 'ADDED mine');
    assert.ok(!notices.some((n) => n.type === 'relisted'), 'resumed from the bookmark, no 410');
    await watch.return(undefined);
  });

  test('a malformed line is reported and the stream resumes without loss', async () => {
    const ns = freshNamespace();
    const notices: WatchNotice[] = [];
    cluster.faults.malformedLine(1);
    const watch = cluster.client.watch('pods', {
      namespace: ns,
      initialEvents: false,
      ...fast,
      onNotice: (n) => notices.push(n),
    });
    const next = watch.next();
    await waitFor(() => notices.some((n) => n.type === 'malformed-line'), 'the malformed line');
    cluster.create(podManifest('after', { namespace: ns }));
    assert.equal(summary((await next).value as WatchEvent), 'ADDED after');
    assert.equal(notices.filter((n) => n.type === 'malformed-line').length, 1);
    await watch.return(undefined);
  });

  test('429 with Retry-After is honoured; other 4xx errors end the watch with the API error', async () => {
    const ns = freshNamespace();
    const notices: WatchNotice[] = [];
    cluster.faults.throttle(429, 0, 1, 'watch');
    const watch = cluster.client.watch('pods', {
      namespace: ns,
      initialEvents: false,
      ...fast,
      onNotice: (n) => notices.push(n),
    });
    const next = watch.next();
    await waitFor(() => notices.some((n) => n.type === 'reconnecting'), 'the retry');
    cluster.create(podManifest('x', { namespace: ns }));
    assert.equal(summary((await next).value as WatchEvent), 'ADDED x');
    await watch.return(undefined);

    cluster.forbid({ verb: 'watch', resource: 'configmaps' });
    await assert.rejects(
      take(cluster.client.watch('configmaps', { namespace: ns }), 1),
      (error: KubeApiError) => error.statusCode === 403,
    );
  });

  test('the inactivity watchdog re-establishes a silent watch; a quiet healthy watch is not cut', async () => {
    const silent = await startFakeCluster({ bookmarkIntervalMs: 60_000, controllers: false });
    try {
      const notices: WatchNotice[] = [];
      const watch = silent.client.watch('pods', {
        initialEvents: false,
        inactivityTimeoutMs: 100,
        ...fast,
        onNotice: (n) => notices.push(n),
      });
      const next = watch.next();
      await waitFor(
        () => notices.some((n) => n.type === 'reconnecting' && /nothing received for/.test(n.reason)),
        'the watchdog',
      );
      silent.create(podManifest('late'));
      assert.equal(summary((await next).value as WatchEvent), 'ADDED late');
      await watch.return(undefined);
      // With bookmarks every 50 ms a 200 ms watchdog never fires.
      const healthyNotices: WatchNotice[] = [];
      const healthy = cluster.client.watch('pods', {
        namespace: freshNamespace(),
        initialEvents: false,
        inactivityTimeoutMs: 200,
        onNotice: (n) => healthyNotices.push(n),
      });
      const pending = healthy.next();
      await new Promise((r) => setTimeout(r, 600));
      assert.deepEqual(
        healthyNotices.map((n) => n.type),
        ['listed'],
        'the first list, then nothing: no reconnect',
      );
      await healthy.return(undefined);
      await pending;
    } finally {
      await silent.close();
    }
  });

  test('timeoutSeconds: the server ends each request, with a last bookmark or silently; the watch goes on without a notice', async () => {
    const quiet = await startFakeCluster({ bookmarkIntervalMs: 60_000, controllers: false });
    try {
      const notices: WatchNotice[] = [];
      const watch = quiet.client.watch('pods', {
        initialEvents: false,
        timeoutSeconds: 3,
        onNotice: (n) => notices.push(n),
      });
      const next = watch.next();
      await waitFor(() => quiet.stats.watchRequests === 1, 'the watch to open');
      // A change elsewhere: the request ends with a bookmark. Then nothing at all: the next ends silently.
      quiet.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'elsewhere' } });
      await waitFor(() => quiet.stats.watchRequests === 2, 'the server to end the first request', 5000);
      await waitFor(() => quiet.stats.watchRequests === 3, 'the server to end the second request', 5000);
      quiet.create(podManifest('after-timeout'));
      assert.equal(summary((await next).value as WatchEvent), 'ADDED after-timeout');
      assert.deepEqual(
        notices.map((n) => n.type),
        ['listed'],
        'the first list, then nothing: a timed-out request is not a failure',
      );
      await watch.return(undefined);
    } finally {
      await quiet.close();
    }
  });

  test('connection refused at start is an error at once, not a retry storm', async () => {
    const gone = await startFakeCluster();
    await gone.close();
    const client = new KubeClient(kubeConfigFromString(gone.kubeconfig));
    const started = Date.now();
    await assert.rejects(take(client.watch('pods'), 1), /connection refused/);
    assert.ok(Date.now() - started < 1000);
    await client.close();
  });

  test('property: dropping connections at random points loses and repeats no event', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('create', 'update', 'delete'), { minLength: 5, maxLength: 25 }),
        fc.array(fc.nat(6), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (operations, cuts, compactOnce) => {
          const ns = freshNamespace();
          const watchRequestsBefore = cluster.stats.watchRequests;
          const notices: WatchNotice[] = [];
          const watch = cluster.client.watch<KubeObject>('pods', {
            namespace: ns,
            initialEvents: false,
            ...fast,
            onNotice: (n) => notices.push(n),
          });
          const received: string[] = [];
          const consumer = (async () => {
            for await (const event of watch) {
              received.push(
                `${event.type} ${event.object.metadata.name} ${event.object.metadata.resourceVersion}`,
              );
            }
          })();
          // What the server committed, as a watcher of this namespace must see it.
          const expected: string[] = [];
          const stop = cluster.store.subscribe((change) => {
            if (change.object.metadata.namespace === ns && change.object.kind === 'Pod') {
              expected.push(
                `${change.type} ${change.object.metadata.name} ${change.object.metadata.resourceVersion}`,
              );
            }
          });
          try {
            await waitFor(() => cluster.stats.watchRequests > watchRequestsBefore, 'the watch to open');
            for (const n of cuts) cluster.faults.dropWatchAfter(n, 1);
            cluster.dropStreams();
            const live: string[] = [];
            let counter = 0;
            for (const [index, operation] of operations.entries()) {
              if (operation === 'create' || live.length === 0) {
                const name = `p${counter++}`;
                await cluster.client.create('Pod', podManifest(name, { namespace: ns }));
                live.push(name);
              } else if (operation === 'update') {
                const name = live[index % live.length] ?? '';
                await cluster.client.patch(
                  'pods',
                  { namespace: ns, name },
                  { metadata: { labels: { step: String(index) } } },
                );
              } else {
                const name = live.splice(index % live.length, 1)[0] ?? '';
                await cluster.client.delete('pods', { namespace: ns, name });
              }
              if (index === 2) cluster.dropStreams();
            }
            const settled = () => received.length >= expected.length;
            await waitFor(settled, 'all events', 5000).catch(() => {});
            if (compactOnce) {
              // After a compaction the relist replays the end state, which must already be ours: no new events.
              cluster.store.compact();
              cluster.faults.gone410(1);
              cluster.dropStreams();
              await new Promise((r) => setTimeout(r, 30));
            }
          } finally {
            stop();
            await watch.return(undefined);
            await consumer;
            cluster.faults.clear();
          }
          assert.deepEqual(received, expected, JSON.stringify({ notices, cuts }));
          assert.ok(
            cluster.stats.watchRequests - watchRequestsBefore >= 3,
            'the watch really was cut and resumed',
          );
        },
      ),
      { numRuns: 25, endOnFailure: true },
    );
  });
});

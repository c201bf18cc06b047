import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { feed, STOP } from '../../src/track/feed.js';
import { trackDeployment } from '../../src/track/resource.js';
import { waitFor } from '../helpers.js';

const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: `registry.local/${name}:v1` }] },
    },
  },
});

describe('feed: the callback adapter', () => {
  test('callbacks receive their events; the last event is returned', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { logs: ['hello'] });
    await cluster.client.create('Deployment', deployment('web'));
    const seen: string[] = [];
    const last = await feed(trackDeployment(cluster.client, { name: 'web' }, { timeout: 10_000 }), {
      onAdded: () => {
        seen.push('added');
      },
      onPodAdded: (e) => {
        seen.push(`pod ${e.pod.startsWith('web-')}`);
      },
      onLog: (e) => {
        seen.push(`log ${e.lines.join()}`);
      },
      onReady: () => {
        seen.push('ready');
      },
    });
    assert.equal(last?.type, 'ready');
    assert.equal(seen[0], 'added');
    assert.ok(seen.includes('pod true'));
    assert.equal(seen.at(-1), 'ready');
  });

  test('a callback returning STOP ends tracking and closes the watches', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('slow-*', 'app', { readyAfter: null });
    await cluster.client.create('Deployment', deployment('slow'));
    const last = await feed(trackDeployment(cluster.client, { name: 'slow' }), { onAdded: () => STOP });
    assert.equal(last?.type, 'added');
    await waitFor(
      () => cluster.stats.openWatches === 0 && cluster.stats.openLogStreams === 0,
      'every stream to close',
    );
  });
});

describe('noActivityTimeout', () => {
  test('fails a track where nothing happens, saying what it waited for', async () => {
    await using cluster = await startFakeCluster();
    const last = await feed(
      trackDeployment(cluster.client, { name: 'never-created' }, { noActivityTimeout: 300 }),
      {},
    );
    assert.equal(last?.type, 'failed');
    assert.equal(last?.type === 'failed' && last.reason, 'NoActivity');
    assert.equal(
      last?.type === 'failed' && last.message,
      'nothing happened for 300ms while waiting for: deployment/never-created to exist',
    );
  });
});

/**
 * Leak check: 10,000 trackers started and broken off once their pods' logs
 * flow, 100 at a time. Heap, file descriptors and the server's open streams
 * do not grow from the 1,000th tracker to the 10,000th.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KubeClient } from '../../src/kube/client.js';
import { kubeConfigFromString } from '../../src/kube/config.js';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { trackResource } from '../../src/track/resource.js';
import { waitFor } from '../helpers.js';
import { heapMb, openFds } from './measure.js';

describe('leaks', () => {
  test('10,000 trackers started and broken off leave nothing behind', async () => {
    await using cluster = await startFakeCluster({ bookmarkIntervalMs: 60_000 });
    cluster.behave('web-*', 'app', { logEvery: '50ms' });
    await cluster.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'app', image: 'registry.local/web:v1' }] },
        },
      },
    });
    // The trackers' own client: closing it at the end must give every socket back.
    const baseFds = openFds();
    // No request rate limit: 100 trackers at once open 200 log streams a batch, which the default
    // (50 a second) would spread over seconds; what is measured here is what they leave behind.
    const client = new KubeClient(kubeConfigFromString(cluster.kubeconfig), { rateLimit: false });
    const batch = async () => {
      await Promise.all(
        Array.from({ length: 100 }, async () => {
          for await (const event of trackResource(
            client,
            { kind: 'deploy', name: 'web' },
            { until: 'never' },
          )) {
            // Broken off once its logs flow: watches and log streams are open.
            if (event.type === 'log') break;
          }
        }),
      );
      await waitFor(
        () => cluster.stats.openWatches === 0 && cluster.stats.openLogStreams === 0,
        'streams to close',
        10_000,
      );
    };
    // Ten batches fill the connection pools; from then on nothing may grow.
    for (let i = 0; i < 10; i++) await batch();
    const before = { heap: heapMb(), fds: openFds() };
    const started = performance.now();
    for (let i = 10; i < 100; i++) await batch();
    const seconds = (performance.now() - started) / 1000;
    const after = { heap: heapMb(), fds: openFds() };
    await client.close();
    await waitFor(() => openFds() <= baseFds, `file descriptors back to ${baseFds}`, 10_000).catch(() => {});
    const closed = openFds();
    console.log(
      `# leaks: 9,000 trackers (after 1,000 to warm up) in ${seconds.toFixed(1)} s; heap ${before.heap.toFixed(1)} → ${after.heap.toFixed(1)} MB; fds ${baseFds} before, ${before.fds} → ${after.fds} with idle pooled connections, ${closed} after close; server: ${cluster.stats.openWatches} watches, ${cluster.stats.openLogStreams} log streams open`,
    );
    assert.equal(cluster.stats.openWatches, 0);
    assert.equal(cluster.stats.openLogStreams, 0);
    assert.ok(closed <= baseFds, `file descriptors ${baseFds} before, ${closed} after the client closed`);
    assert.ok(after.heap < before.heap + 15, `heap ${before.heap.toFixed(1)} → ${after.heap.toFixed(1)} MB`);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startFakeCluster } from '../../src/testing/cluster.js';
import type { FakeCluster } from '../../src/testing/index.js';
import type { TrackEvent } from '../../src/track/events.js';
import { trackResource } from '../../src/track/resource.js';

/**
 * A track started after the failures began judges what the cluster already
 * shows: the failures counted by restartCount and Event counts, and how long
 * a pod has been waiting. The cluster's clock is manual: three minutes pass
 * in no time before tracking starts.
 */

async function deployAndWait(cluster: FakeCluster, replicas = 1): Promise<void> {
  await cluster.client.create('Deployment', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'registry.local/web:v2' }] },
      },
    },
  });
  await cluster.clock.advance('3m');
}

/** Tracks the Deployment with the cluster's clock; the last event, and how long the track took in real time. */
async function trackLate(cluster: FakeCluster): Promise<{ last: TrackEvent | undefined; ms: number }> {
  const started = performance.now();
  let last: TrackEvent | undefined;
  for await (const event of trackResource(
    cluster.client,
    { kind: 'deployment', name: 'web' },
    { timeout: 20_000, clock: cluster.clock, logs: false },
  ))
    last = event;
  return { last, ms: performance.now() - started };
}

describe('a track started after the failures began', () => {
  test('an image that failed to pull for minutes: failed at once, counting the pulls before tracking', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    cluster.behave('web-*', 'app', { pullFails: true });
    await deployAndWait(cluster, 2);
    const { last, ms } = await trackLate(cluster);
    assert.equal(last?.type, 'failed');
    assert.equal(last.reason, 'ImagePullBackOff');
    assert.match(last.message, /\((\d+) failures before tracking started, 2 allowed\)$/);
    assert.ok(Number(/\((\d+) failures/.exec(last.message)?.[1]) > 4, last.message);
    assert.ok(ms < 5000, `took ${ms} ms`);
  });

  test('a crash loop between two crashes, its Deployment available: failed, never ready', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    cluster.behave('web-*', 'app', { exitAfter: '5s', exitCode: 1, exitLogs: ['panic: boom'] });
    await deployAndWait(cluster);
    const { last } = await trackLate(cluster);
    assert.equal(last?.type, 'failed');
    assert.match(last.reason, /^(Restarted|CrashLoopBackOff|Error)$/);
    assert.match(last.message, /failures before tracking started, 1 allowed\)$/);
  });

  test('a pod unschedulable for minutes: failed at once, saying for how long', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    cluster.behavePod('web-*', { unschedulable: true });
    await deployAndWait(cluster);
    const { last, ms } = await trackLate(cluster);
    assert.equal(last?.type, 'failed');
    assert.equal(last.reason, 'Unschedulable');
    assert.match(last.message, /\(for 1\d\ds\)$/);
    assert.ok(ms < 5000, `took ${ms} ms`);
  });
});

/**
 * Crash loops judged as fast as the evidence allows, never falsely: the
 * kubelet restarts a first crash at once, so a container in CrashLoopBackOff
 * after one restart has crashed twice — over the default allowance of one
 * per replica before the 10 s back-off ends. A crash that recovers stays
 * within it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startFakeCluster } from '../../src/testing/cluster.js';
import type { TrackEvent } from '../../src/track/events.js';
import { trackDeployment } from '../../src/track/resource.js';
import { deploymentManifest, rest } from '../helpers.js';

/** Tracks Deployment `web` of `replicas` whose container behaves as `script` says, to its end. */
async function rollout(
  script: (cluster: Awaited<ReturnType<typeof startFakeCluster>>) => void,
  options: { replicas?: number; failuresAllowedPerReplica?: number } = {},
): Promise<{ last: TrackEvent | undefined; elapsedMs: number }> {
  await using cluster = await startFakeCluster();
  script(cluster);
  await cluster.client.create('Deployment', deploymentManifest('web', { replicas: options.replicas ?? 1 }));
  const started = cluster.clock.now();
  const { failuresAllowedPerReplica } = options;
  const events = await rest(
    trackDeployment(
      cluster.client,
      { name: 'web' },
      { timeout: 30_000, ...(failuresAllowedPerReplica !== undefined ? { failuresAllowedPerReplica } : {}) },
    ),
  );
  return { last: events.at(-1), elapsedMs: cluster.clock.now() - started };
}

describe('crash loops', { concurrency: 4 }, () => {
  test('fail at the second crash (in CrashLoopBackOff after one restart), not after the 10 s back-off', async () => {
    const { last, elapsedMs } = await rollout((cluster) =>
      cluster
        .pod('web-*')
        .container('app')
        .crashLoops({ logs: ['panic: boom'] }),
    );
    assert.ok(last?.type === 'failed', JSON.stringify(last));
    assert.equal(last.reason, 'CrashLoopBackOff');
    assert.match(last.message, /restarted 1 times \(2 failures, 1 allowed\)$/);
    assert.ok(elapsedMs < 10_000, `judged after ${elapsedMs} ms: the back-off was waited out`);
  });

  test('a pod that crashed once and then stays up: the rollout is ready', async () => {
    const { last } = await rollout((cluster) => cluster.pod('web-*').container('app').crashes(1));
    assert.ok(last?.type === 'ready', JSON.stringify(last));
  });

  test('three replicas that each crashed once: within one failure per replica, ready', async () => {
    const { last } = await rollout((cluster) => cluster.pod('web-*').container('app').crashes(1), {
      replicas: 3,
    });
    assert.ok(last?.type === 'ready', JSON.stringify(last));
  });

  test('--failures-allowed-per-replica keeps its meaning: two crashes then up is ready with 2, failed with 1', async () => {
    const allowed = await rollout((cluster) => cluster.pod('web-*').container('app').crashes(2), {
      failuresAllowedPerReplica: 2,
    });
    assert.ok(allowed.last?.type === 'ready', JSON.stringify(allowed.last));
    const strict = await rollout((cluster) => cluster.pod('web-*').container('app').crashes(2));
    assert.ok(strict.last?.type === 'failed', JSON.stringify(strict.last));
    assert.match(strict.last.message, /\(2 failures, 1 allowed\)$/);
  });
});

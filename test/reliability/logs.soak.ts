/**
 * Soak: 100 pods log without pause while a fault hits every few seconds.
 * Every line carries its sequence number: not one may be lost or repeated.
 * After the track, heap and sockets are back to where they were.
 * SOAK_SECONDS sets the length (default 60).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KubeClient } from '../../src/kube/client.js';
import { kubeConfigFromString } from '../../src/kube/config.js';
import { type FakeCluster, startFakeCluster } from '../../src/testing/index.js';
import { trackResource } from '../../src/track/resource.js';
import { waitFor } from '../helpers.js';
import { heapMb, openFds } from './measure.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const PODS = 100;

const FAULTS: [string, (cluster: FakeCluster) => void][] = [
  ['API server restart', (c) => c.dropStreams()],
  ['log streams cut mid-line', (c) => c.faults.cutLogStream(333, 20)],
  ['watches dropped', (c) => c.faults.dropWatchAfter(2, 3)],
  [
    '410 on resume',
    (c) => {
      c.faults.gone410(2);
      c.dropStreams();
    },
  ],
  [
    '429 on reconnect',
    (c) => {
      c.faults.throttle(429, 1, 10);
      c.dropStreams();
    },
  ],
  [
    'slow answers',
    (c) => {
      c.faults.slow(1500, 10);
      c.dropStreams();
    },
  ],
];

/** One soak run on a cluster of its own; everything it opened is closed when it returns. */
async function soak(seconds: number) {
  const cluster = await startFakeCluster({ nodes: 5 });
  cluster.pod('web-*').container('app').logs(['seq {n}'], { every: '50ms' });
  await cluster.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: PODS,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'registry.local/web:v1' }] },
      },
    },
  });
  const client = new KubeClient(kubeConfigFromString(cluster.kubeconfig));
  const lines = new Map<string, number[]>();
  const injected: string[] = [];
  let total = 0;
  const controller = new AbortController();
  let next = 0;
  const faults = setInterval(() => {
    const [name, inject] = FAULTS[next++ % FAULTS.length] as (typeof FAULTS)[number];
    injected.push(name);
    inject(cluster);
  }, 4000);
  const stop = setTimeout(() => controller.abort(new Error('soak over')), seconds * 1000);
  const started = performance.now();
  try {
    for await (const event of trackResource(
      client,
      { kind: 'deploy', name: 'web' },
      { until: 'never', signal: controller.signal, logs: { maxStreams: PODS } },
    )) {
      if (event.type !== 'log') continue;
      const seen = lines.get(event.pod) ?? [];
      lines.set(event.pod, seen);
      for (const line of event.lines) {
        const n = /^seq (\d+)$/.exec(line)?.[1];
        if (n) seen.push(Number(n));
        total++;
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearInterval(faults);
    clearTimeout(stop);
  }
  const elapsed = (performance.now() - started) / 1000;
  // Each pod's numbers must run without a gap or a repeat from the first line seen to the last.
  let lost = 0;
  let repeated = 0;
  for (const numbers of lines.values()) {
    const first = numbers[0] ?? 1;
    for (const [i, n] of numbers.entries()) {
      if (n < first + i) repeated++;
      if (n > first + i) lost += n - (first + i);
    }
  }
  await waitFor(
    () => cluster.stats.openWatches === 0 && cluster.stats.openLogStreams === 0,
    'the server to see every stream closed',
    10_000,
  );
  await client.close();
  await cluster.close();
  return { pods: lines.size, total, elapsed, injected, lost, repeated };
}

describe('soak', () => {
  test(`${PODS} pods logging for ${SECONDS} s under faults: no line lost or repeated, nothing left behind`, async () => {
    // A short run first, so code compiled and caches filled on first use do not count as growth.
    await soak(3);
    const baseFds = openFds();
    const baseHeap = heapMb();
    const run = await soak(SECONDS);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const heap = heapMb();
    const fds = openFds();
    console.log(
      `# soak: ${PODS} pods, ${run.total} lines in ${run.elapsed.toFixed(0)} s (${Math.round(run.total / run.elapsed)}/s), ${run.injected.length} faults (${[...new Set(run.injected)].join(', ')}); lost ${run.lost}, repeated ${run.repeated}; heap ${baseHeap.toFixed(1)} → ${heap.toFixed(1)} MB; fds ${baseFds} → ${fds}`,
    );
    assert.equal(run.pods, PODS, 'every pod followed');
    assert.equal(run.lost, 0, 'no line lost');
    assert.equal(run.repeated, 0, 'no line repeated');
    assert.ok(run.total > PODS * SECONDS * 5, `lines flowed: ${run.total}`);
    assert.ok(fds <= baseFds, `fds ${baseFds} → ${fds}`);
    assert.ok(heap < baseHeap + 5, `heap ${baseHeap.toFixed(1)} → ${heap.toFixed(1)} MB`);
  });
});

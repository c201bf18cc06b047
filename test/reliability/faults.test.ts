/**
 * The fault matrix: the same rollout tracked with one fault injected at a
 * time. Whatever the fault, the verdict is the fault-free one, every pod's
 * log lines arrive exactly once and in order (they carry sequence numbers),
 * and no Kubernetes Event occurrence is delivered twice.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KubeClient } from '../../src/kube/client.js';
import { kubeConfigFromString } from '../../src/kube/config.js';
import { startFakeCluster } from '../../src/testing/cluster.js';
import type { FakeCluster } from '../../src/testing/index.js';
import { writeExecPlugin } from '../../src/testing/index.js';
import type { TrackEvent } from '../../src/track/events.js';
import { trackResource } from '../../src/track/resource.js';

const LINES = 40;

interface Fault {
  name: string;
  /** Injected once the track is under way (after the first log line). */
  inject(cluster: FakeCluster): void;
  /** A client of its own (token expiry needs an exec plugin to refresh from). */
  client?: (cluster: FakeCluster) => KubeClient;
}

const FAULTS: Fault[] = [
  { name: 'none (the baseline)', inject: () => {} },
  { name: 'the API server restarts: every stream cut at once', inject: (c) => c.dropStreams() },
  { name: 'watches dropped after 1 event, 3 times', inject: (c) => c.faults.dropWatchAfter(1, 3) },
  {
    name: '410 Gone on resume',
    inject: (c) => {
      c.faults.gone410(2);
      c.dropStreams();
    },
  },
  {
    name: '429 with Retry-After on the reconnects',
    inject: (c) => {
      c.faults.throttle(429, 1, 3, 'watch');
      c.dropStreams();
    },
  },
  {
    name: '503 without Retry-After on the reconnects',
    inject: (c) => {
      c.faults.throttle(503, undefined, 3, 'watch');
      c.dropStreams();
    },
  },
  {
    name: '500 with a Status body on the reconnects',
    inject: (c) => {
      c.faults.add(
        { kind: 'watch' },
        { type: 'status', code: 500, message: 'etcdserver: request timed out' },
        2,
      );
      c.dropStreams();
    },
  },
  {
    name: 'a slow server: reconnects answered after 2 s',
    inject: (c) => {
      c.faults.slow(2000, 2);
      c.dropStreams();
    },
  },
  {
    name: 'a malformed watch line',
    inject: (c) => {
      c.faults.malformedLine(2);
      c.dropStreams();
    },
  },
  {
    name: 'watch bodies cut inside a JSON line',
    inject: (c) => {
      c.faults.add({ kind: 'watch' }, { type: 'cut-after-bytes', bytes: 700 }, 4);
      c.dropStreams();
    },
  },
  { name: 'log streams cut mid-line (inside a character)', inject: (c) => c.faults.cutLogStream(37, 6) },
  (() => {
    let plugin: ReturnType<typeof writeExecPlugin> | undefined;
    return {
      name: 'the token expires: 401, the exec plugin runs again, requests go on',
      client: (c: FakeCluster) => {
        plugin = writeExecPlugin({ token: 'exec-token-1' });
        return new KubeClient(kubeConfigFromString(c.kubeconfigWith({ exec: plugin.kubeconfigExec() })));
      },
      inject: (c: FakeCluster) => {
        plugin?.update({ token: 'exec-token-2' });
        c.faults.expireToken('exec-token-1');
        // Open streams keep their connection: the reconnects meet the expired token.
        c.dropStreams();
      },
    };
  })(),
];

async function run(fault: Fault) {
  await using cluster = await startFakeCluster({
    auth: { tokens: { 'exec-token-1': 'alice', 'exec-token-2': 'alice', 'static-token-1': 'alice' } },
  });
  cluster.behave('web-*', 'app', {
    logs: ['héllo wörld ✓'],
    logEvery: '25ms',
    logLine: 'seq {n} ✓ ünïcode',
    readyAfter: '300ms',
  });
  await cluster.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'registry.local/web:v1' }] },
      },
    },
  });
  const client = fault.client?.(cluster) ?? cluster.client;
  const events: TrackEvent[] = [];
  const seen = new Map<string, number[]>();
  let injected = false;
  // Follow until ready and every pod logged LINES lines: the fault hits streams that carry data.
  for await (const event of trackResource(
    client,
    { kind: 'deploy', name: 'web' },
    { until: 'never', timeout: 30_000 },
  )) {
    events.push(event);
    if (event.type !== 'log') continue;
    for (const line of event.lines) {
      const n = /^seq (\d+) ✓ ünïcode$/.exec(line)?.[1];
      if (n) seen.set(event.pod, [...(seen.get(event.pod) ?? []), Number(n)]);
    }
    if (!injected) {
      injected = true;
      fault.inject(cluster);
    }
    const ready = events.some((e) => e.type === 'ready');
    if (ready && seen.size === 3 && [...seen.values()].every((ns) => ns.length >= LINES)) break;
  }
  if (client !== cluster.client) await client.close();
  return { events, seen };
}

// Each fault on a cluster of its own, four at a time.
describe('fault matrix', { concurrency: 4 }, () => {
  for (const fault of FAULTS) {
    test(fault.name, async () => {
      const { events, seen } = await run(fault);
      assert.ok(
        events.some((e) => e.type === 'ready'),
        'the rollout is judged ready, as without the fault',
      );
      assert.ok(!events.some((e) => e.type === 'failed'), 'and nothing failed');
      for (const [pod, numbers] of seen) {
        // Lines before the track began may be missing at the start, never in the middle.
        const first = numbers[0] ?? 1;
        assert.deepEqual(
          numbers,
          Array.from({ length: numbers.length }, (_, i) => first + i),
          `${pod}: every line once, in order`,
        );
      }
      const occurrences = events.flatMap((e) =>
        e.type === 'event' ? [`${e.involvedObject} ${e.reason} ${e.message} ×${e.count}`] : [],
      );
      const twice = occurrences.filter((o, i) => occurrences.indexOf(o) !== i);
      assert.deepEqual(twice, [], 'no Event occurrence twice');
      const startLines = events.flatMap((e) =>
        e.type === 'log' ? e.lines.filter((l) => l === 'héllo wörld ✓') : [],
      );
      assert.ok(startLines.length <= 3, 'no start line repeated');
    });
  }
});

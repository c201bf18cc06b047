import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeClient } from '../../src/kube/client.js';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { typeOf } from '../../src/testing/controllers/runtime.js';
import type { TrackEvent } from '../../src/track/events.js';
import { trackResource } from '../../src/track/resource.js';
import type { WatchScope } from '../../src/track/scope.js';
import type { TrackSource } from '../../src/track/sources.js';
import { deploymentManifest, waitFor } from '../helpers.js';

type Cluster = Awaited<ReturnType<typeof startFakeCluster>>;

const deployment = (name: string, image: string, replicas = 3) =>
  deploymentManifest(name, { replicas, image });

const availableReplicas = (cluster: Cluster, name: string) =>
  (
    cluster.store.get(typeOf('Deployment'), 'default', name)?.status as
      | { availableReplicas?: number }
      | undefined
  )?.availableReplicas;

/** The client, counting the objects its watches deliver; each such source has watches of its own. */
function counted(client: KubeClient): { source: TrackSource; delivered: () => number; asked: string[] } {
  let delivered = 0;
  const asked: string[] = [];
  const source: TrackSource = {
    namespace: client.namespace,
    resolveType: (kind, options) => client.resolveType(kind, options),
    logBatches: (pod, options) => client.logBatches(pod, options),
    list: (kind, options) => client.list(kind, options),
    get: (kind, ref, options) => client.get(kind, ref, options),
    watch: (kind, options) => {
      asked.push(
        `${typeof kind === 'string' ? kind : kind.plural} ${options?.labelSelector ?? ''}${options?.fieldSelector ?? ''}`.trim(),
      );
      const events = client.watch(kind, options);
      return {
        async *[Symbol.asyncIterator]() {
          for await (const event of events) {
            delivered++;
            yield event as never;
          }
        },
      };
    },
  };
  return { source, delivered: () => delivered, asked };
}

/** A namespace busy with what is not the tracked Deployment's: other pods and their Events, and a Deployment whose name starts with its name. */
async function busy(cluster: Cluster): Promise<void> {
  for (let i = 0; i < 200; i++) {
    cluster.store.create(typeOf('Pod'), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `batch-${i}`, namespace: 'default', labels: { app: 'batch' } },
      spec: { nodeName: 'elsewhere', containers: [{ name: 'worker', image: 'registry.local/batch:v1' }] },
      status: { phase: 'Succeeded' },
    });
    cluster.store.create(typeOf('Event'), {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `batch-${i}.1`, namespace: 'default' },
      involvedObject: { kind: 'Pod', name: `batch-${i}`, namespace: 'default' },
      type: 'Warning',
      reason: 'BackOff',
      message: 'not ours',
      count: 1,
      lastTimestamp: new Date().toISOString(),
    });
  }
  await cluster.client.create('Deployment', deployment('web-canary', 'registry.local/web:canary', 2));
}

/** What a track showed, as sets that do not depend on the order watches deliver in. */
function shown(events: TrackEvent[]) {
  const kinds = (type: TrackEvent['type'], say: (e: TrackEvent) => string) =>
    [...new Set(events.filter((e) => e.type === type).map(say))].sort();
  return {
    end:
      events.at(-1)?.type === 'failed'
        ? `failed ${(events.at(-1) as { reason: string }).reason}`
        : events.at(-1)?.type,
    pods: kinds('pod', (e) => (e as { pod: string }).pod),
    replicasets: kinds('replicaset', (e) => (e as { replicaSet: string }).replicaSet),
    events: kinds('event', (e) => {
      const { involvedObject, reason, message } = e as {
        involvedObject: string;
        reason: string;
        message: string;
      };
      return `${involvedObject} ${reason}: ${message}`;
    }),
    logs: kinds('log', (e) => (e as { lines: string[] }).lines.join('|')),
  };
}

/** The same track in both scopes, side by side on the same cluster. */
async function bothScopes(
  cluster: Cluster,
  start: () => Promise<void>,
  options: Parameters<typeof trackResource>[2],
) {
  const run = async (watchScope: WatchScope) => {
    const counting = counted(cluster.client);
    const events: TrackEvent[] = [];
    const track = trackResource(counting.source, { kind: 'deploy', name: 'web' }, { ...options, watchScope });
    const collecting = (async () => {
      for await (const event of track) events.push(event);
    })();
    return { counting, events, done: collecting };
  };
  const scoped = await run('resource');
  const wide = await run('namespace');
  await start();
  await Promise.all([scoped.done, wide.done]);
  return { scoped, wide };
}

describe('watches scoped to the resource show what watches of the namespace show', () => {
  test('a rolling update in a busy namespace: the same pods, ReplicaSets, Events and log lines, from a fraction of the objects', async () => {
    await using cluster = await startFakeCluster({ nodes: 3 });
    await busy(cluster);
    cluster.pod('web-*').container('app').logs(['listening on :8080']).becomesReadyAfter('300ms');
    await cluster.client.create('Deployment', deployment('web', 'registry.local/web:v1'));
    await waitFor(() => availableReplicas(cluster, 'web') === 3, 'v1 rolled out');
    const { scoped, wide } = await bothScopes(
      cluster,
      async () => {
        const v2 = { containers: [{ name: 'app', image: 'registry.local/web:v2' }] };
        await cluster.client.patch('Deployment', { name: 'web' }, { spec: { template: { spec: v2 } } });
      },
      { until: 'never', timeout: 4000 },
    );
    const seen = shown(scoped.events);
    assert.deepEqual(seen, shown(wide.events));
    assert.equal(seen.replicasets.length, 2, 'the old ReplicaSet and the new');
    assert.ok(seen.pods.length >= 6, `old and new pods: ${seen.pods.join(' ')}`);
    assert.ok(
      seen.events.some((e) => / Scheduled: /.test(e)),
      "the pods' Events",
    );
    assert.ok(
      !JSON.stringify(seen).includes('batch-') && !JSON.stringify(seen).includes('web-canary'),
      'nothing of the others',
    );
    assert.ok(
      scoped.counting.asked.every((query) => /=/.test(query)),
      `every watch scoped: ${scoped.counting.asked.join('; ')}`,
    );
    assert.ok(
      scoped.counting.delivered() * 5 < wide.counting.delivered(),
      `${scoped.counting.delivered()} objects delivered scoped, ${wide.counting.delivered()} for the namespace`,
    );
  });

  test('a rollout that fails: the same failure, reason and Warning Events in its report', async () => {
    await using cluster = await startFakeCluster({ nodes: 3 });
    await busy(cluster);
    cluster.pod('web-*').container('app').failsToPull();
    const { scoped, wide } = await bothScopes(
      cluster,
      async () =>
        void (await cluster.client.create('Deployment', deployment('web', 'registry.local/web:nope', 2))),
      { timeout: 10_000 },
    );
    const failure = (events: TrackEvent[]) => {
      const last = events.at(-1);
      assert.equal(last?.type, 'failed');
      return {
        reason: last.reason,
        warnings: [...new Set(last.report?.warnings.map((w) => w.reason))].sort(),
      };
    };
    assert.deepEqual(failure(scoped.events), failure(wide.events));
    assert.match(failure(scoped.events).reason, /ImagePull/);
  });

  test('a Deployment of more pods than Event watches: the Events of the namespace, and still the same', async () => {
    await using cluster = await startFakeCluster({ nodes: 3 });
    await busy(cluster);
    cluster.pod('web-*').container('app').becomesReadyAfter('200ms');
    const { scoped, wide } = await bothScopes(
      cluster,
      async () =>
        void (await cluster.client.create('Deployment', deployment('web', 'registry.local/web:v1', 14))),
      { until: 'never', timeout: 3000 },
    );
    assert.deepEqual(shown(scoped.events), shown(wide.events));
    assert.equal(shown(scoped.events).pods.length, 14);
    assert.ok(scoped.counting.asked.includes('events'), scoped.counting.asked.join('; '));
  });

  test("a Job's pods are watched by the selector the API server gave it", async () => {
    await using cluster = await startFakeCluster({ nodes: 1 });
    await busy(cluster);
    cluster
      .pod('migrate-*')
      .container('run')
      .exits(0, { after: '200ms', logs: ['migrated'] });
    const counting = counted(cluster.client);
    await cluster.client.create('Job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate' },
      spec: {
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'run', image: 'registry.local/migrate:v1' }] },
        },
      },
    });
    const events: TrackEvent[] = [];
    for await (const event of trackResource(
      counting.source,
      { kind: 'job', name: 'migrate' },
      { timeout: 10_000 },
    ))
      events.push(event);
    assert.equal(events.at(-1)?.type, 'ready');
    assert.ok(shown(events).logs.includes('migrated'));
    assert.ok(
      counting.asked.some((query) => /^pods batch\.kubernetes\.io\/controller-uid=[0-9a-f-]+$/.test(query)),
      counting.asked.join('; '),
    );
  });
});

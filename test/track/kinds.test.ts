import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../src/kube/types.js';
import { startFakeCluster } from '../../src/testing/cluster.js';
import type { TrackEvent } from '../../src/track/events.js';
import { trackResource } from '../../src/track/resource.js';
import { watching } from '../helpers.js';

async function collect(track: AsyncIterable<TrackEvent>): Promise<TrackEvent[]> {
  const events: TrackEvent[] = [];
  for await (const event of track) events.push(event);
  return events;
}

const workload = (
  kind: string,
  name: string,
  spec: Record<string, unknown> = {},
  podSpec: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1',
  kind,
  metadata: { name, namespace: 'default' },
  spec: {
    ...(kind === 'Job' ? {} : { selector: { matchLabels: { app: name } } }),
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: `registry.local/${name}:v1` }], ...podSpec },
    },
    ...spec,
  },
});
const logLines = (events: TrackEvent[]) =>
  events.flatMap((e) => (e.type === 'log' ? e.lines.map((l) => `${e.pod}: ${l}`) : []));

describe('trackers for every kind, on the simulated cluster', () => {
  test('Job success, with the logs of its pod', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('migrate-*', 'app', { logs: ['applying 3 migrations', 'done'], exitAfter: 200 });
    await cluster.client.create('Job', workload('Job', 'migrate', {}, { restartPolicy: 'Never' }));
    const events = await collect(
      trackResource(cluster.client, { kind: 'job', name: 'migrate' }, { timeout: 10_000 }),
    );
    assert.equal(events.at(-1)?.type, 'ready');
    assert.deepEqual(
      logLines(events).map((l) => l.split(': ')[1]),
      ['applying 3 migrations', 'done'],
    );
  });

  test('Job BackoffLimitExceeded, with the logs of every attempt', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    cluster.behave('broken-*', 'app', {
      logs: ['connecting to db'],
      exitAfter: 100,
      exitCode: 1,
      exitLogs: ['error: connection refused'],
    });
    await cluster.client.create(
      'Job',
      workload('Job', 'broken', { backoffLimit: 1 }, { restartPolicy: 'Never' }),
    );
    const track = collect(
      trackResource(cluster.client, { kind: 'Job', name: 'broken' }, { timeout: 20_000 }),
    );
    // The cluster's time moves a second at a time (its kubelet's back-off in it) until the track is over.
    let over = false;
    void track.finally(() => {
      over = true;
    });
    for (let second = 0; !over && second < 600; second++) {
      await cluster.clock.advance('1s');
      await new Promise((resolve) => setImmediate(resolve));
    }
    const events = await track;
    const failed = events.at(-1);
    assert.equal(failed?.type === 'failed' && failed.reason, 'BackoffLimitExceeded');
    const attempts = new Set(
      logLines(events)
        .filter((l) => l.endsWith('connection refused'))
        .map((l) => l.split(': ')[0]),
    );
    assert.equal(attempts.size, 2, `logs of both attempts: ${logLines(events)}`);
  });

  test('StatefulSet with a partition: ready when the partitioned pods are updated', async () => {
    await using cluster = await startFakeCluster();
    await cluster.client.create(
      'StatefulSet',
      workload('StatefulSet', 'db', {
        replicas: 3,
        serviceName: 'db',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
      }),
    );
    assert.equal(
      (await collect(trackResource(cluster.client, { kind: 'sts', name: 'db' }, { timeout: 10_000 }))).at(-1)
        ?.type,
      'ready',
    );
    await cluster.client.patch(
      'sts',
      { name: 'db' },
      { spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.local/db:v2' }] } } } },
    );
    const events = await collect(
      trackResource(cluster.client, { kind: 'sts', name: 'db' }, { timeout: 10_000 }),
    );
    const ready = events.at(-1);
    assert.equal(
      ready?.type === 'ready' && ready.message,
      'partitioned roll out complete: 1 new pods have been updated...',
    );
  });

  test('StatefulSet with OnDelete: ready with the old pods, saying they must be deleted to update', async () => {
    await using cluster = await startFakeCluster();
    await cluster.client.create(
      'StatefulSet',
      workload('StatefulSet', 'cache', {
        replicas: 2,
        serviceName: 'cache',
        updateStrategy: { type: 'OnDelete' },
      }),
    );
    const track = () =>
      collect(trackResource(cluster.client, { kind: 'statefulset', name: 'cache' }, { timeout: 10_000 }));
    assert.equal((await track()).at(-1)?.type, 'ready');
    await cluster.client.patch(
      'sts',
      { name: 'cache' },
      { spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.local/cache:v2' }] } } } },
    );
    const untouched = await track();
    const last = untouched.filter((e) => e.type === 'added' || e.type === 'status').at(-1);
    assert.ok(last?.type === 'added' || last?.type === 'status');
    assert.equal(last.verdict.message, 'statefulset "cache": 2 pods ready, 0 of 2 updated');
    assert.equal(last.verdict.hint, 'updateStrategy is OnDelete: delete the old pods by hand to update them');
    assert.equal(untouched.at(-1)?.type, 'ready');
    // Deleting a pod by hand updates it.
    await cluster.client.delete('Pod', { name: 'cache-0' });
    const updated = await track();
    const pods = updated.filter((e) => e.type === 'pod' && e.pod === 'cache-0' && e.current);
    assert.ok(pods.length > 0, 'the recreated pod is of the current revision');
    const final = updated.filter((e) => e.type === 'added' || e.type === 'status').at(-1);
    assert.ok(final?.type === 'added' || final?.type === 'status');
    assert.equal(final.verdict.message, 'statefulset "cache": 2 pods ready, 1 of 2 updated');
  });

  test('DaemonSet across 3 nodes', async () => {
    await using cluster = await startFakeCluster({ nodes: 3 });
    await cluster.client.create('DaemonSet', workload('DaemonSet', 'agent'));
    const events = await collect(
      trackResource(cluster.client, { kind: 'ds', name: 'agent' }, { timeout: 10_000 }),
    );
    assert.equal(events.at(-1)?.type, 'ready');
    assert.equal(events.filter((e) => e.type === 'pod' && e.change === 'added').length, 3);
  });

  test('a bare Pod with init containers: init logs first, then the app', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web', 'init-db', { logs: ['waiting for db'], exitAfter: 100 });
    cluster.behave('web', 'app', { logs: ['serving'] });
    await cluster.client.create('Pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        initContainers: [{ name: 'init-db', image: 'registry.local/init:v1' }],
        containers: [{ name: 'app', image: 'registry.local/web:v1' }],
      },
    });
    const events = await collect(
      trackResource(cluster.client, { kind: 'po', name: 'web' }, { timeout: 10_000 }),
    );
    assert.equal(events.at(-1)?.type, 'ready');
    const statuses = events
      .filter((e) => e.type === 'status' || e.type === 'added')
      .map((e) => ('verdict' in e ? e.verdict.message : ''));
    assert.ok(
      statuses.some((m) => m.includes('Init:0/1')),
      JSON.stringify(statuses),
    );
  });

  test('Service LoadBalancer and Ingress wait for an address', async () => {
    await using cluster = await startFakeCluster();
    const tracks = ['svc', 'ing'].map((kind) =>
      collect(trackResource(cluster.client, { kind, name: 'web' }, { timeout: 10_000 })),
    );
    await watching(cluster, 2);
    await cluster.client.create('Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
    });
    await cluster.client.create('Ingress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'default' },
      spec: {},
    });
    for (const events of await Promise.all(tracks)) {
      assert.equal(events[0]?.type === 'added' && events[0].ready, false, JSON.stringify(events[0]));
      assert.equal(events.at(-1)?.type, 'ready');
    }
  });

  test('a custom resource with a Ready condition', async () => {
    await using cluster = await startFakeCluster();
    cluster.registerType({
      kind: 'Database',
      group: 'db.example.com',
      version: 'v1',
      plural: 'databases',
      namespaced: true,
    });
    // Created with the status its operator writes at once; a custom resource without any status is ready once it exists.
    await cluster.client.create('databases.db.example.com', {
      apiVersion: 'db.example.com/v1',
      kind: 'Database',
      metadata: { name: 'orders', namespace: 'default' },
      spec: {},
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Provisioning' }] },
    });
    const track = collect(
      trackResource(
        cluster.client,
        { kind: 'databases.db.example.com', name: 'orders' },
        { timeout: 10_000 },
      ),
    );
    await watching(cluster);
    await cluster.client.patch(
      'databases.db.example.com',
      { name: 'orders' },
      { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      { subresource: 'status' },
    );
    const events = await track;
    assert.deepEqual(
      events.filter((e) => e.type !== 'event').map((e) => e.type),
      ['added', 'status', 'ready'],
    );
  });

  test('ProgressDeadlineExceeded fails the track', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('stuck-*', 'app', { readyAfter: null });
    await cluster.client.create(
      'Deployment',
      workload('Deployment', 'stuck', { replicas: 1, progressDeadlineSeconds: 1 }),
    );
    const events = await collect(
      trackResource(
        cluster.client,
        { kind: 'deploy', name: 'stuck' },
        { timeout: 10_000, ignoreReadinessProbeFailures: true },
      ),
    );
    const failed = events.at(-1);
    assert.equal(failed?.type === 'failed' && failed.reason, 'ProgressDeadlineExceeded');
  });
});

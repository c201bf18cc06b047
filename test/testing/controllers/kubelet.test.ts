import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findBuiltinResource, type ResourceType } from '../../../src/kube/resources.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { computeVerdict } from '../../../src/status/index.js';
import { type FakeCluster, startFakeCluster } from '../../../src/testing/cluster.js';
import { goDuration } from '../../../src/testing/controllers/kubelet.js';
import { clockOf, field, list } from './helpers.js';

const pod = (
  name: string,
  spec: Record<string, unknown> = {},
  image = 'registry.local/web:v1',
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'app', image }], ...spec },
});
const container = async (cluster: FakeCluster, name: string) =>
  (
    field(await cluster.client.get('pod', { name }), 'status', 'containerStatuses') as Record<
      string,
      unknown
    >[]
  )[0] ?? {};
/** The same, read from the store: for a loop that looks at every step of the clock. */
const storedContainer = (cluster: FakeCluster, name: string) =>
  (
    field(
      cluster.store.get(findBuiltinResource('Pod') as ResourceType, 'default', name) ?? {},
      'status',
      'containerStatuses',
    ) as Record<string, unknown>[]
  )[0] ?? {};
const events = async (cluster: FakeCluster, name: string) =>
  (await list(cluster, 'events')).filter((e) => field(e, 'involvedObject', 'name') === name);
const reasons = async (cluster: FakeCluster, name: string) =>
  (await events(cluster, name)).map((e) => field(e, 'reason'));

describe('simulated scheduler and node agent', () => {
  test('a pod is scheduled, pulled, started, made ready, and logs, with the kubelet events', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    cluster.behave('web', 'app', { logs: ['listening on :8080'] });
    await cluster.client.create('Pod', pod('web'));
    await clockOf(cluster).advance('1s');
    const started = await cluster.client.get('pod', { name: 'web' });
    assert.equal(field(started, 'status', 'phase'), 'Running');
    assert.ok(field(started, 'spec', 'nodeName'));
    assert.equal(computeVerdict(started, { now: new Date(clockOf(cluster).now()) }).state, 'ready');
    assert.deepEqual(await reasons(cluster, 'web'), ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
    const scheduled = (await events(cluster, 'web'))[0];
    assert.equal(field(scheduled, 'source', 'component'), 'default-scheduler');
    assert.equal(
      field((await events(cluster, 'web'))[3], 'involvedObject', 'fieldPath'),
      'spec.containers{app}',
    );
    assert.deepEqual(
      cluster.logs.read('default', 'web', 'app').map((l) => l.text),
      ['listening on :8080'],
    );
  });

  test('crash loop: restart back-off doubles (0, 10 s, 20 s, 40 s) with CrashLoopBackOff in between', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    cluster.behave('crash', 'app', { exitAfter: 500, exitCode: 2, exitLogs: ['panic: boom'] });
    await cluster.client.create('Pod', pod('crash'));
    const restartTimes: number[] = [];
    let last = 0;
    for (let t = 0; t < 120_000; t += 250) {
      await clock.advance(250);
      const status = storedContainer(cluster, 'crash');
      const count = Number(status.restartCount);
      if (count > last) {
        restartTimes.push(clock.now());
        last = count;
      }
    }
    const gaps = restartTimes.slice(1).map((t, i) => t - (restartTimes[i] ?? 0));
    // Each gap is the container's 500 ms run plus the back-off before the restart.
    assert.deepEqual(gaps.slice(0, 3), [10_500, 20_500, 40_500]);
    const status = await container(cluster, 'crash');
    assert.equal(field(status, 'lastState', 'terminated', 'exitCode'), 2);
    await clock.advance(600);
    const waiting = await container(cluster, 'crash');
    assert.equal(field(waiting, 'state', 'waiting', 'reason'), 'CrashLoopBackOff');
    // The fifth back-off, as the kubelet prints Go durations.
    assert.match(
      String(field(waiting, 'state', 'waiting', 'message')),
      /^back-off 1m20s restarting failed container=app pod=crash_default\(.+\)$/,
    );
    assert.ok((await reasons(cluster, 'crash')).includes('BackOff'));
    assert.deepEqual(
      cluster.logs.read('default', 'crash', 'app', { previous: true }).map((l) => l.text),
      ['panic: boom'],
    );
  });

  test('OOMKilled: exit code 137, reason OOMKilled', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    cluster.behave('hungry', 'app', { exitAfter: 100, oom: true });
    await cluster.client.create('Pod', pod('hungry'));
    await clockOf(cluster).advance(400);
    const status = await container(cluster, 'hungry');
    assert.equal(field(status, 'lastState', 'terminated', 'reason'), 'OOMKilled');
    assert.equal(field(status, 'lastState', 'terminated', 'exitCode'), 137);
  });

  test('image pull failure: ErrImagePull, then ImagePullBackOff, retried with back-off', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    cluster.behave('pull', 'app', { pullFails: true });
    await cluster.client.create('Pod', pod('pull'));
    await clock.advance(200);
    assert.equal(field(await container(cluster, 'pull'), 'state', 'waiting', 'reason'), 'ErrImagePull');
    await clock.advance('2s');
    assert.equal(field(await container(cluster, 'pull'), 'state', 'waiting', 'reason'), 'ImagePullBackOff');
    const verdict = computeVerdict(await cluster.client.get('pod', { name: 'pull' }), {
      now: new Date(clock.now()),
    });
    assert.equal(verdict.reason, 'ImagePullBackOff');
    await clock.advance('30s');
    const failedPulls = (await events(cluster, 'pull')).find(
      (e) => field(e, 'reason') === 'Failed' && field(e, 'message') === 'Error: ErrImagePull',
    );
    assert.ok(Number(field(failedPulls, 'count')) >= 2, 'the same event counted up, not repeated');
  });

  test('an invalid image reference is InvalidImageName without any behaviour set', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    await cluster.client.create('Pod', pod('upper', {}, 'Registry.local/Web:V1'));
    await clockOf(cluster).advance(200);
    assert.equal(field(await container(cluster, 'upper'), 'state', 'waiting', 'reason'), 'InvalidImageName');
  });

  test('a missing ConfigMap is CreateContainerConfigError until it is created', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    await cluster.client.create(
      'Pod',
      pod('configured', {
        containers: [
          {
            name: 'app',
            image: 'registry.local/web:v1',
            envFrom: [{ configMapRef: { name: 'app-config' } }],
          },
        ],
      }),
    );
    await clock.advance(200);
    const waiting = field(await container(cluster, 'configured'), 'state', 'waiting') as {
      reason: string;
      message: string;
    };
    assert.deepEqual(waiting, {
      reason: 'CreateContainerConfigError',
      message: 'configmap "app-config" not found',
    });
    await cluster.client.create('ConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app-config', namespace: 'default' },
      data: {},
    });
    await clock.advance('11s');
    assert.ok(field(await container(cluster, 'configured'), 'state', 'running'));
  });

  test('a missing Secret volume gives FailedMount and keeps the pod ContainerCreating', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    await cluster.client.create(
      'Pod',
      pod('mounted', { volumes: [{ name: 'tls', secret: { secretName: 'web-tls' } }] }),
    );
    await clockOf(cluster).advance('25s');
    assert.equal(
      field(await container(cluster, 'mounted'), 'state', 'waiting', 'reason'),
      'ContainerCreating',
    );
    const failed = (await events(cluster, 'mounted')).find((e) => field(e, 'reason') === 'FailedMount');
    assert.equal(
      field(failed, 'message'),
      'MountVolume.SetUp failed for volume "tls" : secret "web-tls" not found',
    );
    assert.ok(Number(field(failed, 'count')) >= 2);
  });

  test('requests no node can satisfy: Unschedulable with the scheduler message; cordoned nodes take no pods', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual', nodes: 2 });
    const clock = clockOf(cluster);
    await cluster.client.create(
      'Pod',
      pod('big', {
        containers: [{ name: 'app', image: 'registry.local/web:v1', resources: { requests: { cpu: '16' } } }],
      }),
    );
    await clock.advance(100);
    const big = await cluster.client.get('pod', { name: 'big' });
    const scheduled = (field(big, 'status', 'conditions') as Record<string, string>[]).find(
      (c) => c.type === 'PodScheduled',
    );
    assert.equal(scheduled?.reason, 'Unschedulable');
    assert.match(scheduled?.message ?? '', /^0\/2 nodes are available: 2 Insufficient cpu\./);
    cluster.cordon('node-1');
    cluster.cordon('node-2');
    await cluster.client.create('Pod', pod('small'));
    await clock.advance(100);
    assert.equal(field(await cluster.client.get('pod', { name: 'small' }), 'spec', 'nodeName'), undefined);
    cluster.cordon('node-2', false);
    await clock.advance(500);
    assert.equal(field(await cluster.client.get('pod', { name: 'small' }), 'spec', 'nodeName'), 'node-2');
  });

  test('never ready: Unhealthy readiness events every probe period', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    cluster.behave('sick', 'app', { readyAfter: null });
    await cluster.client.create(
      'Pod',
      pod('sick', {
        containers: [{ name: 'app', image: 'registry.local/web:v1', readinessProbe: { periodSeconds: 5 } }],
      }),
    );
    await clockOf(cluster).advance('31s');
    const unhealthy = (await events(cluster, 'sick')).find((e) => field(e, 'reason') === 'Unhealthy');
    assert.equal(
      field(unhealthy, 'message'),
      'Readiness probe failed: HTTP probe failed with statuscode: 503',
    );
    assert.equal(field(unhealthy, 'count'), 6);
    assert.equal(field(await container(cluster, 'sick'), 'ready'), false);
  });

  test('Services get a clusterIP at creation and LoadBalancers an address; Ingresses too', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const service = await cluster.client.create('Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
    });
    assert.match(String(field(service, 'spec', 'clusterIP')), /^10\.96\.\d+\.\d+$/);
    await cluster.client.create('Ingress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'default' },
      spec: {},
    });
    await cluster.client.create('Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'pending',
        namespace: 'default',
        annotations: { 'sim.kubedog.io/no-address': 'true' },
      },
      spec: { type: 'LoadBalancer' },
    });
    await clockOf(cluster).advance('1s');
    const now = new Date(clockOf(cluster).now());
    assert.equal(computeVerdict(await cluster.client.get('svc', { name: 'web' }), { now }).state, 'ready');
    assert.equal(computeVerdict(await cluster.client.get('ing', { name: 'web' }), { now }).state, 'ready');
    assert.equal(
      computeVerdict(await cluster.client.get('svc', { name: 'pending' }), { now }).reason,
      'WaitingForLoadBalancer',
    );
  });

  test('deleting a running pod is graceful: deletionTimestamp, containers stop, then the object goes', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    await cluster.client.create('Pod', pod('leaving'));
    await clock.advance('1s');
    const changes: string[] = [];
    const stop = cluster.store.subscribe((c) => {
      if (c.object.metadata.name === 'leaving' && c.object.kind === 'Pod') {
        changes.push(`${c.type}${c.object.metadata.deletionTimestamp ? ' terminating' : ''}`);
      }
    });
    await cluster.client.delete('pod', { name: 'leaving' });
    assert.ok((await cluster.client.get('pod', { name: 'leaving' })).metadata.deletionTimestamp);
    await clock.advance('1s');
    stop();
    await assert.rejects(cluster.client.get('pod', { name: 'leaving' }), { statusCode: 404 });
    assert.deepEqual(changes, ['MODIFIED terminating', 'MODIFIED terminating', 'DELETED terminating']);
    assert.ok((await reasons(cluster, 'leaving')).includes('Killing'));
  });

  test('deterministic: the same scenario and seed give the same names and sequence of changes', async () => {
    const run = async () => {
      await using cluster = await startFakeCluster({ clock: 'manual', seed: 42 });
      const seen: string[] = [];
      const stop = cluster.store.subscribe((c) =>
        seen.push(
          `${c.type} ${c.object.kind}/${c.object.metadata.name} ${JSON.stringify(c.object.status ?? {})}`,
        ),
      );
      await cluster.client.create('Deployment', {
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
      await clockOf(cluster).advance('3s');
      stop();
      return seen;
    };
    const first = await run();
    assert.ok(first.length > 20);
    assert.deepEqual(await run(), first);
  });
});

test('back-off durations read as Go prints them', () => {
  assert.deepEqual([10_000, 40_000, 80_000, 160_000, 300_000, 3_725_000].map(goDuration), [
    '10s',
    '40s',
    '1m20s',
    '2m40s',
    '5m0s',
    '1h2m5s',
  ]);
});

describe('simulated kubelet: native sidecars', () => {
  test('a native sidecar starts before the next init container, runs on, and counts for the pod being ready', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    cluster.behave('web', 'proxy', { readyAfter: 1000 });
    cluster.behave('web', 'app', { readyAfter: 100 });
    const initContainers = [
      { name: 'proxy', image: 'registry.local/proxy:v1', restartPolicy: 'Always' },
      { name: 'migrate', image: 'registry.local/migrate:v1' },
    ];
    await cluster.client.create('pod', pod('web', { initContainers }));
    await clock.advance('600ms');
    let current = await cluster.client.get('pod', { name: 'web' });
    const [proxy, migrate] = field(current, 'status', 'initContainerStatuses') as Record<string, unknown>[];
    assert.equal(field(proxy, 'started'), true);
    assert.ok(field(proxy, 'state', 'running'), 'the sidecar keeps running');
    assert.equal(
      field(migrate, 'state', 'terminated', 'exitCode'),
      0,
      'the next init container ran after it',
    );
    assert.equal(field(current, 'status', 'phase'), 'Running');
    assert.notEqual(
      computeVerdict(current, { now: new Date(clock.now()) }).state,
      'ready',
      'the sidecar is not ready yet',
    );
    await clock.advance('1s');
    current = await cluster.client.get('pod', { name: 'web' });
    assert.equal(computeVerdict(current, { now: new Date(clock.now()) }).state, 'ready');
  });
});

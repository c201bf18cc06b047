import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { specFromObject, specsFromCluster } from '../../src/inputs/specs.js';
import { InvalidInputError } from '../../src/kube/errors.js';
import { parseManifests } from '../../src/kube/manifests.js';
import { startFakeCluster } from '../../src/testing/cluster.js';
import type { MultitrackEvent } from '../../src/track/events.js';
import { feed } from '../../src/track/feed.js';
import { multitrack } from '../../src/track/multitrack.js';
import { waitFor } from '../helpers.js';

const deployment = (name: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', annotations },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: `registry.local/${name}:v1` }] },
    },
  },
});

/** 50 resources in one manifest, as `kubectl apply -f` would get them; `bad` cannot pull its image. */
function manifest(badAnnotations: Record<string, string>): string {
  const docs = Array.from({ length: 49 }, (_, i) => stringify(deployment(`app-${i}`)));
  docs.push(stringify(deployment('bad', badAnnotations)));
  return docs.join('---\n');
}

async function run(badAnnotations: Record<string, string>) {
  await using cluster = await startFakeCluster();
  cluster.behave('bad-*', 'app', { pullFails: true });
  const objects = parseManifests(manifest(badAnnotations), 'release.yaml');
  for (const object of objects) await cluster.client.create('Deployment', object);
  const events: MultitrackEvent[] = [];
  for await (const event of multitrack(
    cluster.client,
    objects.map((o) => specFromObject(o)),
    { timeout: 30_000 },
  ))
    events.push(event);
  await waitFor(
    () => cluster.stats.openWatches === 0 && cluster.stats.openLogStreams === 0,
    'every stream to close',
  );
  const summary = events.at(-1);
  assert.equal(summary?.type, 'summary');
  return { events, summary: summary?.type === 'summary' ? summary.summary : undefined };
}

describe('multitrack', { concurrency: 3 }, () => {
  test('fail-whole-deploy (the default): the first failure ends everything', async () => {
    const { summary } = await run({});
    assert.deepEqual(
      summary?.failed.map((f) => [f.resource.name, f.reason]),
      [['bad', 'ImagePullBackOff']],
    );
    assert.equal((summary?.ready.length ?? 0) + (summary?.pending.length ?? 0), 49);
  });

  test('kubedog.io/fail-mode: ignore — the others are all waited for', async () => {
    const { summary, events } = await run({ 'kubedog.io/fail-mode': 'ignore' });
    assert.equal(summary?.ready.length, 49);
    assert.deepEqual(
      summary?.failed.map((f) => f.resource.name),
      ['bad'],
    );
    assert.deepEqual(summary?.pending, []);
    assert.ok(events.some((e) => e.type === 'failed' && e.resource.name === 'bad'));
  });

  test('werf.io/ annotations work too; non-blocking resources are not waited for', async () => {
    const { summary } = await run({
      'werf.io/fail-mode': 'ignore',
      'werf.io/track-termination-mode': 'non-blocking',
    });
    assert.equal(summary?.ready.length, 49);
  });

  test('specs from a label selector, across kinds', async () => {
    await using cluster = await startFakeCluster();
    const labelled = (object: ReturnType<typeof deployment>) => ({
      ...object,
      metadata: { ...object.metadata, labels: { release: 'shop' } },
    });
    await cluster.client.create('Deployment', labelled(deployment('front')));
    await cluster.client.create('Deployment', deployment('other'));
    await cluster.client.create('Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'front', namespace: 'default', labels: { release: 'shop' } },
      spec: { ports: [{ port: 80 }] },
    });
    const specs = await specsFromCluster(cluster.client, { labelSelector: 'release=shop' });
    assert.deepEqual(specs.map((s) => `${s.kind}/${s.name}`).sort(), ['Deployment/front', 'Service/front']);
    const events: MultitrackEvent[] = [];
    for await (const event of multitrack(cluster.client, specs, { timeout: 10_000 })) events.push(event);
    const last = events.at(-1);
    assert.equal(last?.type === 'summary' && last.summary.ready.length, 2);
  });

  test('follow mode: a failure ends nothing; the track ends when every resource is deleted', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('bad-*', 'app', { pullFails: true });
    await cluster.client.create('Deployment', deployment('good'));
    await cluster.client.create('Deployment', deployment('bad'));
    const events: MultitrackEvent[] = [];
    const deleteWhenSettled = async (event: MultitrackEvent) => {
      const settled = new Set(
        events.filter((e) => e.type === 'ready' || e.type === 'failed').map((e) => e.type),
      );
      if (event.type !== 'ready' && event.type !== 'failed') return;
      if (settled.has('ready') && settled.has('failed')) {
        await cluster.client.delete('Deployment', { name: 'good' });
        await cluster.client.delete('Deployment', { name: 'bad' });
      }
    };
    for await (const event of multitrack(
      cluster.client,
      [
        { kind: 'Deployment', name: 'good' },
        { kind: 'Deployment', name: 'bad' },
      ],
      { until: 'never', timeout: 20_000 },
    )) {
      events.push(event);
      await deleteWhenSettled(event);
    }
    const ends = events
      .filter((e) => e.type === 'ready' || e.type === 'failed' || e.type === 'deleted')
      .map((e) => `${e.type} ${'resource' in e ? e.resource.name : ''}`)
      .sort();
    assert.deepEqual(ends, ['deleted bad', 'deleted good', 'failed bad', 'ready good']);
    assert.equal(events.at(-1)?.type, 'summary');
  });

  test('abort ends the merged stream with the reason and closes every stream', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('slow-*', 'app', { readyAfter: null });
    await cluster.client.create('Deployment', deployment('slow'));
    const controller = new AbortController();
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const event of multitrack(cluster.client, [{ kind: 'Deployment', name: 'slow' }], {
        signal: controller.signal,
      })) {
        seen.push(event.type);
        // Its pods are being followed: stop.
        if (event.type === 'pod') controller.abort(new Error('stop now'));
      }
    }, /stop now/);
    assert.ok(seen.includes('added'));
    await waitFor(
      () => cluster.stats.openWatches === 0 && cluster.stats.openLogStreams === 0,
      'every stream to close',
    );
  });

  test('200 Deployments in one namespace share a handful of watches', async () => {
    await using cluster = await startFakeCluster();
    const objects = Array.from({ length: 200 }, (_, i) => deployment(`svc-${i}`));
    for (const object of objects) await cluster.client.create('Deployment', object);
    let most = 0;
    const sampler = setInterval(() => {
      most = Math.max(most, cluster.stats.openWatches);
    }, 2);
    const before = cluster.stats.watchRequests;
    const events: MultitrackEvent[] = [];
    for await (const event of multitrack(
      cluster.client,
      objects.map((o) => specFromObject(o)),
      { timeout: 60_000 },
    ))
      events.push(event);
    clearInterval(sampler);
    const last = events.at(-1);
    assert.equal(last?.type === 'summary' && last.summary.ready.length, 200);
    assert.ok(most <= 4, `${most} watches open at once`);
    assert.ok(
      cluster.stats.watchRequests - before <= 8,
      `${cluster.stats.watchRequests - before} watch requests`,
    );
  });

  test('a timeout is an outcome: failed/Timeout for each resource not ready, with what it waited for, then the summary', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('slow-*', 'app', { readyAfter: null });
    await cluster.client.create('Deployment', deployment('fast'));
    await cluster.client.create('Deployment', deployment('slow'));
    const started = Date.now();
    const events: MultitrackEvent[] = [];
    for await (const event of multitrack(
      cluster.client,
      [
        { kind: 'Deployment', name: 'fast' },
        { kind: 'Deployment', name: 'slow' },
        { kind: 'Deployment', name: 'missing' },
      ],
      { timeout: 2000 },
    ))
      events.push(event);
    assert.ok(Date.now() - started < 3000, `ended after ${Date.now() - started} ms`);
    const timeouts = events.flatMap((e) => (e.type === 'failed' ? [`${e.resource.name}: ${e.message}`] : []));
    assert.deepEqual(timeouts.sort(), [
      'missing: not ready after 2s: deployment/missing does not exist',
      'slow: not ready after 2s: Waiting for deployment "slow" rollout to finish: 0 of 1 updated replicas are available...',
    ]);
    const last = events.at(-1);
    assert.ok(last?.type === 'summary');
    assert.equal(last.summary.outcome, 'timeout');
    assert.deepEqual(
      last.summary.ready.map((r) => r.resource.name),
      ['fast'],
    );
    assert.deepEqual(
      last.summary.failed.map((f) => `${f.resource.name} ${f.reason}`),
      ['slow Timeout', 'missing Timeout'],
    );
    assert.ok(last.summary.failed.every((f) => f.elapsedMs >= 2000 && f.elapsedMs < 3000));
    await waitFor(() => cluster.stats.openWatches === 0, 'every watch to close');
  });

  test('hope-until-end: its failure counts once the others are ready; feed() drives a multitrack to its summary', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('hopeless-*', 'app', { pullFails: true });
    cluster.behave('good-*', 'app', { readyAfter: '1s' });
    await cluster.client.create('Deployment', deployment('good'));
    await cluster.client.create(
      'Deployment',
      deployment('hopeless', { 'kubedog.io/fail-mode': 'hope-until-end' }),
    );
    const specs = [
      specFromObject(deployment('good')),
      specFromObject(deployment('hopeless', { 'kubedog.io/fail-mode': 'hope-until-end' })),
    ];
    const order: string[] = [];
    const last = await feed(multitrack(cluster.client, specs, { timeout: 20_000 }), {
      onReady: (e) => void order.push(`ready ${e.resource.name}`),
      onFailed: (e) => void order.push(`failed ${e.resource.name}`),
    });
    assert.ok(last?.type === 'summary', 'feed resolves with the summary');
    assert.equal(last.summary.outcome, 'failed');
    assert.deepEqual(
      last.summary.failed.map((f) => `${f.resource.name} ${f.reason}`),
      ['hopeless ImagePullBackOff'],
    );
    assert.deepEqual(
      order,
      ['failed hopeless', 'ready good'],
      'it failed first, and counted only once good was ready',
    );
  });

  test("werf's annotations with werf's values: a bad value is a notice on the resource, Events hidden, a container's own log filter", async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', {
      logs: ['job 1 done', 'GET /healthz', 'job 2 done'],
      readyAfter: '300ms',
    });
    const web = deployment('web', {
      'werf.io/fail-mode': 'Ignore',
      'werf.io/show-service-messages': 'false',
      'werf.io/log-regex-for-app': '^job',
      'werf.io/track-termination-mode': 'WaitUntilResourceReady',
    });
    await cluster.client.create('Deployment', web);
    const events: MultitrackEvent[] = [];
    for await (const event of multitrack(cluster.client, [specFromObject(web)], { timeout: 20_000 }))
      events.push(event);
    assert.deepEqual(
      events.filter((e) => e.type === 'notice').map((e) => (e.type === 'notice' ? e.message : '')),
      [
        'deployment/web in default: annotation werf.io/fail-mode is "Ignore", not one of FailWholeDeployProcessImmediately, IgnoreAndContinueDeployProcess, HopeUntilEndOfDeployProcess, fail-whole-deploy, ignore, hope-until-end: ignored',
      ],
    );
    assert.equal(events.filter((e) => e.type === 'event').length, 0, 'show-service-messages: false');
    const lines = events.flatMap((e) => (e.type === 'log' ? e.lines : []));
    assert.deepEqual(lines, ['job 1 done', 'job 2 done']);
    const last = events.at(-1);
    assert.equal(last?.type === 'summary' && last.summary.outcome, 'ready');
  });

  test('annotations become spec fields', () => {
    const spec = specFromObject(
      deployment('x', {
        'kubedog.io/fail-mode': 'hope-until-end',
        'kubedog.io/failures-allowed-per-replica': '3',
        'kubedog.io/skip-logs-for-containers': 'istio-proxy, linkerd',
        'kubedog.io/log-regex': '^ERROR',
        'werf.io/no-activity-timeout': '600',
      }),
    );
    const logs = typeof spec.logs === 'object' ? spec.logs : undefined;
    assert.deepEqual(
      { ...spec, logs: { ...logs, include: logs?.include?.source } },
      {
        kind: 'Deployment',
        name: 'x',
        namespace: 'default',
        failMode: 'hope-until-end',
        failuresAllowedPerReplica: 3,
        logs: { excludeContainers: ['istio-proxy', 'linkerd'], include: '^ERROR' },
        noActivityTimeout: 600_000,
      },
    );
  });
});

describe('parseManifests', () => {
  test('multi-document YAML, JSON and List kinds', () => {
    const text = `${stringify(deployment('a'))}---\n---\n${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [deployment('b'), deployment('c')] })}\n`;
    assert.deepEqual(
      parseManifests(text, 'm.yaml').map((o) => o.metadata.name),
      ['a', 'b', 'c'],
    );
  });

  for (const [text, message] of [
    [
      'kind: Deployment\nmetadata:\n  name: x\n  labels: [\n',
      /invalid manifest m\.yaml: document 1, line \d+: /,
    ],
    [
      'apiVersion: v1\nkind: Service\nmetadata: {}\n',
      /invalid manifest m\.yaml: document 1: Service has no metadata\.name/,
    ],
    [
      `${stringify(deployment('a'))}---\n- 1\n- 2\n`,
      /invalid manifest m\.yaml: document 2: not a Kubernetes object/,
    ],
    ['metadata:\n  name: x\n', /document 1: no kind/],
  ] as const) {
    test(`bad manifest: ${message.source}`, () => {
      assert.throws(
        () => parseManifests(text, 'm.yaml'),
        (error: unknown) => error instanceof InvalidInputError && message.test(error.message),
      );
    });
  }
});

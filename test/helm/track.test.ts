import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type HelmTrackOptions, trackHelmRelease } from '../../src/helm/track.js';
import { releaseRecord } from '../../src/helm-record/codec.js';
import type { KubeObject } from '../../src/kube/types.js';
import { type FakeChart, FakeHelm } from '../../src/testing/helm.js';
import { startFakeCluster } from '../../src/testing/index.js';
import type { MultitrackEvent, MultitrackSummary } from '../../src/track/events.js';
import { waitFor } from '../helpers.js';

type Cluster = Awaited<ReturnType<typeof startFakeCluster>>;

const web = (image: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image }] } },
  },
});

/** A hook Job (`helm.sh/hook`), its container named after it. */
const hookJob = (name: string, hook: string, policy?: string): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: {
    name,
    annotations: { 'helm.sh/hook': hook, ...(policy ? { 'helm.sh/hook-delete-policy': policy } : {}) },
  },
  spec: {
    backoffLimit: 0,
    template: { spec: { restartPolicy: 'Never', containers: [{ name, image: 'registry.local/web:v2' }] } },
  },
});

const testPod = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, annotations: { 'helm.sh/hook': 'test' } },
  spec: { restartPolicy: 'Never', containers: [{ name, image: 'registry.local/curl:v1' }] },
});

/** A track running in the background: its events so far, and its end. */
function start(cluster: Cluster, options: HelmTrackOptions) {
  const events: MultitrackEvent[] = [];
  const done = (async () => {
    for await (const event of trackHelmRelease(cluster.client, 'shop', { timeout: 15_000, ...options }))
      events.push(event);
  })();
  const notice = (pattern: RegExp) =>
    waitFor(() => events.some((e) => e.type === 'notice' && pattern.test(e.message)), `a notice ${pattern}`);
  return { events, done, notice };
}

const summaryOf = (events: MultitrackEvent[]): MultitrackSummary => {
  const last = events.at(-1);
  assert.equal(last?.type, 'summary', JSON.stringify(last));
  return (last as { summary: MultitrackSummary }).summary;
};
const names = (entries: { resource: { kind: string; name: string } }[]) =>
  entries.map((e) => `${e.resource.kind}/${e.resource.name}`);
/** What was said of a resource, in order: `added web progressing HelmPending`, `ready …`. */
const story = (events: MultitrackEvent[], name: string) =>
  events
    .filter((e) => e.type !== 'summary' && e.resource.name === name)
    .flatMap((e) => {
      if (e.type === 'added' || e.type === 'status') return [`${e.type} ${e.verdict.reason}`];
      if (e.type === 'ready' || e.type === 'deleted') return [e.type];
      if (e.type === 'failed') return [`failed ${e.reason}`];
      return [];
    });

describe('tracking a Helm release alongside helm upgrade (simulated cluster, Helm’s records)', () => {
  test('started before the upgrade: the migration hook with its logs, the resources held until Helm applies them, deleted by its policy', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('migrate-*', 'migrate', { logs: ['applying 3 migrations', 'done'], exitAfter: 200 });
    const helm = new FakeHelm(cluster.client);
    await helm.upgrade('shop', { objects: [web('registry.local/web:v1')] });
    const track = start(cluster, { revision: 'next' });
    await track.notice(/^waiting for Helm to write revision 2 of release "shop"$/);
    const upgrade = helm.upgrade('shop', {
      objects: [web('registry.local/web:v2')],
      hooks: [hookJob('migrate', 'pre-upgrade', 'hook-succeeded')],
    });
    assert.deepEqual(await upgrade, { version: 2, status: 'deployed', description: 'Upgrade complete' });
    await track.done;
    const summary = summaryOf(track.events);
    assert.equal(summary.outcome, 'ready');
    assert.deepEqual(names(summary.ready).sort(), [
      'Deployment/web',
      'Job/migrate',
      'Secret/sh.helm.release.v1.shop.v2',
    ]);
    // The old pods were ready; the Deployment waited for Helm, then for its new pods.
    const webStory = story(track.events, 'web');
    assert.equal(webStory[0], 'added HelmPending', webStory.join(', '));
    assert.ok(webStory.includes('status UpdatingReplicas'), webStory.join(', '));
    assert.equal(webStory.at(-1), 'ready');
    // The hook's events name its phase, its logs were shown, and it was deleted after it succeeded.
    const migrate = track.events.filter((e) => e.type !== 'summary' && e.resource.name === 'migrate');
    assert.ok(migrate.every((e) => e.type === 'summary' || e.resource.helmHook === 'pre-upgrade'));
    assert.deepEqual(
      migrate.flatMap((e) => (e.type === 'log' ? e.lines : [])),
      ['applying 3 migrations', 'done'],
    );
    assert.deepEqual((await cluster.client.list('Job')).items, [], 'Helm deleted the hook');
  });

  test('a failing migration fails the track with its last lines; Helm’s record ends failed', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('migrate-*', 'migrate', {
      logs: ['applying 3 migrations'],
      exitAfter: 200,
      exitCode: 1,
      exitLogs: ['error: relation "users" already exists'],
    });
    const helm = new FakeHelm(cluster.client);
    await helm.upgrade('shop', { objects: [web('registry.local/web:v1')] });
    const track = start(cluster, { revision: 'next' });
    await track.notice(/^waiting for Helm to write revision 2/);
    const result = await helm.upgrade('shop', {
      objects: [web('registry.local/web:v2')],
      hooks: [hookJob('migrate', 'pre-upgrade')],
    });
    assert.deepEqual(result.status, 'failed');
    assert.match(result.description, /^pre-upgrade hooks failed: job migrate failed: BackoffLimitExceeded$/);
    await track.done;
    const summary = summaryOf(track.events);
    assert.equal(summary.outcome, 'failed');
    assert.deepEqual(names(summary.failed), ['Job/migrate']);
    const failed = track.events.find((e) => e.type === 'failed');
    assert.ok(failed?.type === 'failed');
    assert.equal(failed.resource.helmHook, 'pre-upgrade');
    assert.deepEqual(
      failed.report.logs.flatMap((c) => c.lines),
      ['applying 3 migrations', 'error: relation "users" already exists'],
    );
    // The Deployment was never judged: Helm did not get to it.
    assert.deepEqual(story(track.events, 'web'), ['added HelmPending']);
  });

  test('a first install waited for, then its post-install hook and, with tests, the test hook', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('first-run-*', 'first-run', { logs: ['warming caches'], exitAfter: 100 });
    cluster.behave('smoke', 'smoke', { logs: ['GET /healthz 200'], exitAfter: 100 });
    const helm = new FakeHelm(cluster.client);
    const track = start(cluster, { revision: 'next', tests: true });
    await track.notice(/^waiting for Helm to write revision 1 of release "shop"$/);
    const chart: FakeChart = {
      objects: [web('registry.local/web:v1')],
      hooks: [hookJob('first-run', 'post-install'), testPod('smoke')],
    };
    assert.equal((await helm.upgrade('shop', chart)).status, 'deployed');
    // The release is deployed, but the track waits for its tests.
    await waitFor(
      () => story(track.events, 'sh.helm.release.v1.shop.v1').includes('ready'),
      'the record ready',
    );
    assert.equal(track.events.at(-1)?.type === 'summary', false);
    assert.equal(await helm.test('shop'), undefined);
    await track.done;
    const summary = summaryOf(track.events);
    assert.equal(summary.outcome, 'ready');
    assert.deepEqual(names(summary.ready).sort(), [
      'Deployment/web',
      'Job/first-run',
      'Pod/smoke',
      'Secret/sh.helm.release.v1.shop.v1',
    ]);
    const phases = new Map(
      track.events.flatMap((e) =>
        e.type !== 'summary' && e.resource.helmHook ? [[e.resource.name, e.resource.helmHook]] : [],
      ),
    );
    assert.deepEqual(Object.fromEntries(phases), { 'first-run': 'post-install', smoke: 'test' });
    const logs = track.events.flatMap((e) => (e.type === 'log' ? e.lines : []));
    assert.ok(logs.includes('warming caches') && logs.includes('GET /healthz 200'), logs.join(' | '));
  });

  test('tracked after helm finished: hooks Helm ran and deleted are ready from its record', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('migrate-*', 'migrate', { exitAfter: 50 });
    const helm = new FakeHelm(cluster.client, { storage: 'configmap' });
    await helm.upgrade('shop', { objects: [web('registry.local/web:v1')] });
    await helm.upgrade('shop', {
      objects: [web('registry.local/web:v1')],
      hooks: [hookJob('migrate', 'pre-upgrade', 'hook-succeeded')],
    });
    const track = start(cluster, { storage: 'configmap' });
    await track.done;
    const summary = summaryOf(track.events);
    assert.equal(summary.outcome, 'ready');
    assert.deepEqual(names(summary.ready).sort(), [
      'ConfigMap/sh.helm.release.v1.shop.v2',
      'Deployment/web',
      'Job/migrate',
    ]);
    const migrate = summary.ready.find((e) => e.resource.name === 'migrate');
    assert.match(
      migrate?.message ?? '',
      /succeeded: Helm deleted it once it had \(hook-delete-policy: hook-succeeded\)$/,
    );
  });

  test('a release Helm marks failed fails the track with Helm’s description', async () => {
    await using cluster = await startFakeCluster();
    const pending = {
      name: 'shop',
      namespace: 'default',
      version: 1,
      info: { status: 'pending-install' },
      manifest: '',
    };
    await cluster.client.create('Secret', releaseRecord('secret', pending));
    const track = start(cluster, {});
    await waitFor(() => story(track.events, 'sh.helm.release.v1.shop.v1').length > 0, 'the record judged');
    const failed = {
      ...pending,
      info: { status: 'failed', description: 'Release "shop" failed: context deadline exceeded' },
    };
    await cluster.client.replace('Secret', releaseRecord('secret', failed));
    await track.done;
    const summary = summaryOf(track.events);
    assert.equal(summary.outcome, 'failed');
    assert.deepEqual(
      summary.failed.map((f) => f.message),
      ['Helm release "shop" revision 1 failed: Release "shop" failed: context deadline exceeded'],
    );
  });

  test('a newer revision written during the track is followed instead, and said so; a pinned one is not', async () => {
    await using cluster = await startFakeCluster();
    const record = (version: number, status: string) =>
      releaseRecord('secret', {
        name: 'shop',
        namespace: 'default',
        version,
        info: { status },
        manifest: '',
      });
    await cluster.client.create('Secret', record(1, 'pending-install'));
    const pinned = start(cluster, { revision: 1, timeout: 1500 });
    const track = start(cluster, {});
    await waitFor(() => story(track.events, 'sh.helm.release.v1.shop.v1').length > 0, 'revision 1 tracked');
    await cluster.client.create('Secret', record(2, 'pending-upgrade'));
    await track.notice(/^Helm started revision 2: tracking it instead of revision 1$/);
    await cluster.client.replace('Secret', record(2, 'deployed'));
    await track.done;
    assert.deepEqual(names(summaryOf(track.events).ready), ['Secret/sh.helm.release.v1.shop.v2']);
    await pinned.done;
    const summary = summaryOf(pinned.events);
    assert.equal(summary.outcome, 'timeout');
    assert.deepEqual(names(summary.failed), ['Secret/sh.helm.release.v1.shop.v1']);
  });

  test('a revision that never comes: the track times out saying which and what there is', async () => {
    await using cluster = await startFakeCluster();
    const track = start(cluster, { revision: 3, timeout: 300 });
    await track.done;
    const summary = summaryOf(track.events);
    assert.equal(summary.outcome, 'timeout');
    assert.deepEqual(
      summary.failed.map((f) => f.message),
      ['not created after 300ms: Helm release "shop" has no revision 3 yet (no revision at all)'],
    );
    await assert.rejects(
      (async () => {
        for await (const _ of trackHelmRelease(cluster.client, 'nope')) break;
      })(),
      /^InvalidInputError: no Helm release "nope" in namespace "default" \(no Secret sh\.helm\.release\.v1\.nope\.vN\); to wait for its install: --helm-revision next$/,
    );
  });
});

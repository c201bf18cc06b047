import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { systemClock } from '../../src/kube/clock.js';
import { findBuiltinResource, type ResourceType } from '../../src/kube/resources.js';
import { startFakeCluster } from '../../src/testing/cluster.js';
import type { TrackEvent } from '../../src/track/events.js';
import { multitrack } from '../../src/track/multitrack.js';
import { trackDeployment, trackResource } from '../../src/track/resource.js';
import { deploymentManifest, podManifest, waitFor, watching } from '../helpers.js';

const deployment = (name: string, replicas = 2) => deploymentManifest(name, { replicas });

async function collect<T = TrackEvent>(track: AsyncIterable<T>): Promise<T[]> {
  const events: T[] = [];
  for await (const event of track) events.push(event);
  return events;
}

describe('trackResource', { concurrency: 3 }, () => {
  test('a Deployment created after tracking starts: added, status, ready — then the track ends', async () => {
    await using cluster = await startFakeCluster();
    const track = collect(trackDeployment(cluster.client, { name: 'web' }, { timeout: 10_000 }));
    await watching(cluster);
    await cluster.client.create('Deployment', deployment('web'));
    const events = await track;
    const types = events.map((e) => e.type);
    assert.equal(types[0], 'added');
    assert.equal(types.at(-1), 'ready');
    assert.ok(types.includes('event'), 'Kubernetes events of the deployment and its pods');
    const ready = events.at(-1);
    assert.equal(ready?.type === 'ready' && ready.message, 'deployment "web" successfully rolled out');
    assert.deepEqual(ready?.resource, { kind: 'Deployment', namespace: 'default', name: 'web' });
    await waitFor(() => cluster.stats.openWatches === 0, 'every shared watch to close');
  });

  test('ready right after the containers start: their first log lines still come before ready', async () => {
    await using cluster = await startFakeCluster();
    // Each pod logs as it starts and is ready 10 ms later: the log streams are still connecting.
    cluster.behave('web-*', 'app', { logs: ['listening on :8080'], readyAfter: 10 });
    const track = collect(trackDeployment(cluster.client, { name: 'web' }, { timeout: 10_000 }));
    await watching(cluster);
    await cluster.client.create('Deployment', deployment('web', 3));
    const events = await track;
    assert.equal(events.at(-1)?.type, 'ready');
    const logged = new Set(events.flatMap((e) => (e.type === 'log' ? [e.pod] : [])));
    assert.equal(logged.size, 3, `the first line of each of the 3 pods: ${[...logged]}`);
  });

  test('a bad image fails the track within seconds, with the reason and a hint', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { pullFails: true, pullMs: 10 });
    await cluster.client.create('Deployment', deployment('web', 1));
    const started = Date.now();
    const events = await collect(
      trackResource(cluster.client, { kind: 'deploy', name: 'web' }, { timeout: 20_000 }),
    );
    const failed = events.at(-1);
    assert.equal(failed?.type, 'failed');
    assert.ok(failed?.type === 'failed' && failed.reason === 'ImagePullBackOff', JSON.stringify(failed));
    assert.match(failed?.type === 'failed' ? (failed.hint ?? '') : '', /imagePullSecrets/);
    assert.ok(Date.now() - started < 5000, `failed after ${Date.now() - started} ms`);
    assert.ok(events.some((e) => e.type === 'event' && e.reason === 'Failed' && e.eventType === 'Warning'));
  });

  test('pods and logs: new pods followed from their start, old pods from now until they are deleted; a crash shows its last words', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', {
      logs: ['starting web'],
      readyAfter: 50,
      logEvery: '100ms',
      logLine: 'v1 tick {n}',
    });
    await cluster.client.create('Deployment', deployment('web', 2));
    const first = await collect(trackDeployment(cluster.client, { name: 'web' }, { timeout: 10_000 }));
    const firstPods = first.filter((e) => e.type === 'pod' && e.change === 'added');
    assert.equal(firstPods.length, 2);
    assert.ok(first.some((e) => e.type === 'replicaset' && e.new));
    // A new version, ready only after a while: the old pods keep logging meanwhile.
    cluster.behave('web-*', 'app', { logs: ['starting web v2'], readyAfter: 400 });
    await cluster.client.patch(
      'deploy',
      { name: 'web' },
      { spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.local/web:v2' }] } } } },
    );
    // The next track begins 1.2 s later by its clock: the old pods' start (and first line) is history to it.
    const later = { now: () => Date.now() + 1200, after: systemClock.after };
    const second = await collect(
      trackDeployment(cluster.client, { name: 'web' }, { timeout: 10_000, clock: later }),
    );
    assert.equal(
      second[0]?.type,
      'added',
      'added comes first, also when pods were known before the deployment',
    );
    const logs = second
      .filter((e) => e.type === 'log')
      .map((e) => (e.type === 'log' ? `${e.pod} ${e.lines.join('')}` : ''));
    const oldNames = firstPods.map((e) => (e.type === 'pod' ? e.pod : ''));
    const fromOld = (line: string) => oldNames.some((name) => line.startsWith(name));
    const newLogs = logs.filter((l) => !fromOld(l));
    assert.ok(
      newLogs.length >= 2 && newLogs.every((l) => l.endsWith('starting web v2')),
      JSON.stringify(logs),
    );
    // Old pods are followed from the start of the track until they go: what they say now, not their history.
    const oldLogs = logs.filter(fromOld);
    assert.ok(oldLogs.length >= 1 && oldLogs.every((l) => /v1 tick \d+$/.test(l)), JSON.stringify(oldLogs));
    assert.ok(
      second.some((e) => e.type === 'replicaset' && e.new),
      'the new ReplicaSet is announced',
    );
    const gone = second
      .filter((e) => e.type === 'pod' && e.change === 'deleted')
      .map((e) => (e.type === 'pod' ? e.pod : ''));
    // Ready comes when no old replica is counted (as in kubectl); an old pod still
    // terminating at that moment is not waited for.
    assert.ok(
      gone.length >= 1 && gone.every((name) => oldNames.includes(name)),
      `old pods announced deleted: ${gone}`,
    );
    assert.equal(second.at(-1)?.type, 'ready');
    const crashing = await startFakeCluster();
    try {
      crashing.behave('boom-*', 'app', {
        logs: ['loading config'],
        exitAfter: 100,
        exitCode: 3,
        exitLogs: ['fatal: missing DATABASE_URL'],
      });
      await crashing.client.create('Deployment', deployment('boom', 1));
      const events = await collect(
        trackDeployment(crashing.client, { name: 'boom' }, { timeout: 30_000, failuresAllowedPerReplica: 0 }),
      );
      const lines = events.filter((e) => e.type === 'log').flatMap((e) => (e.type === 'log' ? e.lines : []));
      assert.ok(lines.includes('fatal: missing DATABASE_URL'), JSON.stringify(lines));
      assert.ok(events.some((e) => e.type === 'pod-error'));
      assert.equal(events.at(-1)?.type, 'failed');
    } finally {
      await crashing.close();
    }
  });

  test('a container that crashed before tracking started: its previous logs are fetched once', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    cluster.behave('flaky-*', 'app', {
      logs: ['boot'],
      exitAfter: 100,
      exitCode: 1,
      exitLogs: ['panic: nil map'],
    });
    await cluster.client.create('Deployment', deployment('flaky', 1));
    const clock = cluster.clock as import('../../src/testing/clock.js').ManualClock;
    await clock.advance('700ms'); // first crash, immediate restart, second crash: now in CrashLoopBackOff
    const track = trackDeployment(
      cluster.client,
      { name: 'flaky' },
      { until: 'never', failuresAllowedPerReplica: 10 },
    );
    const lines: string[] = [];
    for await (const event of track) {
      if (event.type === 'log') lines.push(...event.lines);
      if (lines.includes('panic: nil map')) break;
    }
    assert.ok(lines.includes('panic: nil map'));
    assert.equal(lines.filter((l) => l === 'panic: nil map').length, 1, 'fetched once');
  });

  test('log streams beyond the cap wait in line, with one notice; hitting the cap is not fatal', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { logs: ['up'], readyAfter: 50 });
    await cluster.client.create('Deployment', deployment('web', 3));
    const events = await collect(
      trackDeployment(cluster.client, { name: 'web' }, { timeout: 10_000, logs: { maxStreams: 1 } }),
    );
    assert.equal(events.at(-1)?.type, 'ready');
    const notices = events.filter(
      (e) => e.type === 'notice' && /log streams are open \(the limit\)/.test(e.message),
    );
    assert.equal(notices.length, 1);
    assert.equal(
      events.filter((e) => e.type === 'log').length,
      1,
      'only the first stream ran; the others waited',
    );
  });

  test('aborted as it starts (its kind known already, nothing asked yet): the track and the multitrack throw the reason', async () => {
    await using cluster = await startFakeCluster();
    await cluster.client.create('Deployment', deployment('web', 1));
    await cluster.client.resolveType('deploy');
    const starts = [
      (signal: AbortSignal) => trackDeployment(cluster.client, { name: 'web' }, { signal }),
      (signal: AbortSignal) => multitrack(cluster.client, [{ kind: 'deploy', name: 'web' }], { signal }),
    ];
    for (const start of starts) {
      const controller = new AbortController();
      const pending = collect(start(controller.signal));
      await null;
      controller.abort(new Error('Ctrl-C'));
      await assert.rejects(pending, /Ctrl-C/);
    }
  });

  test('the timeout is an outcome: failed, reason Timeout, with the last verdict and a report; abort throws its reason', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('slow-*', 'app', { readyAfter: null, logs: ['warming up'] });
    await cluster.client.create('Deployment', deployment('slow', 1));
    const started = Date.now();
    const events = await collect(trackDeployment(cluster.client, { name: 'slow' }, { timeout: 1500 }));
    const failed = events.at(-1);
    assert.ok(failed?.type === 'failed', JSON.stringify(failed));
    assert.equal(failed.reason, 'Timeout');
    assert.match(
      failed.message,
      /^not ready after 1\.5s: Waiting for deployment "slow" rollout to finish: 0 of 1 updated replicas are available\.\.\./,
    );
    assert.ok(Array.isArray(failed.report.warnings) && Array.isArray(failed.report.logs));
    assert.ok(Date.now() - started < 2500, `ended ${Date.now() - started} ms after it began`);
    const controller = new AbortController();
    const pending = collect(trackDeployment(cluster.client, { name: 'slow' }, { signal: controller.signal }));
    await watching(cluster);
    controller.abort(new Error('Ctrl-C'));
    await assert.rejects(pending, /Ctrl-C/);
    await waitFor(() => cluster.stats.openWatches === 0, 'every shared watch to close');
  });

  test('deletion mid-track ends it with deleted; break releases the watches', async () => {
    await using cluster = await startFakeCluster();
    await cluster.client.create('Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'lb', namespace: 'default', annotations: { 'sim.kubedog.io/no-address': 'true' } },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
    });
    const track = trackResource(cluster.client, { kind: 'svc', name: 'lb' }, { until: 'never' });
    const first = await track.next();
    assert.equal(first.value?.type, 'added');
    await cluster.client.delete('svc', { name: 'lb' });
    const rest: string[] = [];
    for await (const event of track) rest.push(event.type);
    assert.equal(rest.at(-1), 'deleted');
    // Waiting for readiness, a deletion is a failure: it will never become ready.
    await cluster.client.create('Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'lb', namespace: 'default', annotations: { 'sim.kubedog.io/no-address': 'true' } },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
    });
    const rollout = trackResource(cluster.client, { kind: 'svc', name: 'lb' });
    assert.equal((await rollout.next()).value?.type, 'added');
    await cluster.client.delete('svc', { name: 'lb' });
    const ending: TrackEvent[] = [];
    for await (const event of rollout) ending.push(event);
    assert.deepEqual(
      ending.map((e) => (e.type === 'failed' ? `${e.type} ${e.reason}: ${e.message}` : e.type)),
      ['deleted', 'failed Deleted: service/lb was deleted before it became ready'],
    );
    const again = trackResource(cluster.client, { kind: 'ns', name: 'default' });
    for await (const event of again) {
      assert.equal(event.type, 'added');
      break;
    }
    await waitFor(() => cluster.stats.openWatches === 0, 'every shared watch to close after break');
  });

  test("trackers watching the namespace (watchScope: 'namespace') share one watch per kind", async () => {
    await using cluster = await startFakeCluster();
    for (let i = 0; i < 20; i++) await cluster.client.create('Deployment', deployment(`app-${i}`, 1));
    let most = 0;
    const sampler = setInterval(() => {
      most = Math.max(most, cluster.stats.openWatches);
    }, 1);
    const before = cluster.stats.watchRequests;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        collect(
          trackDeployment(cluster.client, { name: `app-${i}` }, { timeout: 20_000, watchScope: 'namespace' }),
        ),
      ),
    );
    clearInterval(sampler);
    assert.ok(results.every((events) => events.at(-1)?.type === 'ready'));
    assert.ok(most <= 4, `${most} watches for 20 deployments (deployments, replicasets, pods, events)`);
    const requests = cluster.stats.watchRequests - before;
    assert.ok(requests >= 1 && requests <= 8, `${requests} watch requests for 20 trackers`);
  });

  test("until 'deleted': a pod deleted while tracked says it is terminating, then the track ends deleted, without logs", async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('p', 'app', { logEvery: '20ms' });
    await cluster.client.create('Pod', podManifest('p'));
    const pods = findBuiltinResource('Pod') as ResourceType;
    const phase = () => (cluster.store.get(pods, 'default', 'p')?.status as { phase?: string })?.phase;
    await waitFor(() => phase() === 'Running', 'the pod to run');
    const events: TrackEvent[] = [];
    for await (const event of trackResource(
      cluster.client,
      { kind: 'pod', name: 'p' },
      { until: 'deleted', timeout: 10_000 },
    )) {
      events.push(event);
      if (event.type === 'added') await cluster.client.delete('Pod', { name: 'p' });
    }
    const said = events.map((e) =>
      e.type === 'added' || e.type === 'status'
        ? `${e.type} ${e.verdict.reason}: ${e.verdict.message}`
        : e.type === 'deleted'
          ? `deleted: ${e.message}`
          : e.type,
    );
    assert.equal(said[0], 'added NotDeleting: pod "p" exists and is not being deleted');
    assert.ok(
      said.some((line) =>
        /^status Terminating: pod "p" is terminating: .*its grace period ends in (29|30)s$/.test(line),
      ),
      said.join('\n'),
    );
    assert.equal(said.at(-1), 'deleted: pod "p" was deleted');
    assert.ok(!said.includes('log'), 'no log lines unless asked for');
  });

  test("until 'exists': only the resource is watched, and the track ends when it comes", async () => {
    await using cluster = await startFakeCluster();
    const track = collect(
      trackResource(cluster.client, { kind: 'cm', name: 'settings' }, { until: 'exists', timeout: 10_000 }),
    );
    await watching(cluster);
    await cluster.client.create('ConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default' },
    });
    const events = await track;
    assert.deepEqual(
      events.map((e) => e.type),
      ['added'],
    );
    await waitFor(() => cluster.stats.openWatches === 0, 'its one watch to close');
  });

  test('ready at first sight: its pods and their new lines are shown, not their history (unless since asks)', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { logs: ['booted'], logEvery: '100ms', logLine: 'tick #{n}' });
    await cluster.client.create('Deployment', deployment('web', 1));
    await collect(trackDeployment(cluster.client, { name: 'web' }, { timeout: 10_000 }));
    // Tracked two minutes later (by the tracker's clock): what its container wrote then is history.
    const later = { now: () => Date.now() + 120_000, after: systemClock.after };
    const lines = (events: TrackEvent[]) => events.flatMap((e) => (e.type === 'log' ? e.lines : []));
    const again = await collect(
      trackDeployment(cluster.client, { name: 'web' }, { timeout: 10_000, clock: later }),
    );
    assert.deepEqual(
      again.filter((e) => e.type === 'added' || e.type === 'pod' || e.type === 'ready').map((e) => e.type),
      ['added', 'pod', 'ready'],
    );
    assert.ok(!lines(again).includes('booted'), lines(again).join('\n'));
    const all = await collect(
      trackDeployment(
        cluster.client,
        { name: 'web' },
        { timeout: 10_000, clock: later, logs: { since: new Date(0) } },
      ),
    );
    assert.equal(lines(all)[0], 'booted');
  });
});

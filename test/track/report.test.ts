import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startFakeCluster } from '../../src/testing/cluster.js';
import type { FailedEvent, TrackEvent } from '../../src/track/events.js';
import { trackResource } from '../../src/track/resource.js';
import { FakeSource } from './fake-source.js';
import { deployment, event, pod, replicaSet } from './model/objects.js';

const job = (name: string) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'default' },
  spec: {
    backoffLimit: 0,
    template: {
      spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'registry.local/job:v1' }] },
    },
  },
});

async function collect(track: AsyncIterable<TrackEvent>): Promise<TrackEvent[]> {
  const events: TrackEvent[] = [];
  for await (const event of track) events.push(event);
  return events;
}

describe('failure reports', () => {
  test('a failed Job: its Warning Events and the last 20 lines of the failed container, logs not followed', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('migrate-*', 'main', {
      exitAfter: '100ms',
      exitCode: 3,
      exitLogs: Array.from({ length: 30 }, (_, i) => `step ${i + 1}`),
    });
    await cluster.client.create('Job', job('migrate'));
    const events = await collect(
      trackResource(cluster.client, { kind: 'job', name: 'migrate' }, { logs: false, timeout: 10_000 }),
    );
    const failed = events.at(-1) as FailedEvent;
    assert.equal(failed.type, 'failed');
    assert.equal(failed.reason, 'BackoffLimitExceeded');
    assert.equal(failed.report.logs.length, 1);
    assert.deepEqual(
      failed.report.logs[0]?.lines,
      Array.from({ length: 20 }, (_, i) => `step ${i + 11}`),
    );
    assert.equal(failed.report.logs[0]?.previous, false);
    assert.ok(!events.some((e) => e.type === 'log'), 'logs were not followed: nothing shown live');
  });

  test('the crashed instance is read first; lines not shown live are shown before the failure', async () => {
    const source = new FakeSource();
    source.logs.set('web-v1-a/app previous', ['loading config', 'panic: nil map']);
    source.liveLogs.set('web-v1-a/app', ['loading config']);
    source.apply('ADDED', deployment({ replicas: 1 }));
    source.apply('ADDED', replicaSet('web-v1'));
    source.apply('ADDED', pod('web-v1-a', { phase: 'Running' }));
    const track = trackResource(
      source,
      { kind: 'Deployment', name: 'web' },
      { failuresAllowedPerReplica: 0 },
    );
    const seen: TrackEvent[] = [];
    for await (const e of track) {
      seen.push(e);
      if (e.type === 'log' && e.lines.includes('loading config'))
        source.apply(
          'MODIFIED',
          pod('web-v1-a', {
            phase: 'Running',
            waiting: { reason: 'CrashLoopBackOff' },
            restarts: 1,
            last: { exitCode: 2, reason: 'Error', containerID: 'cri://web-v1-a-1' },
          }),
        );
    }
    const failed = seen.at(-1) as FailedEvent;
    assert.equal(failed.type, 'failed');
    assert.deepEqual(failed.report.logs, [
      { pod: 'web-v1-a', container: 'app', previous: true, lines: ['loading config', 'panic: nil map'] },
    ]);
    const shown = seen.flatMap((e) => (e.type === 'log' ? e.lines : []));
    assert.deepEqual(shown, ['loading config', 'panic: nil map'], 'each line once');
    assert.ok(source.logRequests.includes('web-v1-a/app previous'));
  });

  test('log lines seen live stand in when the pod is gone, and Warning Events from before the track are in it', async () => {
    const source = new FakeSource();
    source.liveLogs.set('web-v1-a/app', ['last words']);
    source.apply('ADDED', deployment({ replicas: 1 }));
    source.apply('ADDED', replicaSet('web-v1'));
    source.apply('ADDED', event('Pod/web-v1-a', 'BackOff', { type: 'Warning', seconds: -3600, count: 7 }));
    source.apply('ADDED', pod('web-v1-a', { phase: 'Running' }));
    const events: TrackEvent[] = [];
    for await (const e of trackResource(
      source,
      { kind: 'deploy', name: 'web' },
      { failuresAllowedPerReplica: 0 },
    )) {
      events.push(e);
      if (e.type === 'log')
        source.apply('MODIFIED', pod('web-v1-a', { phase: 'Running', terminated: { exitCode: 1 } }));
    }
    const failed = events.at(-1) as FailedEvent;
    assert.deepEqual(failed.report.logs, [
      { pod: 'web-v1-a', container: 'app', previous: false, lines: ['last words'] },
    ]);
    assert.deepEqual(failed.report.warnings, [
      { involvedObject: 'Pod/web-v1-a', reason: 'BackOff', message: 'BackOff', count: 7 },
    ]);
    assert.ok(!events.some((e) => e.type === 'event'), 'an Event from an hour ago is not announced');
  });

  test('a missing ConfigMap, past its grace window: the report says it does not exist, and the hint what to create', async () => {
    await using cluster = await startFakeCluster();
    await cluster.client.create('Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'app', image: 'web:v1', envFrom: [{ configMapRef: { name: 'web-config' } }] },
            ],
          },
        },
      },
    });
    const events = await collect(
      trackResource(
        cluster.client,
        { kind: 'deployment', name: 'web' },
        { logs: false, timeout: 10_000, configGraceMs: 0 },
      ),
    );
    const failed = events.at(-1) as FailedEvent;
    assert.equal(failed.reason, 'CreateContainerConfigError');
    assert.deepEqual(failed.report.findings, [
      'ConfigMap "web-config" does not exist in namespace "default"',
    ]);
    assert.equal(
      failed.hint,
      'create the ConfigMap "web-config" in namespace "default", or fix the pod\'s reference to it',
    );
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startFakeCluster } from '../../src/testing/cluster.js';
import type { TrackEvent } from '../../src/track/events.js';
import { FailureWitness } from '../../src/track/report.js';
import { trackResource } from '../../src/track/resource.js';

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

describe('failure reports', () => {
  test('a failed Job: its Warning events and the last lines of the failed container, logs not followed', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('migrate-*', 'main', {
      exitAfter: '100ms',
      exitCode: 3,
      exitLogs: Array.from({ length: 30 }, (_, i) => `step ${i + 1}`),
    });
    await cluster.client.create('Job', job('migrate'));
    const witness = new FailureWitness(cluster.client, { logLines: 5 });
    let failed: (TrackEvent & { type: 'failed' }) | undefined;
    for await (const event of trackResource(
      cluster.client,
      { kind: 'job', name: 'migrate' },
      { logs: false, timeout: 10_000 },
    )) {
      witness.observe(event);
      if (event.type === 'failed') failed = event;
    }
    assert.ok(failed, 'the Job failed');
    const report = await witness.report(failed);
    assert.equal(report.reason, failed.reason);
    assert.equal(report.logs.length, 1);
    assert.deepEqual(report.logs[0]?.lines, ['step 26', 'step 27', 'step 28', 'step 29', 'step 30']);
    assert.equal(report.logs[0]?.previous, false);
    assert.equal(witness.verdict(failed.resource)?.state, 'failed');
  });

  test('log lines seen live stand in when the pod is gone', async () => {
    await using cluster = await startFakeCluster();
    const witness = new FailureWitness(cluster.client);
    const resource = { kind: 'Pod', namespace: 'default', name: 'gone' };
    const time = new Date().toISOString();
    witness.observe({
      type: 'pod',
      time,
      resource,
      pod: 'gone',
      change: 'added',
      phase: 'Running',
      containers: ['app'],
      current: true,
    });
    witness.observe({ type: 'log', time, resource, pod: 'gone', container: 'app', lines: ['last words'] });
    witness.observe({
      type: 'pod-error',
      time,
      resource,
      pod: 'gone',
      container: 'app',
      reason: 'Error',
      message: 'exit 1',
      restarts: 1,
    });
    witness.observe({
      type: 'event',
      time,
      resource,
      eventType: 'Warning',
      reason: 'BackOff',
      message: 'back-off',
      involvedObject: 'Pod/gone',
      count: 2,
    });
    const report = await witness.report({ resource, reason: 'Error', message: 'exit 1' });
    assert.deepEqual(report.logs, [
      { pod: 'gone', container: 'app', previous: false, lines: ['last words'] },
    ]);
    assert.deepEqual(report.warnings, [
      { involvedObject: 'Pod/gone', reason: 'BackOff', message: 'back-off', count: 2 },
    ]);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../src/kube/types.js';
import { computeVerdict } from '../../../src/status/index.js';
import { startFakeCluster } from '../../../src/testing/cluster.js';
import { clockOf, field, list, template } from './helpers.js';

const job = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'default' },
  spec: { template: template(name, `registry.local/${name}:v1`, { restartPolicy: 'Never' }), ...spec },
});
const condition = (object: KubeObject, type: string) =>
  (
    field(object, 'status', 'conditions') as { type: string; status: string; reason?: string }[] | undefined
  )?.find((c) => c.type === type);

describe('simulated Job controller', () => {
  test('backoffLimit 2: three pods fail, then Failed with BackoffLimitExceeded, retries backing off', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    cluster.behave('migrate-*', 'app', {
      exitAfter: 100,
      exitCode: 1,
      logs: ['migrating…'],
      exitLogs: ['error: relation "users" does not exist'],
    });
    await cluster.client.create('Job', job('migrate', { backoffLimit: 2 }));
    await clock.advance('1s');
    assert.equal((await list(cluster, 'pods')).length, 1, 'the second attempt waits for its back-off (10 s)');
    await clock.advance('10s');
    assert.equal((await list(cluster, 'pods')).length, 2);
    await clock.advance('20s');
    assert.equal((await list(cluster, 'pods')).length, 3);
    await clock.advance('60s');
    const pods = await list(cluster, 'pods');
    assert.equal(pods.length, 3, 'no fourth pod');
    assert.ok(pods.every((p) => field(p, 'status', 'phase') === 'Failed'));
    const done = await cluster.client.get('Job', { name: 'migrate' });
    assert.equal(condition(done, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(condition(done, 'FailureTarget')?.status, 'True');
    assert.equal(field(done, 'status', 'failed'), 3);
    assert.equal(computeVerdict(done, { now: new Date(clock.now()) }).reason, 'BackoffLimitExceeded');
    const logs = cluster.logs.read('default', pods[0]?.metadata.name ?? '', 'app').map((l) => l.text);
    assert.deepEqual(logs, ['migrating…', 'error: relation "users" does not exist']);
  });

  test('completions 3 with parallelism 2 completes with 3 pods', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    await cluster.client.create('Job', job('batch', { completions: 3, parallelism: 2 }));
    await clock.advance(100);
    assert.equal((await list(cluster, 'pods')).length, 2, 'parallelism 2');
    await clock.advance('2s');
    const done = await cluster.client.get('Job', { name: 'batch' });
    assert.equal(condition(done, 'Complete')?.status, 'True');
    assert.equal(field(done, 'status', 'succeeded'), 3);
    assert.equal((await list(cluster, 'pods')).length, 3);
    assert.ok(field(done, 'status', 'completionTime'));
  });

  test('activeDeadlineSeconds ends a running Job with DeadlineExceeded and deletes its pods', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    cluster.behave('slow-*', 'app', { exitAfter: '10m' });
    await cluster.client.create('Job', job('slow', { activeDeadlineSeconds: 30 }));
    await clock.advance('29s');
    assert.equal(condition(await cluster.client.get('Job', { name: 'slow' }), 'Failed'), undefined);
    await clock.advance('2s');
    assert.equal(
      condition(await cluster.client.get('Job', { name: 'slow' }), 'Failed')?.reason,
      'DeadlineExceeded',
    );
    assert.equal((await list(cluster, 'pods')).length, 0);
  });

  test('podFailurePolicy: FailJob on an exit code fails at once; Ignore does not count', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    cluster.behave('fatal-*', 'app', { exitAfter: 50, exitCode: 42 });
    await cluster.client.create(
      'Job',
      job('fatal', {
        backoffLimit: 6,
        podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] },
      }),
    );
    await clock.advance('1s');
    const failed = await cluster.client.get('Job', { name: 'fatal' });
    assert.equal(condition(failed, 'Failed')?.reason, 'PodFailurePolicy');

    cluster.behave('flaky-*', 'app', { exitAfter: 50, exitCode: 3 });
    await cluster.client.create(
      'Job',
      job('flaky', {
        backoffLimit: 0,
        podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } }] },
      }),
    );
    await clock.advance('1s');
    assert.equal(
      condition(await cluster.client.get('Job', { name: 'flaky' }), 'Failed'),
      undefined,
      'ignored failures do not reach backoffLimit 0',
    );
  });

  test('a Job whose pods would restart for ever is refused, as the real API server does', async () => {
    await using cluster = await startFakeCluster();
    const invalid = {
      ...job('forever', {}),
      spec: { template: { metadata: {}, spec: { containers: [{ name: 'app', image: 'x' }] } } },
    };
    await assert.rejects(cluster.client.create('Job', invalid), {
      statusCode: 422,
      message:
        /Job\.batch "forever" is invalid: spec\.template\.spec\.restartPolicy: Required value: supported values: "OnFailure", "Never"/,
    });
  });

  test('a suspended Job starts no pods', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    await cluster.client.create('Job', job('later', { suspend: true }));
    await clockOf(cluster).advance('5s');
    assert.equal((await list(cluster, 'pods')).length, 0);
    assert.equal(condition(await cluster.client.get('Job', { name: 'later' }), 'Suspended')?.status, 'True');
  });

  test('Indexed: a pod per index, named, labelled and annotated with it; completedIndexes as the API writes them', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    cluster.behave('shard-*', 'app', { exitAfter: 100, exitCode: 0 });
    await cluster.client.create(
      'Job',
      job('shard', { completionMode: 'Indexed', completions: 3, parallelism: 3 }),
    );
    await clockOf(cluster).advance('1s');
    const pods = await list(cluster, 'pods');
    const indexes = pods
      .map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'])
      .sort();
    assert.deepEqual(indexes, ['0', '1', '2']);
    for (const pod of pods) {
      const index = pod.metadata.annotations?.['batch.kubernetes.io/job-completion-index'];
      assert.match(pod.metadata.name ?? '', new RegExp(`^shard-${index}-\\w{5}$`));
      assert.equal(pod.metadata.labels?.['batch.kubernetes.io/job-completion-index'], index);
    }
    const done = await cluster.client.get('Job', { name: 'shard' });
    assert.equal(field(done, 'status', 'completedIndexes'), '0-2');
    assert.equal(condition(done, 'Complete')?.reason, 'CompletionsReached');
  });

  test('backoffLimitPerIndex: the index that keeps failing is failed; the Job fails with FailedIndexes once the others end', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    cluster.behave('shard-*', 'app', { exitAfter: 30_000, exitCode: 0 });
    cluster.behave('shard-1-*', 'app', { exitAfter: 100, exitCode: 1 });
    const spec = { completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimitPerIndex: 1 };
    await cluster.client.create('Job', job('shard', spec));
    await clock.advance('1s');
    let current = await cluster.client.get('Job', { name: 'shard' });
    assert.equal(
      field(current, 'status', 'failedIndexes'),
      '',
      'none failed yet: an empty list, as the API writes it',
    );
    await clock.advance('12s');
    current = await cluster.client.get('Job', { name: 'shard' });
    assert.equal(field(current, 'status', 'failedIndexes'), '1');
    assert.equal(condition(current, 'Failed'), undefined, 'indexes 0 and 2 still run');
    assert.equal(computeVerdict(current, { now: new Date(clock.now()) }).reason, 'FailedIndexes');
    await clock.advance('30s');
    current = await cluster.client.get('Job', { name: 'shard' });
    assert.equal(condition(current, 'Failed')?.reason, 'FailedIndexes');
    assert.equal(field(current, 'status', 'completedIndexes'), '0,2');
  });

  test("successPolicy: SuccessCriteriaMet and Complete once the rule's indexes succeeded; the other indexes are stopped", async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    cluster.behave('train-*', 'app', { exitAfter: 60_000, exitCode: 0 });
    cluster.behave('train-0-*', 'app', { exitAfter: 100, exitCode: 0 });
    const successPolicy = { rules: [{ succeededIndexes: '0' }] };
    await cluster.client.create(
      'Job',
      job('train', { completionMode: 'Indexed', completions: 3, parallelism: 3, successPolicy }),
    );
    await clock.advance('1s');
    const current = await cluster.client.get('Job', { name: 'train' });
    // The simulated kubelet stops the other indexes' pods at once, so both come in one pass here;
    // a real controller writes Complete a moment later (fixtures/scenarios/job-success-policy.ndjson).
    assert.equal(condition(current, 'SuccessCriteriaMet')?.reason, 'SuccessPolicy');
    assert.equal(condition(current, 'Complete')?.reason, 'SuccessPolicy');
    assert.equal(field(current, 'status', 'completedIndexes'), '0');
    assert.equal(
      (await list(cluster, 'pods')).filter((p) => field(p, 'status', 'phase') !== 'Succeeded').length,
      0,
    );
  });

  test('a native sidecar runs beside the main container and is stopped when it is done: the Job completes', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    cluster.behave('migrate-*', 'app', { exitAfter: 300, exitCode: 0 });
    const base = job('migrate', {});
    const podSpec = (base.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    podSpec.initContainers = [{ name: 'proxy', image: 'registry.local/proxy:v1', restartPolicy: 'Always' }];
    await cluster.client.create('Job', base);
    await clockOf(cluster).advance('2s');
    const [pod] = await list(cluster, 'pods');
    assert.equal(field(pod, 'status', 'phase'), 'Succeeded');
    const [sidecar] = field(pod, 'status', 'initContainerStatuses') as Record<string, unknown>[];
    assert.deepEqual(field(sidecar, 'state', 'terminated', 'reason'), 'Completed');
    assert.equal(condition(await cluster.client.get('Job', { name: 'migrate' }), 'Complete')?.status, 'True');
  });
});

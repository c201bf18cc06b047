import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeVerdict } from '../../../src/status/index.js';
import { startFakeCluster } from '../../../src/testing/cluster.js';
import { clockOf, deploymentManifest, field, list } from './helpers.js';

describe('simulated Deployment controller', () => {
  for (const [maxSurge, maxUnavailable] of [
    [1, 0],
    [0, 1],
    [2, 1],
    ['25%', '25%'],
  ] as const) {
    test(`a rolling update respects maxSurge ${maxSurge} and maxUnavailable ${maxUnavailable} at every step`, async () => {
      await using cluster = await startFakeCluster({ clock: 'manual' });
      const clock = clockOf(cluster);
      const replicas = 4;
      await cluster.client.create(
        'Deployment',
        deploymentManifest('web', { replicas, strategy: { rollingUpdate: { maxSurge, maxUnavailable } } }),
      );
      await clock.advance('5s');
      const surge = typeof maxSurge === 'number' ? maxSurge : Math.ceil(replicas * 0.25);
      const unavailable = typeof maxUnavailable === 'number' ? maxUnavailable : Math.floor(replicas * 0.25);
      await cluster.client.patch(
        'deploy',
        { name: 'web' },
        { spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.local/web:v2' }] } } } },
      );
      let sawBothReplicaSets = false;
      for (let step = 0; step < 100; step++) {
        await clock.advance(20);
        const sets = await list(cluster, 'rs');
        const total = sets.reduce((n, rs) => n + Number(field(rs, 'spec', 'replicas')), 0);
        const available = sets.reduce(
          (n, rs) => n + Number(field(rs, 'status', 'availableReplicas') ?? 0),
          0,
        );
        assert.ok(
          total <= replicas + surge,
          `step ${step}: ${total} pods wanted, surge allows ${replicas + surge}`,
        );
        assert.ok(
          available >= replicas - unavailable,
          `step ${step}: ${available} available, at least ${replicas - unavailable} required`,
        );
        if (sets.filter((rs) => Number(field(rs, 'spec', 'replicas')) > 0).length > 1)
          sawBothReplicaSets = true;
      }
      assert.ok(sawBothReplicaSets, 'old and new ReplicaSets overlapped');
      const deployment = await cluster.client.get('deploy', { name: 'web' });
      const sets = await list(cluster, 'rs');
      assert.deepEqual(
        sets
          .map((rs) => [
            rs.metadata.annotations?.['deployment.kubernetes.io/revision'],
            field(rs, 'spec', 'replicas'),
          ])
          .sort(),
        [
          ['1', 0],
          ['2', 4],
        ],
      );
      assert.equal(deployment.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
      assert.equal(
        computeVerdict(deployment, { now: new Date(clock.now()) }).message,
        'deployment "web" successfully rolled out',
      );
      const pods = await list(cluster, 'pods');
      assert.equal(pods.length, 4);
      const hash = sets.find((rs) => field(rs, 'spec', 'replicas') === 4)?.metadata.labels?.[
        'pod-template-hash'
      ];
      assert.ok(
        pods.every(
          (p) =>
            p.metadata.labels?.['pod-template-hash'] === hash &&
            p.metadata.ownerReferences?.[0]?.kind === 'ReplicaSet',
        ),
      );
    });
  }

  test('progressDeadlineSeconds → Progressing=False ProgressDeadlineExceeded, on simulated time', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    cluster.behave('web-*', 'app', { pullFails: true });
    await cluster.client.create(
      'Deployment',
      deploymentManifest('web', { replicas: 1, progressDeadlineSeconds: 600 }),
    );
    await clock.advance('9m');
    let deployment = await cluster.client.get('deploy', { name: 'web' });
    const progressing = () =>
      (
        field(deployment, 'status', 'conditions') as {
          type: string;
          status: string;
          reason: string;
          message: string;
        }[]
      ).find((c) => c.type === 'Progressing');
    assert.equal(progressing()?.status, 'True', 'nine minutes in, the deadline has not passed');
    await clock.advance('61s');
    deployment = await cluster.client.get('deploy', { name: 'web' });
    assert.equal(progressing()?.reason, 'ProgressDeadlineExceeded');
    assert.match(progressing()?.message ?? '', /^ReplicaSet "web-\w+" has timed out progressing\.$/);
    assert.equal(
      computeVerdict(deployment, { now: new Date(clock.now()) }).reason,
      'ProgressDeadlineExceeded',
    );
  });

  test('a paused deployment does not roll out a new template; resuming does', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    await cluster.client.create('Deployment', deploymentManifest('web', { replicas: 2 }));
    await clock.advance('2s');
    await cluster.client.patch(
      'deploy',
      { name: 'web' },
      {
        spec: {
          paused: true,
          template: { spec: { containers: [{ name: 'app', image: 'registry.local/web:v2' }] } },
        },
      },
    );
    await clock.advance('2s');
    assert.equal((await list(cluster, 'rs')).length, 1);
    // No ReplicaSet runs the new template, so none of the replicas is updated (kubectl says the same).
    const paused = computeVerdict(await cluster.client.get('deploy', { name: 'web' }), {
      now: new Date(clock.now()),
    });
    assert.equal(paused.reason, 'Paused');
    assert.equal(paused.message, 'deployment "web" is paused: 0 of 2 replicas updated');
    await cluster.client.patch('deploy', { name: 'web' }, { spec: { paused: null } });
    await clock.advance('5s');
    assert.equal((await list(cluster, 'rs')).length, 2);
  });

  test('Recreate scales the old ReplicaSet to zero before the new one starts', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    await cluster.client.create(
      'Deployment',
      deploymentManifest('web', { replicas: 2, strategy: { type: 'Recreate' } }),
    );
    await clock.advance('2s');
    await cluster.client.patch(
      'deploy',
      { name: 'web' },
      { spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.local/web:v2' }] } } } },
    );
    for (let step = 0; step < 30; step++) {
      await clock.advance(20);
      const sets = await list(cluster, 'rs');
      const withPods = sets.filter((rs) => Number(field(rs, 'status', 'replicas') ?? 0) > 0);
      assert.ok(withPods.length <= 1, `step ${step}: pods of two revisions at once`);
    }
  });
});

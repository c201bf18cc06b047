import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../src/kube/types.js';
import { computeVerdict } from '../../../src/status/index.js';
import { startFakeCluster } from '../../../src/testing/cluster.js';
import { clockOf, field, list, template } from './helpers.js';

const sts = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db', namespace: 'default' },
  spec: {
    serviceName: 'db',
    selector: { matchLabels: { app: 'db' } },
    template: template('db', 'registry.local/db:v1'),
    ...spec,
  },
});
const newImage = {
  spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.local/db:v2' }] } } },
};
const revisions = async (cluster: Awaited<ReturnType<typeof startFakeCluster>>) =>
  Object.fromEntries(
    (await list(cluster, 'pods')).map((p) => [
      p.metadata.name,
      p.metadata.labels?.['controller-revision-hash'],
    ]),
  );

describe('simulated StatefulSet controller', () => {
  test('OrderedReady: each pod waits for the one before to be ready', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    cluster.behave('db-*', 'app', { readyAfter: '5s' });
    await cluster.client.create('StatefulSet', sts({ replicas: 3 }));
    await clock.advance('1s');
    assert.deepEqual(
      (await list(cluster, 'pods')).map((p) => p.metadata.name),
      ['db-0'],
    );
    await clock.advance('5s');
    assert.deepEqual(
      (await list(cluster, 'pods')).map((p) => p.metadata.name),
      ['db-0', 'db-1'],
    );
    await clock.advance('20s');
    const ready = await cluster.client.get('sts', { name: 'db' });
    assert.equal(field(ready, 'status', 'readyReplicas'), 3);
    assert.equal(computeVerdict(ready, { now: new Date(clock.now()) }).state, 'ready');
  });

  test('partition 2 updates only ordinals ≥ 2, highest first', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    await cluster.client.create(
      'StatefulSet',
      sts({ replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }),
    );
    await clock.advance('5s');
    const before = await revisions(cluster);
    await cluster.client.patch('sts', { name: 'db' }, newImage);
    await clock.advance('10s');
    const after = await revisions(cluster);
    assert.equal(after['db-0'], before['db-0']);
    assert.equal(after['db-1'], before['db-1']);
    assert.notEqual(after['db-2'], before['db-2']);
    assert.notEqual(after['db-3'], before['db-3']);
    const status = await cluster.client.get('sts', { name: 'db' });
    assert.equal(field(status, 'status', 'updatedReplicas'), 2);
    assert.notEqual(field(status, 'status', 'currentRevision'), field(status, 'status', 'updateRevision'));
    assert.equal(
      computeVerdict(status, { now: new Date(clock.now()) }).message,
      'partitioned roll out complete: 2 new pods have been updated...',
    );
  });

  test('without a partition the update completes and currentRevision catches up', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    await cluster.client.create('StatefulSet', sts({ replicas: 3 }));
    await clock.advance('5s');
    await cluster.client.patch('sts', { name: 'db' }, newImage);
    await clock.advance('10s');
    const status = await cluster.client.get('sts', { name: 'db' });
    assert.equal(field(status, 'status', 'updatedReplicas'), 3);
    assert.equal(field(status, 'status', 'currentRevision'), field(status, 'status', 'updateRevision'));
    assert.equal(computeVerdict(status, { now: new Date(clock.now()) }).state, 'ready');
  });

  test('OnDelete replaces nothing until a pod is deleted', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual' });
    const clock = clockOf(cluster);
    await cluster.client.create('StatefulSet', sts({ replicas: 2, updateStrategy: { type: 'OnDelete' } }));
    await clock.advance('5s');
    const before = await revisions(cluster);
    await cluster.client.patch('sts', { name: 'db' }, newImage);
    await clock.advance('10s');
    assert.deepEqual(await revisions(cluster), before);
    await cluster.client.delete('pod', { name: 'db-1' });
    await clock.advance('5s');
    const after = await revisions(cluster);
    assert.equal(after['db-0'], before['db-0']);
    assert.notEqual(after['db-1'], before['db-1']);
  });
});

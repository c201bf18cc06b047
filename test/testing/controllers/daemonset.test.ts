import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../src/kube/types.js';
import { computeVerdict } from '../../../src/status/index.js';
import { startFakeCluster } from '../../../src/testing/cluster.js';
import { clockOf, field, list, template } from './helpers.js';

const ds = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: template('agent', 'registry.local/agent:v1'),
    ...spec,
  },
});
const newImage = {
  spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.local/agent:v2' }] } } },
};

describe('simulated DaemonSet controller', () => {
  test('one pod per node, across 3 nodes', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual', nodes: 3 });
    await cluster.client.create('DaemonSet', ds({}));
    await clockOf(cluster).advance('2s');
    const pods = await list(cluster, 'pods');
    assert.deepEqual(pods.map((p) => field(p, 'spec', 'nodeName')).sort(), ['node-1', 'node-2', 'node-3']);
    const status = await cluster.client.get('ds', { name: 'agent' });
    assert.equal(field(status, 'status', 'desiredNumberScheduled'), 3);
    assert.equal(
      computeVerdict(status, { now: new Date(clockOf(cluster).now()) }).message,
      'daemon set "agent" successfully rolled out',
    );
  });

  test('RollingUpdate never has more than maxUnavailable pods unavailable', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual', nodes: 4 });
    const clock = clockOf(cluster);
    cluster.behave('agent-*', 'app', { readyAfter: 300 });
    await cluster.client.create(
      'DaemonSet',
      ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } }),
    );
    await clock.advance('3s');
    await cluster.client.patch('ds', { name: 'agent' }, newImage);
    let most = 0;
    for (let step = 0; step < 80; step++) {
      await clock.advance(25);
      const status = await cluster.client.get('ds', { name: 'agent' });
      const unavailable = Number(field(status, 'status', 'numberUnavailable'));
      most = Math.max(most, unavailable);
      assert.ok(unavailable <= 1, `step ${step}: ${unavailable} unavailable`);
    }
    assert.equal(most, 1, 'the update did take pods down, one at a time');
    const status = await cluster.client.get('ds', { name: 'agent' });
    assert.equal(field(status, 'status', 'updatedNumberScheduled'), 4);
  });

  test('OnDelete does not replace pods until they are deleted', async () => {
    await using cluster = await startFakeCluster({ clock: 'manual', nodes: 2 });
    const clock = clockOf(cluster);
    await cluster.client.create('DaemonSet', ds({ updateStrategy: { type: 'OnDelete' } }));
    await clock.advance('2s');
    const names = (await list(cluster, 'pods')).map((p) => p.metadata.name);
    await cluster.client.patch('ds', { name: 'agent' }, newImage);
    await clock.advance('5s');
    assert.deepEqual(
      (await list(cluster, 'pods')).map((p) => p.metadata.name),
      names,
    );
    assert.equal(
      field(await cluster.client.get('ds', { name: 'agent' }), 'status', 'updatedNumberScheduled'),
      0,
    );
    await cluster.client.delete('pod', { name: names[0] ?? '' });
    await clock.advance('2s');
    assert.equal(
      field(await cluster.client.get('ds', { name: 'agent' }), 'status', 'updatedNumberScheduled'),
      1,
    );
  });
});

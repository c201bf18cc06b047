import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidInputError, KubeApiError } from '../../src/kube/errors.js';
import type { KubeObject } from '../../src/kube/types.js';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { fieldsOf, fromFieldsV1, toFieldsV1 } from '../../src/testing/server-side-apply.js';

const web = (replicas: number, labels: Record<string, string> = { app: 'web' }) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default, labels: ${JSON.stringify(labels)}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: registry.local/web:v1}]}
`;

const managers = (object: KubeObject) =>
  ((object.metadata.managedFields ?? []) as { manager: string; fieldsV1: unknown }[]).map((m) => m.manager);

describe('server-side apply: KubeClient.apply on the simulated API server', () => {
  test('creates, then updates what it applies; the manager owns its fields', async () => {
    await using cluster = await startFakeCluster({ controllers: false });
    const [created] = await cluster.client.apply(web(2), { fieldManager: 'deployer' });
    assert.ok(created);
    assert.equal(created.metadata.generation, 1);
    assert.deepEqual(managers(created), ['deployer']);
    const [updated] = await cluster.client.apply(web(3), { fieldManager: 'deployer' });
    assert.ok(updated);
    assert.equal((updated.spec as { replicas: number }).replicas, 3);
    assert.equal(updated.metadata.generation, 2);
    const owned = fromFieldsV1(
      (updated.metadata.managedFields as { fieldsV1: unknown }[] | undefined)?.[0]?.fieldsV1,
    ).map((p) => p.join('.'));
    assert.ok(owned.includes('spec.replicas') && owned.includes('metadata.labels.app'), owned.join(', '));
  });

  test('a field another manager owns is a conflict naming it, unless forced', async () => {
    await using cluster = await startFakeCluster({ controllers: false });
    await cluster.client.apply(web(2), { fieldManager: 'deployer' });
    await assert.rejects(cluster.client.apply(web(5), { fieldManager: 'autoscaler' }), (error: unknown) => {
      assert.ok(error instanceof KubeApiError);
      assert.equal(error.statusCode, 409);
      assert.equal(
        error.message,
        'Deployment default/web: PATCH /apis/apps/v1/namespaces/default/deployments/web?fieldManager=autoscaler failed: 409 Conflict: Apply failed with 1 conflict: conflict with "deployer": .spec.replicas',
      );
      return true;
    });
    // The same value is no conflict: both own it then.
    const [shared] = await cluster.client.apply(web(2), { fieldManager: 'autoscaler' });
    assert.deepEqual(managers(shared as KubeObject).sort(), ['autoscaler', 'deployer']);
    const [forced] = await cluster.client.apply(web(5), { fieldManager: 'autoscaler', force: true });
    assert.ok(forced);
    assert.equal((forced.spec as { replicas: number }).replicas, 5);
    const deployer = (forced.metadata.managedFields as { manager: string; fieldsV1: unknown }[]).find(
      (m) => m.manager === 'deployer',
    );
    assert.ok(
      !fromFieldsV1(deployer?.fieldsV1).some((p) => p.join('.') === 'spec.replicas'),
      'the forced field left its old owner',
    );
  });

  test('a field the manager stops applying goes; dryRun changes nothing', async () => {
    await using cluster = await startFakeCluster({ controllers: false });
    await cluster.client.apply(web(2, { app: 'web', tier: 'front' }), { fieldManager: 'deployer' });
    const [dry] = await cluster.client.apply(web(2, { app: 'web' }), {
      fieldManager: 'deployer',
      dryRun: true,
    });
    assert.deepEqual(dry?.metadata.labels, { app: 'web' });
    assert.deepEqual((await cluster.client.get('Deployment', { name: 'web' })).metadata.labels, {
      app: 'web',
      tier: 'front',
    });
    const [applied] = await cluster.client.apply(web(2, { app: 'web' }), { fieldManager: 'deployer' });
    assert.deepEqual(applied?.metadata.labels, { app: 'web' });
  });

  test('several documents, objects, and what is wrong with them named', async () => {
    await using cluster = await startFakeCluster({ controllers: false });
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { ports: [{ port: 80 }] },
    };
    const stored = await cluster.client.apply([service], { fieldManager: 'deployer' });
    assert.equal(stored[0]?.metadata.namespace, 'default', "the client's namespace, as kubectl");
    const both = await cluster.client.apply(`${web(1)}---\n${web(1).replaceAll('web', 'api')}`, {
      fieldManager: 'deployer',
    });
    assert.deepEqual(
      both.map((o) => o.metadata.name),
      ['web', 'api'],
    );
    await assert.rejects(
      cluster.client.apply([{ apiVersion: 'v1', metadata: { name: 'x' } }], { fieldManager: 'deployer' }),
      (error: unknown) =>
        error instanceof InvalidInputError && error.message === 'apply: object 1 has no kind',
    );
    await assert.rejects(
      cluster.client.apply('kind: [', { fieldManager: 'deployer' }),
      /invalid manifest given as text: document 1/,
    );
  });
});

describe('server-side apply: field bookkeeping', () => {
  test('the fields an object sets: leaves, lists whole, never its identity or status', () => {
    const fields = fieldsOf({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'app' }] } } },
      status: { replicas: 2 },
    }).map((p) => p.join('.'));
    assert.deepEqual(fields, ['metadata.labels.app', 'spec.replicas', 'spec.template.spec.containers']);
  });

  test('FieldsV1 round trip', () => {
    const paths = [
      ['spec', 'replicas'],
      ['metadata', 'labels', 'app'],
      ['spec', 'template', 'spec', 'containers'],
    ];
    assert.deepEqual(toFieldsV1(paths), {
      'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': {} } } },
      'f:metadata': { 'f:labels': { 'f:app': {} } },
    });
    assert.deepEqual(
      fromFieldsV1(toFieldsV1(paths))
        .map((p) => p.join('.'))
        .sort(),
      paths.map((p) => p.join('.')).sort(),
    );
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { preferredVersions, resourceTypes } from '../../src/kube/discovery.js';

describe('API discovery as Go servers send it', () => {
  test("null for an empty list (Go's nil slice), a group without preferredVersion, entries of the wrong shape", () => {
    const { versions, unusable } = preferredVersions({
      groups: [
        { name: 'apps', preferredVersion: { groupVersion: 'apps/v1' } },
        { name: 'metrics.k8s.io', versions: [{ groupVersion: 'metrics.k8s.io/v1beta1' }] },
        { name: 'broken.example.com' },
        { name: 'nulls.example.com', versions: null, preferredVersion: null },
        null,
        'text',
      ],
    });
    assert.deepEqual(versions, ['apps/v1', 'metrics.k8s.io/v1beta1']);
    assert.deepEqual(unusable, [
      '/apis: group "broken.example.com" names no version',
      '/apis: group "nulls.example.com" names no version',
      '/apis: group #5 names no version',
      '/apis: group #6 names no version',
    ]);
    assert.deepEqual(preferredVersions({ groups: null }), { versions: [], unusable: [] });
    assert.deepEqual(preferredVersions('nope').unusable, ['/apis: "groups" is not a list']);
  });

  test('resource lists: null resources are none; resources without name or kind are skipped and named', () => {
    const unusable: string[] = [];
    assert.deepEqual(
      resourceTypes({ groupVersion: 'custom.metrics.k8s.io/v1beta1', resources: null }, '/apis/x', unusable),
      [],
    );
    assert.deepEqual(resourceTypes({ kind: 'APIResourceList' }, '/api/v1', unusable), []);
    const types = resourceTypes(
      {
        groupVersion: 'shop.example.com/v1',
        resources: [
          { name: 'storefronts', kind: 'Storefront', namespaced: true, shortNames: null },
          { name: 'storefronts/status', kind: 'Storefront', namespaced: true },
          { name: 'carts', kind: 'Cart', shortNames: ['ct', 7] },
          { kind: 'Nameless' },
          42,
        ],
      },
      '/apis/shop.example.com/v1',
      unusable,
    );
    assert.deepEqual(types, [
      {
        kind: 'Storefront',
        group: 'shop.example.com',
        version: 'v1',
        plural: 'storefronts',
        namespaced: true,
      },
      {
        kind: 'Cart',
        group: 'shop.example.com',
        version: 'v1',
        plural: 'carts',
        namespaced: false,
        shortNames: ['ct'],
      },
    ]);
    assert.deepEqual(unusable, [
      '/apis/shop.example.com/v1: a resource without a name or kind',
      '/apis/shop.example.com/v1: a resource without a name or kind',
    ]);
    const noVersion: string[] = [];
    assert.deepEqual(
      resourceTypes({ resources: [{ name: 'pods', kind: 'Pod', namespaced: true }] }, '/api/v1', noVersion),
      [{ kind: 'Pod', group: '', version: 'v1', plural: 'pods', namespaced: true }],
    );
    assert.deepEqual(resourceTypes({ resources: 'x' }, '/api/v1', noVersion), []);
    assert.deepEqual(noVersion, ['/api/v1: "resources" is not a list']);
  });
});

describe('discovery asked afresh', () => {
  test('trackers asking at about the same time share one discovery (a kind mid-run is asked again by the CLI tests)', async () => {
    const { startFakeCluster } = await import('../../src/testing/cluster.js');
    await using cluster = await startFakeCluster({ controllers: false });
    const client = cluster.client;
    await client.discover();
    const before = cluster.stats.requests;
    const asked = Array.from({ length: 10 }, () =>
      client.resolveType('Widget.shop.example.com', { fresh: true }).catch((error: Error) => error.message),
    );
    for (const answer of await Promise.all(asked))
      assert.match(String(answer), /does not have a resource type/);
    assert.equal(cluster.stats.requests - before, 0, 'the discovery of a moment ago served all ten');
  });
});

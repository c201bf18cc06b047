import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findBuiltinResource, type ResourceType } from '../../src/kube/resources.js';
import { StatusError } from '../../src/testing/status.js';
import { mergePatch, ObjectStore } from '../../src/testing/store.js';
import { podManifest } from '../helpers.js';

const pods = findBuiltinResource('pods') as ResourceType;
const configMaps = findBuiltinResource('cm') as ResourceType;

function statusOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof StatusError);
    return error.status;
  }
  assert.fail('expected a StatusError');
}

describe('ObjectStore', () => {
  test('one resourceVersion for the whole cluster that only grows', () => {
    const store = new ObjectStore();
    const a = store.create(pods, podManifest('a'));
    const b = store.create(configMaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'b', namespace: 'default' },
    });
    const c = store.patch(pods, 'default', 'a', { metadata: { labels: { x: 'y' } } });
    const rvs = [a, b, c].map((o) => Number(o.metadata.resourceVersion));
    assert.deepEqual(
      rvs,
      [...rvs].sort((x, y) => x - y),
    );
    assert.equal(new Set(rvs).size, 3);
    assert.equal(store.resourceVersion, rvs[2]);
  });

  test('an object with finalizers is only marked when deleted, and goes once the last finalizer is removed', () => {
    const store = new ObjectStore({ now: () => new Date('2026-12-01T10:00:00.250Z') });
    const changes: string[] = [];
    store.subscribe((change) => changes.push(change.type));
    store.create(configMaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'b', namespace: 'default', finalizers: ['example.com/a', 'example.com/b'] },
    });
    const marked = store.delete(configMaps, 'default', 'b');
    assert.equal(marked.metadata.deletionTimestamp, '2026-12-01T10:00:00Z');
    assert.equal(
      store.delete(configMaps, 'default', 'b').metadata.resourceVersion,
      marked.metadata.resourceVersion,
    );
    store.patch(configMaps, 'default', 'b', { metadata: { finalizers: ['example.com/b'] } });
    assert.ok(store.get(configMaps, 'default', 'b'), 'one finalizer left: still there');
    store.patch(configMaps, 'default', 'b', { metadata: { finalizers: null } });
    assert.equal(store.get(configMaps, 'default', 'b'), undefined);
    assert.deepEqual(changes, ['ADDED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'DELETED']);
  });

  test('a no-op patch changes nothing and commits nothing', () => {
    const store = new ObjectStore();
    const a = store.create(pods, podManifest('a', { labels: { x: 'y' } }));
    const again = store.patch(pods, 'default', 'a', { metadata: { labels: { x: 'y' } } });
    assert.equal(again.metadata.resourceVersion, a.metadata.resourceVersion);
  });

  test('generateName, AlreadyExists and NotFound like the API server', () => {
    const store = new ObjectStore();
    const generated = store.create(pods, {
      ...podManifest(''),
      metadata: { generateName: 'web-', namespace: 'default' },
    });
    assert.match(generated.metadata.name ?? '', /^web-[a-z0-9]{5}$/);
    store.create(pods, podManifest('dup'));
    assert.deepEqual(
      statusOf(() => store.create(pods, podManifest('dup'))),
      {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: 'pods "dup" already exists',
        reason: 'AlreadyExists',
        code: 409,
        details: { name: 'dup', kind: 'pods', group: '' },
      },
    );
    assert.equal(statusOf(() => store.delete(pods, 'default', 'nope')).message, 'pods "nope" not found');
  });

  test('update with a stale resourceVersion conflicts', () => {
    const store = new ObjectStore();
    const a = store.create(pods, podManifest('a'));
    store.patch(pods, 'default', 'a', { metadata: { labels: { v: '2' } } });
    const status = statusOf(() => store.update(pods, a));
    assert.equal(status.code, 409);
    assert.match(status.message ?? '', /the object has been modified/);
  });

  test('history serves changes since a version until it is compacted, then 410', () => {
    const store = new ObjectStore();
    const start = store.resourceVersion;
    store.create(pods, podManifest('a'));
    store.delete(pods, 'default', 'a');
    assert.deepEqual(
      store.changesSince(start).map((c) => c.type),
      ['ADDED', 'DELETED'],
    );
    store.compact();
    const status = statusOf(() => store.changesSince(start));
    assert.equal(status.code, 410);
    assert.equal(status.reason, 'Expired');
    assert.deepEqual(store.changesSince(store.resourceVersion), []);
  });

  test('history is bounded: old changes are compacted away', () => {
    const store = new ObjectStore({ maxHistory: 10 });
    const start = store.resourceVersion;
    for (let i = 0; i < 30; i++) store.create(pods, podManifest(`p${i}`));
    assert.ok(store.changesSince(store.resourceVersion - 9).length === 9);
    assert.throws(() => store.changesSince(start), StatusError);
  });

  test('mergePatch follows RFC 7386', () => {
    assert.deepEqual(mergePatch({ a: 'b', c: { d: 'e', f: 'g' } }, { a: 'z', c: { f: null } }), {
      a: 'z',
      c: { d: 'e' },
    });
    assert.deepEqual(mergePatch({ a: [1, 2] }, { a: [3] }), { a: [3] });
    assert.deepEqual(mergePatch({ a: 'b' }, { a: { b: 'c' } }), { a: { b: 'c' } });
  });

  test('listOwned follows controller ownerReferences through changes and deletions; count does not copy', () => {
    const store = new ObjectStore();
    const owner = (uid: string) => [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: uid, uid, controller: true },
    ];
    const a = store.create(pods, {
      ...podManifest('a'),
      metadata: { ...podManifest('a').metadata, ownerReferences: owner('rs-1') },
    });
    store.create(pods, {
      ...podManifest('b'),
      metadata: { ...podManifest('b').metadata, ownerReferences: owner('rs-1') },
    });
    store.create(pods, podManifest('orphan'));
    const names = (uid: string) => store.listOwned(pods, uid).map((p) => p.metadata.name);
    assert.deepEqual(names('rs-1'), ['a', 'b']);
    // Adopted by another owner, then deleted: the index follows.
    store.patch(pods, a.metadata.namespace, 'a', { metadata: { ownerReferences: owner('rs-2') } });
    assert.deepEqual(names('rs-1'), ['b']);
    assert.deepEqual(names('rs-2'), ['a']);
    store.delete(pods, 'default', 'b');
    assert.deepEqual(names('rs-1'), []);
    assert.equal(store.count(pods), store.list(pods).items.length);
    assert.equal(store.count(pods, { fields: [{ path: 'metadata.name', op: '=', value: 'orphan' }] }), 1);
  });

  test("mirror keeps another server's uid and timestamps, and takes its own resourceVersion", () => {
    const store = new ObjectStore();
    const copy = store.mirror(configMaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'x',
        namespace: 'default',
        uid: 'real-uid',
        resourceVersion: '99999',
        creationTimestamp: '2020-01-01T00:00:00Z',
      },
    });
    assert.equal(copy.metadata.uid, 'real-uid');
    assert.equal(copy.metadata.creationTimestamp, '2020-01-01T00:00:00Z');
    assert.notEqual(copy.metadata.resourceVersion, '99999');
    const again = store.mirror(configMaps, { ...copy, data: { k: 'v' } });
    assert.equal(again.metadata.uid, 'real-uid');
    assert.ok(Number(again.metadata.resourceVersion) > Number(copy.metadata.resourceVersion));
  });
});

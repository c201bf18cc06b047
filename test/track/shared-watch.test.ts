import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findBuiltinResource, type ResourceType } from '../../src/kube/resources.js';
import type { WatchEvent } from '../../src/kube/types.js';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { SharedWatches } from '../../src/track/shared-watch.js';
import { podManifest, waitFor } from '../helpers.js';

const pods = findBuiltinResource('pods') as ResourceType;

describe('SharedWatches', () => {
  test('one watch per kind and namespace, opened by the first subscriber and closed by the last', async () => {
    await using cluster = await startFakeCluster({ controllers: false });
    const watches = new SharedWatches(cluster.client);
    const a: string[] = [];
    const b: string[] = [];
    const stopA = watches.subscribe(pods, 'default', {
      event: (e: WatchEvent) => void a.push(`${e.type} ${e.object.metadata.name}`),
    });
    const stopB = watches.subscribe(pods, 'default', {
      event: (e: WatchEvent) => void b.push(`${e.type} ${e.object.metadata.name}`),
    });
    assert.equal(watches.open, 1);
    await waitFor(() => cluster.stats.openWatches === 1, 'the watch');
    cluster.create(podManifest('p1'));
    await waitFor(() => a.length === 1 && b.length === 1, 'both subscribers to see the pod');
    stopA();
    assert.equal(watches.open, 1);
    stopB();
    assert.equal(watches.open, 0);
    await waitFor(() => cluster.stats.openWatches === 0, 'the watch to close');
  });

  test('a late subscriber starts from the objects the watch already knows', async () => {
    await using cluster = await startFakeCluster({ controllers: false });
    const watches = new SharedWatches(cluster.client);
    const early: string[] = [];
    const stopEarly = watches.subscribe(pods, 'default', {
      event: (e: WatchEvent) => void early.push(e.object.metadata.name ?? ''),
    });
    const late: string[] = [];
    let stopLate = () => {};
    try {
      cluster.create(podManifest('known'));
      // The watch request follows the initial list: wait for it before counting.
      await waitFor(
        () => early.includes('known') && cluster.stats.watchRequests === 1,
        'the first subscriber to see the pod',
      );
      stopLate = watches.subscribe(pods, 'default', {
        event: (e: WatchEvent) => void late.push(`${e.type} ${e.object.metadata.name}`),
      });
      // Never within subscribe: the subscriber knows it is subscribed before it hears anything.
      assert.deepEqual(late, []);
      await null;
      assert.deepEqual(late, ['ADDED known']);
      assert.equal(watches.open, 1, 'no second watch');
      assert.equal(cluster.stats.watchRequests, 1, 'no second watch request');
    } finally {
      stopEarly();
      stopLate();
    }
  });

  test('a fatal watch error reaches every subscriber', async () => {
    await using cluster = await startFakeCluster({ controllers: false });
    cluster.forbid({ verb: 'list', resource: 'pods' });
    const watches = new SharedWatches(cluster.client);
    const errors: unknown[] = [];
    watches.subscribe(pods, 'default', { event: () => {}, error: (e) => void errors.push(e) });
    watches.subscribe(pods, 'default', { event: () => {}, error: (e) => void errors.push(e) });
    await waitFor(() => errors.length === 2, 'both subscribers to hear of the 403');
    assert.equal(watches.open, 0);
  });
});

/**
 * Every public function of `kubedog`, called with generated arguments of
 * any shape: it returns, or throws (rejects) a KubedogError — never a
 * TypeError, never an exception from a timer, never an unhandled rejection.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import * as kubedog from '../../src/index.js';
import { type FakeCluster, startFakeCluster } from '../../src/testing/cluster.js';

const { isKubedogError } = kubedog;

/** Settles a value: awaits a promise, iterates a generator briefly (then returns it). */
async function settle(value: unknown, ms: number): Promise<void> {
  if (
    value &&
    typeof (value as AsyncGenerator).next === 'function' &&
    Symbol.asyncIterator in (value as object)
  ) {
    const iterator = value as AsyncGenerator<unknown>;
    try {
      const deadline = performance.now() + ms;
      while (performance.now() < deadline) {
        const step = await Promise.race([iterator.next(), new Promise((r) => setTimeout(r, ms, 'late'))]);
        if (step === 'late' || (step as IteratorResult<unknown>).done) break;
      }
    } finally {
      await iterator.return(undefined).catch(() => undefined);
    }
    return;
  }
  if (value instanceof Promise) await Promise.race([value, new Promise((r) => setTimeout(r, ms))]);
}

/** What a call may end with: nothing, or a KubedogError. */
async function callOnce(name: string, call: () => unknown): Promise<void> {
  try {
    await settle(call(), 40);
  } catch (error) {
    assert.ok(
      isKubedogError(error),
      `${name}: not a KubedogError: ${(error as Error)?.stack ?? String(error)}`,
    );
  }
}

describe('every public function, with arguments of any shape', () => {
  let cluster: FakeCluster;
  before(async () => {
    cluster = await startFakeCluster({ controllers: false });
  });
  after(() => cluster.close());

  test('options that are not an object (null, a number): an InvalidInputError at the call, for every client method', async () => {
    const client = cluster.client;
    const calls: [string, () => unknown][] = [
      ['resolveType', () => client.resolveType('pods', null as never)],
      ['discover', () => client.discover(null as never)],
      ['get', () => client.get('pods', { name: 'web' }, 5 as never)],
      ['list', () => client.list('pods', null as never)],
      ['create', () => client.create('pods', { metadata: { name: 'web' } }, null as never)],
      ['delete', () => client.delete('pods', { name: 'web' }, 'now' as never)],
      ['watch', () => client.watch('pods', null as never).next()],
      ['logs', () => client.logs({ name: 'web' }, null as never).next()],
      ['logBatches', () => client.logBatches({ name: 'web' }, 7 as never).next()],
    ];
    for (const [name, call] of calls)
      await assert.rejects(
        async () => call(),
        (error: unknown) =>
          error instanceof kubedog.InvalidInputError &&
          /^options must be an object \(or left out\), not /.test(error.message),
        name,
      );
  });

  test('only KubedogErrors, nothing escapes', async () => {
    const escaped: unknown[] = [];
    const onEscape = (error: unknown) => escaped.push(error);
    process.on('unhandledRejection', onEscape);
    process.on('uncaughtException', onEscape);
    const client = cluster.client;
    const functions: [string, (...args: unknown[]) => unknown][] = [
      [
        'computeVerdict',
        (a, b) => kubedog.computeVerdict(a as never, { now: new Date(), ...(b as object) } as never),
      ],
      ['deletionVerdict', (a) => kubedog.deletionVerdict(a as never, new Date())],
      ['parseRules', (a, b) => kubedog.parseRules(a as never, b as never)],
      ['parseManifests', (a, b) => kubedog.parseManifests(a as never, b as never)],
      ['parseMultitrackSpecs', (a, b) => kubedog.parseMultitrackSpecs(a as never, b as never)],
      ['specFromObject', (a, b) => kubedog.specFromObject(a as never, b as never)],
      ['specFromManifest', (a, b) => kubedog.specFromManifest(a as never, b as never)],
      ['specsFromCluster', (a) => kubedog.specsFromCluster(client, a as never)],
      ['kubeConfigFromString', (a, b) => kubedog.kubeConfigFromString(a as never, b as never)],
      ['trackResource', (a, b) => kubedog.trackResource(client, a as never, b as never)],
      ['trackDeployment', (a, b) => kubedog.trackDeployment(client, a as never, b as never)],
      ['multitrack', (a, b) => kubedog.multitrack(client, a as never, b as never)],
      ['feed', (a) => kubedog.feed((async function* () {})(), a as never)],
      ['client.get', (a, b) => client.get(a as never, b as never)],
      ['client.list', (a, b) => client.list(a as never, b as never)],
      ['client.resolveType', (a) => client.resolveType(a as never)],
      ['client.watch', (a, b) => client.watch(a as never, b as never)],
      ['client.apply', (a, b) => client.apply(a as never, b as never)],
      ['client.create', (a, b) => client.create(a as never, b as never)],
      ['client.delete', (a, b) => client.delete(a as never, b as never)],
    ];
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...functions),
          fc.anything(),
          fc.anything(),
          async ([name, fn], a, b) => {
            await callOnce(name, () => fn(a, b));
          },
        ),
        { numRuns: 400 },
      );
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      process.off('unhandledRejection', onEscape);
      process.off('uncaughtException', onEscape);
    }
    assert.deepEqual(escaped.map(String), []);
  });
});

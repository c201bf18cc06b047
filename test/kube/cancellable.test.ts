import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cancellable } from '../../src/kube/cancellable.js';
import { sleep } from '../../src/kube/clock.js';

describe('cancellable', () => {
  test('return() settles a pending next() at once and runs the generator cleanup', async () => {
    let cleaned = false;
    const iterator = cancellable(async function* (signal) {
      try {
        yield 1;
        await sleep(60_000, signal); // a quiet stream
        yield 2;
      } finally {
        cleaned = true;
      }
    });
    assert.deepEqual(await iterator.next(), { done: false, value: 1 });
    const pending = iterator.next();
    const started = Date.now();
    assert.deepEqual(await iterator.return(undefined), { done: true, value: undefined });
    assert.deepEqual(await pending, { done: true, value: undefined });
    assert.ok(cleaned);
    assert.ok(Date.now() - started < 1000);
    assert.deepEqual(await iterator.next(), { done: true, value: undefined });
  });

  test('the caller aborting its signal rejects with the signal reason', async () => {
    const controller = new AbortController();
    const iterator = cancellable(async function* (signal) {
      await sleep(60_000, signal);
      yield 1;
    }, controller.signal);
    const pending = iterator.next();
    controller.abort(new Error('deadline'));
    await assert.rejects(pending, /deadline/);
  });

  test('an already aborted signal fails the first next()', async () => {
    const iterator = cancellable(
      async function* (signal) {
        signal.throwIfAborted();
        yield 1;
      },
      AbortSignal.abort(new Error('too late')),
    );
    await assert.rejects(iterator.next(), /too late/);
  });

  test('errors of the generator reach the consumer', async () => {
    const iterator = cancellable(async function* () {
      yield 1;
      throw new Error('boom');
    });
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const value of iterator) seen.push(value);
      })(),
      /boom/,
    );
    assert.deepEqual(seen, [1]);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AsyncQueue } from '../../src/track/queue.js';

describe('AsyncQueue', () => {
  test('delivers in order, then the end', async () => {
    const queue = new AsyncQueue<number>();
    void queue.push(1);
    void queue.push(2);
    queue.end();
    assert.deepEqual(await queue.next(), { done: false, value: 1 });
    assert.deepEqual(await queue.next(), { done: false, value: 2 });
    assert.deepEqual(await queue.next(), { done: true, value: undefined });
  });

  test('a waiting consumer gets the next push at once', async () => {
    const queue = new AsyncQueue<string>();
    const next = queue.next();
    void queue.push('x');
    assert.deepEqual(await next, { done: false, value: 'x' });
  });

  test('a full queue makes push wait until the consumer takes an item (backpressure)', async () => {
    const queue = new AsyncQueue<number>(2);
    await queue.push(1);
    let released = false;
    const blocked = queue.push(2).then(() => {
      released = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(released, false);
    await queue.next();
    await blocked;
    assert.equal(released, true);
  });

  test('room is counted by weight: a heavy item fills the queue alone', async () => {
    const queue = new AsyncQueue<string[]>(10, (lines) => lines.length);
    await queue.push(['a', 'b']);
    let released = false;
    const blocked = queue.push(Array.from({ length: 8 }, (_, i) => `line ${i}`)).then(() => {
      released = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(released, false, '2 + 8 lines fill a queue of 10');
    await queue.next();
    await blocked;
    assert.equal(released, true, 'taking 2 lines makes room');
    assert.equal((await queue.next()).value?.length, 8);
  });

  test('fail delivers what is queued, then the error', async () => {
    const queue = new AsyncQueue<number>();
    void queue.push(1);
    queue.fail(new Error('boom'));
    assert.deepEqual(await queue.next(), { done: false, value: 1 });
    await assert.rejects(queue.next(), /boom/);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newestFirst, oldestFirst, Ring } from '../../../../src/cli/render/interactive/scrollback.js';

const ring = (capacity: number, seqs: number[]) => {
  const r = new Ring<{ seq: number }>(capacity);
  for (const seq of seqs) r.push({ seq });
  return r;
};
const seqs = (items: { seq: number }[]) => items.map((item) => item.seq);

describe('scroll-back', () => {
  test('a ring keeps the last items, oldest first', () => {
    const r = ring(3, [1, 2, 3, 4, 5]);
    assert.equal(r.length, 3);
    assert.deepEqual(
      [r.at(0), r.at(1), r.at(2)].map((item) => item.seq),
      [3, 4, 5],
    );
    assert.equal(r.lastAtOrBefore(4), 1);
    assert.equal(r.lastAtOrBefore(2), -1);
    assert.equal(r.lastAtOrBefore(99), 2);
  });

  test('lines of many containers read back in arrival order, from any place', () => {
    const a = ring(10, [1, 4, 5, 9]);
    const b = ring(10, [2, 3, 7]);
    const c = ring(10, [6, 8]);
    assert.deepEqual(seqs(newestFirst([a, b, c], Number.MAX_SAFE_INTEGER, 4)), [9, 8, 7, 6]);
    assert.deepEqual(seqs(newestFirst([a, b, c], 5, 10)), [5, 4, 3, 2, 1]);
    assert.deepEqual(seqs(oldestFirst([a, b, c], 5, 3)), [6, 7, 8]);
    assert.deepEqual(seqs(oldestFirst([a, b, c], 8, 10)), [9]);
  });

  test('a filter skips lines; the scan stops at its bound', () => {
    const a = ring(
      100,
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    const even = (item: { seq: number }) => item.seq % 2 === 0;
    assert.deepEqual(seqs(newestFirst([a], 50, 3, even)), [50, 48, 46]);
    assert.deepEqual(seqs(oldestFirst([a], 50, 2, even)), [52, 54]);
    assert.deepEqual(seqs(newestFirst([a], 100, 5, () => false, 10)), []);
  });
});

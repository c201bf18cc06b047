import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatIndexes, parseIndexes } from '../../../src/testing/controllers/job-indexes.js';

describe("an Indexed Job's index sets, as the API writes them", () => {
  test('read: single indexes and ranges, only those below completions, anything malformed skipped', () => {
    assert.deepEqual(parseIndexes('1,3-5', 10), [1, 3, 4, 5]);
    assert.deepEqual(
      parseIndexes('', 10),
      [],
      'the empty list the controller writes before any index failed',
    );
    assert.deepEqual(parseIndexes('2-999999999', 4), [2, 3], 'a range is cut at completions, not walked');
    assert.deepEqual(parseIndexes('x,7,-1,4-', 10), [7]);
  });

  test('written: sorted, runs folded into ranges, duplicates once', () => {
    assert.equal(formatIndexes([5, 1, 3, 4, 4]), '1,3-5');
    assert.equal(formatIndexes([]), '');
    assert.equal(formatIndexes(new Set([0, 1, 2])), '0-2');
  });
});

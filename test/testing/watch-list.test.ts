import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StatusError } from '../../src/testing/status.js';
import { checkListOptions, watchStart } from '../../src/testing/watch-list.js';

const start = (query: string) => watchStart(new URLSearchParams(query));
const invalid = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof StatusError);
    assert.equal(error.status.code, 422);
    assert.equal(error.status.reason, 'Invalid');
    return error.status.message ?? '';
  }
  assert.fail('expected a 422 Invalid');
};

describe("a watch's start, as kube-apiserver reads its list options", () => {
  test('a watch-list request gets the initial events and the bookmark that ends them', () => {
    assert.deepEqual(
      start('sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true'),
      {
        initialEvents: true,
        endBookmark: true,
        since: undefined,
      },
    );
    // From a resourceVersion the client already saw: still the whole current state.
    assert.deepEqual(
      start(
        'sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=42',
      ),
      { initialEvents: true, endBookmark: true, since: undefined },
    );
  });

  test('without bookmarks allowed, the initial events come with no end marker', () => {
    assert.deepEqual(start('sendInitialEvents=true&resourceVersionMatch=NotOlderThan'), {
      initialEvents: true,
      endBookmark: false,
      since: undefined,
    });
  });

  test('a watch that says nothing of initial events gets them only when it starts at no resourceVersion', () => {
    assert.deepEqual(start(''), { initialEvents: true, endBookmark: false, since: undefined });
    assert.deepEqual(start('resourceVersion=0'), {
      initialEvents: true,
      endBookmark: false,
      since: undefined,
    });
    assert.deepEqual(start('resourceVersion=17'), { initialEvents: false, endBookmark: false, since: 17 });
  });

  test('sendInitialEvents=false starts at the resourceVersion given, or now', () => {
    assert.deepEqual(start('sendInitialEvents=false&resourceVersionMatch=NotOlderThan&resourceVersion=9'), {
      initialEvents: false,
      endBookmark: false,
      since: 9,
    });
    assert.deepEqual(start('sendInitialEvents=false&resourceVersionMatch=NotOlderThan'), {
      initialEvents: false,
      endBookmark: false,
      since: undefined,
    });
  });

  test('the options the API server forbids are a 422 on ListOptions naming the field', () => {
    assert.equal(
      invalid(() => start('sendInitialEvents=true')),
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    );
    assert.equal(
      invalid(() => start('resourceVersionMatch=NotOlderThan')),
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    );
    assert.match(
      invalid(() => start('sendInitialEvents=true&resourceVersionMatch=Exact')),
      /^ListOptions.meta.k8s.io "" is invalid: \[resourceVersionMatch: Forbidden: .*, resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"\]$/,
    );
    assert.equal(
      invalid(() => checkListOptions(new URLSearchParams('sendInitialEvents=true'))),
      'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
    );
    assert.doesNotThrow(() => checkListOptions(new URLSearchParams('limit=5')));
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { selectBody, withoutSelectors } from '../../src/testing/replay-selection.js';

const pod = (name: string, app: string) => ({ kind: 'Pod', metadata: { name, labels: { app } } });
const line = (type: string, object: unknown) => `${JSON.stringify({ type, object })}\n`;

describe('a recording of a whole collection answers a request with selectors', () => {
  test('a request with selectors is matched without them; one without has nothing to drop', () => {
    assert.equal(
      withoutSelectors('labelSelector=app%3Dweb&watch=true&resourceVersion=5'),
      'watch=true&resourceVersion=5',
    );
    assert.equal(withoutSelectors('fieldSelector=metadata.name%3Dweb&limit=500'), 'limit=500');
    assert.equal(withoutSelectors('limit=500'), undefined);
  });

  test('a watch keeps the events whose object matches, each at the time of the chunk that completed it', () => {
    const body =
      line('ADDED', pod('web-1', 'web')) +
      line('ADDED', pod('db-1', 'db')) +
      line('BOOKMARK', { metadata: {} });
    const cut = body.indexOf('db-1');
    const recorded = {
      query: 'watch=true',
      chunks: [
        { t: 10, data: body.slice(0, cut) },
        { t: 20, data: body.slice(cut) + line('MODIFIED', pod('web-1', 'web')) },
      ],
    };
    const selected = selectBody(recorded, 'watch=true&labelSelector=app%3Dweb');
    assert.deepEqual(
      selected.chunks.map((c) => [
        c.t,
        c.data
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l).type),
      ]),
      [
        [10, ['ADDED']],
        [20, ['BOOKMARK', 'MODIFIED']],
      ],
    );
  });

  test('a list keeps the items that match, whole, at its last chunk', () => {
    const list = JSON.stringify({
      kind: 'PodList',
      metadata: { resourceVersion: '7' },
      items: [pod('web-1', 'web'), pod('db-1', 'db')],
    });
    const recorded = {
      query: 'limit=500',
      chunks: [
        { t: 1, data: list.slice(0, 40) },
        { t: 2, data: list.slice(40) },
      ],
    };
    const selected = selectBody(recorded, 'limit=500&fieldSelector=metadata.name%3Ddb-1');
    assert.equal(selected.chunks.length, 1);
    assert.equal(selected.chunks[0]?.t, 2);
    const body = JSON.parse(selected.chunks[0]?.data ?? '');
    assert.deepEqual(
      body.items.map((p: { metadata: { name: string } }) => p.metadata.name),
      ['db-1'],
    );
    assert.equal(body.metadata.resourceVersion, '7');
  });
});

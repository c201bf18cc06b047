import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConnectionEpisodes, GATHER_MS } from '../../src/track/connection-episodes.js';
import type { NoticeEvent } from '../../src/track/events.js';

const resource = { kind: 'Deployment', namespace: 'shop', name: 'web' };
const time = '2026-12-01T10:00:00.000Z';
const interrupted = (stream: string): NoticeEvent => ({
  type: 'notice',
  code: stream.startsWith('log') ? 'log-interrupted' : 'watch-interrupted',
  stream,
  reason: 'connection reset',
  time,
  resource,
  message: `${stream} interrupted (connection reset); reconnecting`,
});
const resumed = (stream: string): NoticeEvent => ({
  type: 'notice',
  code: stream.startsWith('log') ? 'log-resumed' : 'watch-resumed',
  stream,
  time,
  resource,
  message: `${stream} resumed`,
});
const said = (notices: NoticeEvent[]) => notices.map((n) => `${n.code}: ${n.message}`);

describe('the streams of a multitrack as one connection', () => {
  test('an API server restart: every stream that broke together is one notice, and one when all came back', () => {
    const connection = new ConnectionEpisodes();
    const streams = ['watch of pods in shop', 'watch of events in shop', 'log of web-1/app'];
    for (const [i, stream] of streams.entries()) assert.ok(connection.take(interrupted(stream), 1000 + i));
    assert.deepEqual(connection.due(1010), [], 'still gathering');
    assert.equal(connection.dueAt, 1000 + GATHER_MS);
    assert.deepEqual(said(connection.due(1000 + GATHER_MS)), [
      'connection-lost: connection to the API server lost (connection reset): 3 streams reconnecting',
    ]);
    assert.ok(connection.take(resumed('watch of pods in shop'), 1500));
    assert.ok(connection.take(resumed('log of web-1/app'), 1600));
    assert.deepEqual(connection.due(1600), [], 'one stream is not back yet');
    assert.ok(connection.take(resumed('watch of events in shop'), 1700));
    assert.deepEqual(said(connection.due(1700)), [
      'connection-restored: all 3 streams resumed, nothing lost',
    ]);
    assert.equal(connection.dueAt, undefined, 'over');
  });

  test('one stream alone is said as it is, interrupted then resumed', () => {
    const connection = new ConnectionEpisodes();
    connection.take(interrupted('log of web-1/app'), 0);
    assert.deepEqual(said(connection.due(GATHER_MS)), [
      'log-interrupted: log of web-1/app interrupted (connection reset); reconnecting',
    ]);
    connection.take(resumed('log of web-1/app'), 900);
    assert.deepEqual(said(connection.due(900)), ['log-resumed: log of web-1/app resumed']);
  });

  test('back before the moment of gathering is over: lost and restored, in that order', () => {
    const connection = new ConnectionEpisodes();
    connection.take(interrupted('watch of pods in shop'), 0);
    connection.take(interrupted('watch of events in shop'), 1);
    connection.take(resumed('watch of pods in shop'), 50);
    connection.take(resumed('watch of events in shop'), 60);
    assert.deepEqual(
      said(connection.due(60)).map((line) => line.split(':')[0]),
      ['connection-lost', 'connection-restored'],
    );
  });

  test('a log stream that ended for good is not waited for; other notices are not the episode’s', () => {
    const connection = new ConnectionEpisodes();
    connection.take(interrupted('watch of pods in shop'), 0);
    connection.take(interrupted('log of web-1/app'), 1);
    connection.due(GATHER_MS);
    const ended: NoticeEvent = {
      type: 'notice',
      code: 'log-ended',
      stream: 'log of web-1/app',
      reason: 'pod deleted',
      time,
      resource,
      message: 'log stream of web-1/app ended: pod deleted',
    };
    assert.equal(connection.take(ended, 300), false, 'shown on its own');
    connection.take(resumed('watch of pods in shop'), 400);
    assert.deepEqual(said(connection.due(400)), ['connection-restored: all 2 streams resumed, nothing lost']);
    const other: NoticeEvent = { type: 'notice', code: 'skipped', time, resource, message: 'skipped pod x' };
    assert.equal(connection.take(other, 500), false);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDuration, parseSince } from '../../src/kube/duration.js';

describe('parseDuration', () => {
  test('Go-style durations, as kubectl takes them', () => {
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('30'), 30_000);
  });

  test('anything else is a clear error', () => {
    for (const bad of ['', '5 minutes', '5d', 'm5', '-5s', '5m trailing']) {
      assert.throws(
        () => parseDuration(bad),
        /invalid duration .*: use a number with a unit, like 90s, 5m or 1h30m/,
      );
    }
  });
});

describe('parseSince', () => {
  test('a duration, an RFC 3339 time, or all', () => {
    assert.equal(parseSince('10m'), 600_000);
    assert.deepEqual(parseSince('2026-11-26T10:00:00Z'), new Date('2026-11-26T10:00:00Z'));
    assert.deepEqual(parseSince('2026-11-26T11:00:00+01:00'), new Date('2026-11-26T10:00:00Z'));
    assert.deepEqual(parseSince('all'), new Date(0));
  });

  test('a time without a zone, or an impossible one, is refused', () => {
    assert.throws(
      () => parseSince('2026-11-26T10:00:00'),
      /invalid time "2026-11-26T10:00:00": use RFC 3339/,
    );
    assert.throws(() => parseSince('2026-13-45T10:00:00Z'), /invalid time/);
    assert.throws(() => parseSince('yesterday'), /invalid duration "yesterday"/);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { logTimeKey, ResumePoint } from '../../src/kube/log-resume.js';

describe('logTimeKey', () => {
  test('orders by instant, whatever the precision or zone of the text', () => {
    const times = [
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00.000000001Z',
      '2026-01-01T00:00:00.1Z',
      '2026-01-01T01:00:00.2+01:00',
      '2026-01-01T00:00:00.25Z',
      '2026-01-01T00:00:01Z',
    ];
    const keys = times.map((t) => logTimeKey(t) ?? '');
    assert.deepEqual([...keys].sort(), keys);
    assert.equal(logTimeKey('2026-01-01T00:00:00.5Z'), logTimeKey('2026-01-01T00:00:00.500000000Z'));
  });
  test('rejects what is not RFC 3339', () => {
    for (const bad of ['', 'hello', '2026-01-01 00:00:00Z', '2026-01-01T00:00:00'])
      assert.equal(logTimeKey(bad), undefined);
  });
});

describe('ResumePoint', () => {
  test('since is the last delivered second', () => {
    const resume = new ResumePoint();
    assert.equal(resume.since, undefined);
    resume.accept('2026-03-04T05:06:07.891Z');
    assert.equal(resume.since, '2026-03-04T05:06:07Z');
  });

  test('after a resume, skips exactly the lines already delivered, even with equal timestamps', () => {
    const resume = new ResumePoint();
    const first = ['2026-01-01T00:00:05.1Z', '2026-01-01T00:00:05.2Z', '2026-01-01T00:00:05.2Z'];
    assert.deepEqual(
      first.map((t) => resume.accept(t)),
      [true, true, true],
    );
    resume.startResumedStream();
    // The server resends from 00:00:05: three known lines, then one more at .2 and new ones.
    const resent = [...first, '2026-01-01T00:00:05.2Z', '2026-01-01T00:00:05.3Z', '2026-01-01T00:00:06Z'];
    assert.deepEqual(
      resent.map((t) => resume.accept(t)),
      [false, false, false, true, true, true],
    );
  });

  test('outside a resume, out-of-order timestamps are delivered, not dropped', () => {
    const resume = new ResumePoint();
    assert.ok(resume.accept('2026-01-01T00:00:05Z'));
    assert.ok(resume.accept('2026-01-01T00:00:04Z'));
  });

  test('lines without a timestamp are always delivered', () => {
    const resume = new ResumePoint();
    resume.startResumedStream();
    assert.ok(resume.accept(''));
  });
});

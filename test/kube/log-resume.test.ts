import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compareInstants, type LogInstant, logInstant, ResumePoint } from '../../src/kube/log-resume.js';

describe('logInstant', () => {
  test('orders by instant, whatever the precision or zone of the text', () => {
    const times = [
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00.000000001Z',
      '2026-01-01T00:00:00.1Z',
      '2026-01-01T01:00:00.2+01:00',
      '2026-01-01T00:00:00.25Z',
      '2026-01-01T00:00:01Z',
    ];
    const instants = times.map((t) => logInstant(t) as LogInstant);
    assert.deepEqual([...instants].sort(compareInstants), instants);
    assert.deepEqual(logInstant('2026-01-01T00:00:00.5Z'), logInstant('2026-01-01T00:00:00.500000000Z'));
    assert.deepEqual(logInstant('2026-01-01T00:00:00.000000001Z'), {
      seconds: Date.parse('2026-01-01T00:00:00Z') / 1000,
      nanos: 1,
    });
  });

  test('rejects what is not RFC 3339', () => {
    for (const bad of [
      '',
      'hello',
      '2026-01-01 00:00:00Z',
      '2026-01-01T00:00:00',
      '2026-01-01T00:00:00.Z',
      '2026-01-01T00:00:00.1x3Z',
      '2026-01-01T00:00:00.1234567890Z',
    ])
      assert.equal(logInstant(bad), undefined, bad);
  });

  test('agrees with Date.parse and the fraction digits, for any time and precision', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('2200-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.stringMatching(/^\d{0,9}$/),
        fc.constantFrom('Z', '+02:00', '-05:30'),
        (date, fraction, zone) => {
          const second = date.toISOString().slice(0, 19);
          const time = `${second}${fraction ? `.${fraction}` : ''}${zone}`;
          const seconds = Date.parse(`${second}${zone}`) / 1000;
          if (seconds < 0) return logInstant(time) === undefined;
          // Twice: the second answer comes from the remembered one.
          for (let i = 0; i < 2; i++)
            assert.deepEqual(logInstant(time), { seconds, nanos: Number(fraction.padEnd(9, '0')) });
          return true;
        },
      ),
    );
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

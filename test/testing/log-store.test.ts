import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { formatRfc3339Nano, LogStore, parseRfc3339Ns } from '../../src/testing/log-store.js';

describe('log timestamps', () => {
  test("are Go's RFC3339Nano: UTC, trailing zeros of the fraction dropped", () => {
    const second = BigInt(Date.parse('2026-11-26T10:00:00Z')) * 1_000_000n;
    assert.equal(formatRfc3339Nano(second), '2026-11-26T10:00:00Z');
    assert.equal(formatRfc3339Nano(second + 500_000_000n), '2026-11-26T10:00:00.5Z');
    assert.equal(formatRfc3339Nano(second + 1n), '2026-11-26T10:00:00.000000001Z');
    assert.equal(formatRfc3339Nano(second + 1_000_000_000n + 120n), '2026-11-26T10:00:01.00000012Z');
  });

  test('read back as the instant they name, for any nanosecond', () => {
    const max = BigInt(Date.parse('2200-01-01T00:00:00Z')) * 1_000_000n;
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max }), (ns) => {
        const text = formatRfc3339Nano(ns);
        assert.match(text, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d*[1-9])?Z$/);
        assert.equal(parseRfc3339Ns(text), ns);
      }),
    );
  });

  test('of one container strictly increase, also when the clock does not', () => {
    const logs = new LogStore({ nowNs: () => 1_000n });
    logs.append('ns', 'pod', 'app', ['a', 'b', 'c']);
    const times = logs.read('ns', 'pod', 'app').map((line) => line.ns);
    assert.deepEqual(times, [1_000n, 1_001n, 1_002n]);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import type { LogRead, ObjectRef } from '../../../../src/cli/render/interactive/inspect.js';
import {
  type LogTarget,
  SELECTION_STREAMS,
  SelectionLogs,
} from '../../../../src/cli/render/interactive/live-logs.js';
import type { LogEvent } from '../../../../src/track/events.js';

const web = { kind: 'Deployment', namespace: 'shop', name: 'web' };
const target = (pod: string, after = ''): LogTarget => ({ resource: web, pod, container: 'app', after });

/**
 * A cluster whose containers each have these lines: a read returns those
 * the request asks for (its `sinceTime` second on, or the last `tailLines`),
 * then ends, as a followed log ends when its container stops.
 */
function cluster(lines: { time: string; text: string }[]) {
  const reads: { pod: string; read: LogRead }[] = [];
  const inspector = {
    get: () => Promise.reject(new Error('unused')),
    events: () => Promise.reject(new Error('unused')),
    logs: (pod: ObjectRef, read: LogRead) => {
      reads.push({ pod: pod.name, read });
      const since = read.sinceTime ? Date.parse(read.sinceTime) : Number.NEGATIVE_INFINITY;
      const chosen = lines
        .filter((line) => Date.parse(line.time) >= since)
        .slice(-(read.tailLines ?? lines.length));
      return (async function* () {
        if (chosen.length > 0) yield chosen;
      })();
    },
  };
  return { inspector, reads };
}

/** Sleeps that resolve when the test says, recording each delay asked for. */
function manualSleep() {
  const delays: number[] = [];
  const waiting: (() => void)[] = [];
  const sleep = (ms: number) => {
    delays.push(ms);
    return new Promise<void>((resolve) => waiting.push(resolve));
  };
  const wake = () => {
    for (const resolve of waiting.splice(0)) resolve();
  };
  return { sleep, delays, wake };
}

/** Lines delivered, and restarts as the marker the view writes. */
const deliveryTo = (delivered: (LogEvent | string)[]) => ({
  lines: (event: LogEvent) => delivered.push(event),
  restarted: (target: LogTarget) => delivered.push(`${target.pod} restarted`),
});

const settle = async () => {
  for (let i = 0; i < 5; i++) await tick();
};

describe('the logs the view reads itself', () => {
  test('a container it has lines of: from the last one on, without repeating it; one it has none of: the last 100', async () => {
    const { inspector, reads } = cluster([
      { time: '2026-12-06T10:00:01.100Z', text: 'one' },
      { time: '2026-12-06T10:00:01.200Z', text: 'two' },
      { time: '2026-12-06T10:00:02.000Z', text: 'three' },
    ]);
    const delivered: (LogEvent | string)[] = [];
    const { sleep } = manualSleep();
    const logs = new SelectionLogs(inspector, deliveryTo(delivered), sleep);
    logs.want([target('web-1', '2026-12-06T10:00:01.100Z'), target('web-2')]);
    await settle();
    assert.deepEqual(
      reads.map(({ pod, read }) => [pod, read.follow, read.sinceTime, read.tailLines]),
      [
        ['web-1', true, '2026-12-06T10:00:01Z', undefined],
        ['web-2', true, undefined, 100],
      ],
    );
    assert.deepEqual(
      delivered.map((event) => (typeof event === 'string' ? event : [event.pod, event.lines])),
      [
        ['web-1', ['two', 'three']],
        ['web-2', ['one', 'two', 'three']],
      ],
    );
    logs.close();
  });

  test('a stopped container is asked again, later each time, from where it was; nothing twice; a new instance marked', async () => {
    const lines = [{ time: '2026-12-06T10:00:01.100Z', text: 'one' }];
    const { inspector, reads } = cluster(lines);
    const delivered: (LogEvent | string)[] = [];
    const { sleep, delays, wake } = manualSleep();
    const logs = new SelectionLogs(inspector, deliveryTo(delivered), sleep);
    logs.want([target('web-1')]);
    for (let i = 0; i < 3; i++) {
      await settle();
      wake();
    }
    await settle();
    assert.equal(reads.length, 4);
    assert.equal(reads[1]?.read.sinceTime, '2026-12-06T10:00:01Z');
    assert.ok((delays[0] ?? 0) >= 500, `${delays}`);
    assert.ok((delays[2] ?? 0) > (delays[0] ?? 0), `${delays}`);
    assert.equal(delivered.length, 1, 'the line once');
    // The container started again and wrote a line: the next read brings it, below a mark.
    lines.push({ time: '2026-12-06T10:00:09.000Z', text: 'two' });
    wake();
    await settle();
    assert.deepEqual(
      delivered.map((event) => (typeof event === 'string' ? event : event.lines)),
      [['one'], 'web-1 restarted', ['two']],
    );
    logs.close();
  });

  test('the selection moves: its streams stop, the new ones start; at most a few at once', async () => {
    const { inspector, reads } = cluster([]);
    const { sleep } = manualSleep();
    const logs = new SelectionLogs(inspector, deliveryTo([]), sleep);
    logs.want([target('web-1')]);
    await settle();
    const first = reads[0]?.read.signal;
    logs.want(Array.from({ length: 20 }, (_, i) => target(`api-${i}`)));
    await settle();
    assert.equal(first?.aborted, true);
    assert.equal(logs.size, SELECTION_STREAMS);
    logs.close();
    assert.equal(logs.size, 0);
    assert.ok(reads.slice(1).every(({ read }) => read.signal?.aborted));
  });
});

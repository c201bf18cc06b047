/**
 * One clock: a track given a manual clock reads the time, keeps its timeout
 * and its no-activity timeout, and waits for its log streams on it alone —
 * minutes pass in no real time, and exactly when they should.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LogLine } from '../../src/kube/logs.js';
import { ManualClock } from '../../src/testing/clock.js';
import type { MultitrackEvent, TrackEvent } from '../../src/track/events.js';
import { LogTails } from '../../src/track/logs.js';
import { multitrack } from '../../src/track/multitrack.js';
import { trackResource } from '../../src/track/resource.js';
import { rest } from '../helpers.js';
import { FakeSource } from './fake-source.js';
import { deployment, T0 } from './model/objects.js';

/** A Deployment of one replica, rolling out and never ready, tracked on a manual clock from T0. */
function stuckTrack(options: { timeout?: number; noActivityTimeout?: number }) {
  const source = new FakeSource();
  source.apply('ADDED', deployment({ replicas: 1, updated: 1, total: 1 }));
  const clock = new ManualClock(T0);
  const events = trackResource(
    source,
    { kind: 'Deployment', name: 'web' },
    { clock, logs: false, ...options },
  );
  return { clock, events };
}

describe('a track on a manual clock', () => {
  test('a ten-minute timeout fails the track at ten minutes of its clock, in no real time', async () => {
    const started = performance.now();
    const { clock, events } = stuckTrack({ timeout: 10 * 60_000, noActivityTimeout: 60 * 60_000 });
    const added = (await events.next()).value as TrackEvent;
    assert.equal(added.type, 'added');
    assert.equal(added.time, new Date(T0).toISOString());
    await clock.advance('9m59s');
    await clock.advance('1s');
    const failed = (await rest(events)).at(-1);
    assert.ok(failed?.type === 'failed', JSON.stringify(failed));
    assert.equal(failed.reason, 'Timeout');
    assert.match(failed.message, /^not ready after 10m: /);
    assert.equal(failed.time, new Date(T0 + 10 * 60_000).toISOString());
    assert.ok(performance.now() - started < 2000, `${performance.now() - started} ms of real time`);
  });

  test('nothing happening for the no-activity timeout fails it then, not a tick earlier', async () => {
    const { clock, events } = stuckTrack({});
    assert.equal((await events.next()).value?.type, 'added');
    await clock.advance(4 * 60_000 - 250);
    const late = events.next();
    let settled = false;
    void late.then(() => {
      settled = true;
    });
    await clock.advance(0);
    assert.equal(settled, false, 'not failed before four minutes');
    await clock.advance(250);
    const failed = (await late).value as TrackEvent;
    assert.ok(failed.type === 'failed' && failed.reason === 'NoActivity', JSON.stringify(failed));
    assert.equal(failed.time, new Date(T0 + 4 * 60_000).toISOString());
  });

  test('a multitrack: its summary counts the time of its clock', async () => {
    const source = new FakeSource();
    source.apply('ADDED', deployment({ replicas: 1, updated: 1, total: 1 }));
    const clock = new ManualClock(T0);
    const events = multitrack(source, [{ kind: 'Deployment', name: 'web' }], { clock, logs: false });
    assert.equal((await events.next()).value?.type, 'added');
    await clock.advance('90s');
    source.apply('MODIFIED', deployment({ replicas: 1, updated: 1, total: 1, ready: 1, available: 1 }));
    const summary = (await rest<MultitrackEvent>(events)).at(-1);
    assert.ok(summary?.type === 'summary', JSON.stringify(summary));
    assert.equal(summary.summary.outcome, 'ready');
    assert.equal(summary.summary.elapsedMs, 90_000);
    assert.equal(summary.time, new Date(T0 + 90_000).toISOString());
  });
});

/** A log source whose streams answer only when told (`answer`), and stay open. */
function quietLogs() {
  const waiting: (() => void)[] = [];
  return {
    answer: () => {
      for (const go of waiting.splice(0)) go();
    },
    async *logBatches(_pod: unknown, options: { signal?: AbortSignal } = {}): AsyncGenerator<LogLine[]> {
      await new Promise<void>((resolve) => waiting.push(resolve));
      yield [{ time: new Date(T0).toISOString(), text: 'listening' }];
      if (!options.signal?.aborted)
        await new Promise((resolve) => options.signal?.addEventListener('abort', resolve, { once: true }));
    },
  };
}

describe('LogTails on a manual clock', () => {
  const tail = { pod: 'web-1', container: 'app', containerId: 'cri://1' };

  test('settle waits for a stream that just started to answer, at most its time of the clock', async () => {
    const clock = new ManualClock(T0);
    const tails = new LogTails(quietLogs(), 'default', async () => {}, { live: true, clock });
    tails.follow(tail);
    let settled = false;
    const settling = tails.settle(500).then(() => {
      settled = true;
    });
    await clock.advance(499);
    assert.equal(settled, false, 'still waiting for its first lines');
    await clock.advance(1);
    await settling;
    tails.stop();
  });

  test('settle is over as soon as the stream answers; drain once every stream has ended', async () => {
    const clock = new ManualClock(T0);
    const logs = quietLogs();
    const shown: string[] = [];
    const tails = new LogTails(
      logs,
      'default',
      async (event) => {
        if (event.type === 'log') shown.push(...event.lines);
      },
      { live: true, clock },
    );
    tails.follow(tail);
    const settling = tails.settle(500);
    logs.answer();
    await settling;
    assert.deepEqual(shown, ['listening']);
    assert.equal(clock.now(), T0, 'no time passed');
    const draining = tails.drain();
    tails.unfollow('web-1');
    await draining;
    tails.stop();
  });
});

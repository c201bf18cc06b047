import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sleep, systemClock, timeoutSignal } from '../../src/kube/clock.js';
import { ManualClock } from '../../src/testing/clock.js';

describe('the clock a track reads', () => {
  test('sleep resolves once the clock has moved that far, not before', async () => {
    const clock = new ManualClock();
    let woke = false;
    const sleeping = sleep(1000, undefined, clock).then(() => {
      woke = true;
    });
    await clock.advance(999);
    assert.equal(woke, false);
    await clock.advance(1);
    await sleeping;
    assert.equal(woke, true);
    assert.equal(clock.pendingTimers, 0);
  });

  test('sleep rejects with the reason of its signal at once, and leaves no timer behind', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const sleeping = sleep(60_000, controller.signal, clock);
    controller.abort(new Error('Ctrl-C'));
    await assert.rejects(sleeping, /Ctrl-C/);
    assert.equal(clock.pendingTimers, 0);
    await assert.rejects(sleep(1, controller.signal, clock), /Ctrl-C/);
  });

  test('timeoutSignal aborts with a TimeoutError at its time; clear cancels it; the outer signal passes its reason', async () => {
    const clock = new ManualClock();
    const timeout = timeoutSignal(clock, 500);
    await clock.advance(499);
    assert.equal(timeout.signal.aborted, false);
    await clock.advance(1);
    assert.equal((timeout.signal.reason as DOMException).name, 'TimeoutError');

    const cleared = timeoutSignal(clock, 500);
    cleared.clear();
    assert.equal(clock.pendingTimers, 0);
    await clock.advance(1000);
    assert.equal(cleared.signal.aborted, false);

    const outer = new AbortController();
    const bounded = timeoutSignal(clock, 500, outer.signal);
    outer.abort(new Error('stopped'));
    assert.match(String(bounded.signal.reason), /stopped/);
    bounded.clear();
  });

  test('the system clock: the time now, and a timer that can be cancelled', async () => {
    const before = Date.now();
    assert.ok(systemClock.now() >= before);
    let fired = false;
    const cancel = systemClock.after(1, () => {
      fired = true;
    });
    cancel();
    await sleep(5);
    assert.equal(fired, false);
  });
});

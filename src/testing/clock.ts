import type { Clock as TrackClock } from '../kube/clock.js';
import { parseDuration } from '../kube/duration.js';

/**
 * The simulated cluster's sense of time: real, or manual so tests can jump
 * over back-offs and deadlines. A track given the same clock (`{ clock:
 * cluster.clock }`) lives on the cluster's time.
 */
export interface Clock extends TrackClock {
  /** Moves simulated time forward (`'5m'`); only a manual clock can. */
  advance(by: number | string): Promise<void>;
}

export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }

  after(ms: number, fn: () => void): () => void {
    // The cluster's timers do not keep a test's process alive.
    const timer = setTimeout(fn, ms);
    timer.unref?.();
    return () => clearTimeout(timer);
  }

  advance(_by: number | string): Promise<void> {
    return Promise.reject(
      new Error("clock.advance() needs a simulated clock: startFakeCluster({ clock: 'manual' })"),
    );
  }
}

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that moves only when told. `advance` runs every timer that falls
 * due, in time order, letting the work each one triggers settle before the
 * next (through `settle`), so a 10-minute progress deadline takes
 * milliseconds and happens exactly when it should.
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #pending: Pending[] = [];
  /** Waits until the work triggered by a timer is done (set by the cluster). */
  settle: () => Promise<void> = async () => {};

  constructor(start: Date | number = Date.UTC(2026, 0, 1)) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  after(ms: number, fn: () => void): () => void {
    const entry = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#pending.push(entry);
    return () => {
      this.#pending = this.#pending.filter((p) => p !== entry);
    };
  }

  /** Moves time forward by a duration (`'5m'`, `'10s'`, or milliseconds), firing due timers in order. */
  async advance(by: number | string): Promise<void> {
    const target = this.#now + (typeof by === 'number' ? by : parseDuration(by));
    await this.settle();
    for (;;) {
      this.#pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#pending[0];
      if (!next || next.at > target) break;
      this.#pending.shift();
      this.#now = Math.max(this.#now, next.at);
      next.fn();
      await this.settle();
    }
    this.#now = target;
    await this.settle();
  }

  /** Timers waiting to fire. */
  get pendingTimers(): number {
    return this.#pending.length;
  }
}

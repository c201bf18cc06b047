/**
 * Time as a track reads it: what time it is, and work to do later. The
 * system clock by default; tests pass a clock that moves only when told
 * (`startFakeCluster({ clock: 'manual' }).clock`), so a ten-minute deadline
 * takes no time and happens exactly when it should.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` after `ms` of this clock's time; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

/** The computer's own clock and timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** Resolves after `ms` of the clock's time; at once, rejecting with its reason, when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal, clock: Clock = systemClock): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = clock.after(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A signal that aborts after a while, and how to cancel its timer once the work it bounds is over. */
export interface TimeoutSignal {
  signal: AbortSignal;
  clear(): void;
}

/**
 * A signal that aborts after `ms` of the clock's time with a `TimeoutError`
 * (as `AbortSignal.timeout`), or when `signal` aborts, with its reason.
 */
export function timeoutSignal(clock: Clock, ms: number, signal?: AbortSignal): TimeoutSignal {
  const controller = new AbortController();
  const clear = clock.after(ms, () =>
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
  );
  return {
    signal: signal ? AbortSignal.any([signal, controller.signal]) : controller.signal,
    clear,
  };
}

/**
 * The reason kubedog's own controllers are aborted with when a part of a
 * track stops: one AbortError, made once. `abort()` without a reason makes
 * a new DOMException, stack and all, each time — a thousand trackers
 * stopping spent 70 ms there.
 */
export const STOPPED: DOMException = new DOMException('stopped', 'AbortError');

/**
 * Makes an async generator cancellable from outside. A native async
 * generator's `return()` waits until a pending `next()` settles — which, for a
 * quiet watch or log stream, may be never. The wrapper's `return()` aborts the
 * generator's signal first, so the pending `next()` settles at once (as done),
 * every connection is closed, and then the generator is finished.
 *
 * An abort of the caller's `signal` is not a cancellation: the pending `next()`
 * rejects with the signal's reason, as everywhere else.
 */
export function cancellable<T>(
  start: (signal: AbortSignal) => AsyncGenerator<T, void, undefined>,
  outer?: AbortSignal,
): AsyncGenerator<T, void, undefined> {
  const controller = new AbortController();
  const forward = () => controller.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  const inner = start(controller.signal);
  let cancelled = false;
  const release = () => outer?.removeEventListener('abort', forward);
  const done: IteratorReturnResult<void> = { done: true, value: undefined };

  const iterator: AsyncGenerator<T, void, undefined> = {
    // Not an async function: a plain promise chain spares every event one more promise.
    next() {
      if (cancelled) return Promise.resolve(done);
      return inner.next().then(
        (result) => {
          if (result.done) release();
          return result;
        },
        (error: unknown) => {
          release();
          if (cancelled) return done;
          throw error;
        },
      );
    },
    async return() {
      if (!cancelled) {
        cancelled = true;
        controller.abort(new Error('iteration ended by the consumer'));
        try {
          await inner.return(undefined);
        } catch {
          // The generator's own abort error: expected here.
        }
        release();
      }
      return done;
    },
    async throw(error: unknown) {
      release();
      return inner.throw(error);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async [Symbol.asyncDispose]() {
      await iterator.return(undefined);
    },
  };
  return iterator;
}

/**
 * Waits for a shared promise, or rejects with the signal's reason as soon as
 * it aborts — without cancelling the work behind the promise, which others
 * may be waiting for.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A signal that aborts when any of the given ones does; undefined when none is given. */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const given = signals.filter((s): s is AbortSignal => s !== undefined);
  return given.length > 0 ? AbortSignal.any(given) : undefined;
}

/** A generator whose first `next()` throws `error` (a generator's errors come from iterating it). */
// biome-ignore lint/correctness/useYield: it only throws, at the first next()
export async function* failing<T>(error: unknown): AsyncGenerator<T, void, undefined> {
  throw error;
}

/**
 * A small async queue between callbacks (producers) and one async generator
 * (the consumer). `push` returns a promise that resolves once the queue has
 * room again, so a producer that awaits it is paused by a slow consumer.
 * Room is counted by weight: an item that carries many things (a batch of
 * log lines) takes as much room as they do.
 */
export class AsyncQueue<T> {
  readonly #items: T[] = [];
  readonly #limit: number;
  readonly #weigh: (item: T) => number;
  #weight = 0;
  #waiting: ((result: IteratorResult<T, undefined>) => void) | undefined;
  #failWaiting: ((error: unknown) => void) | undefined;
  #roomWaiters: (() => void)[] = [];
  #ended = false;
  #error: { error: unknown } | undefined;

  constructor(limit = 1000, weigh: (item: T) => number = () => 1) {
    this.#limit = limit;
    this.#weigh = weigh;
  }

  get size(): number {
    return this.#items.length;
  }

  push(item: T): Promise<void> {
    if (this.#ended) return Promise.resolve();
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = undefined;
      this.#failWaiting = undefined;
      resolve({ done: false, value: item });
      return Promise.resolve();
    }
    this.#items.push(item);
    this.#weight += this.#weigh(item);
    if (this.#weight < this.#limit) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  /** No more items: the consumer gets what is queued, then the end. */
  end(): void {
    this.#ended = true;
    this.#wakeRoom();
    if (this.#waiting && this.#items.length === 0) {
      const resolve = this.#waiting;
      this.#waiting = undefined;
      resolve({ done: true, value: undefined });
    }
  }

  /** Fails the consumer after what is queued. */
  fail(error: unknown): void {
    if (this.#error || this.#ended) return;
    this.#error = { error };
    this.#ended = true;
    this.#wakeRoom();
    if (this.#failWaiting && this.#items.length === 0) {
      const reject = this.#failWaiting;
      this.#waiting = undefined;
      this.#failWaiting = undefined;
      reject(error);
    }
  }

  next(): Promise<IteratorResult<T, undefined>> {
    const item = this.#items.shift();
    if (item !== undefined) {
      this.#weight -= this.#weigh(item);
      if (this.#weight < this.#limit) this.#wakeRoom();
      return Promise.resolve({ done: false, value: item });
    }
    if (this.#error) return Promise.reject(this.#error.error);
    if (this.#ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.#waiting = resolve;
      this.#failWaiting = reject;
    });
  }

  #wakeRoom(): void {
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const wake of waiters) wake();
  }
}

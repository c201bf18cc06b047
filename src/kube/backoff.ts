/** Retry pacing for long-lived streams: exponential backoff with jitter, a cap, and a total deadline. */

export interface RetryOptions {
  /** First delay. @default 200 */
  initialDelayMs?: number;
  /** Largest delay between two attempts. @default 30000 */
  maxDelayMs?: number;
  /**
   * Give up when attempts have failed without a break for this long, so an
   * unreachable server ends in an error instead of a retry storm.
   * @default 120000
   */
  giveUpAfterMs?: number;
}

export class Backoff {
  readonly #initial: number;
  readonly #max: number;
  readonly #giveUpAfter: number;
  readonly #random: () => number;
  readonly #now: () => number;
  #attempt = 0;
  #failingSince: number | undefined;

  constructor(options: RetryOptions = {}, deps: { random?: () => number; now?: () => number } = {}) {
    this.#initial = options.initialDelayMs ?? 200;
    this.#max = options.maxDelayMs ?? 30_000;
    this.#giveUpAfter = options.giveUpAfterMs ?? 120_000;
    this.#random = deps.random ?? Math.random;
    this.#now = deps.now ?? Date.now;
  }

  get attempt(): number {
    return this.#attempt;
  }

  /**
   * The delay before the next attempt after a failure, or `undefined` when the
   * deadline has passed. A server's Retry-After wins over a shorter backoff.
   */
  next(retryAfterSeconds?: number): number | undefined {
    const now = this.#now();
    this.#failingSince ??= now;
    if (now - this.#failingSince > this.#giveUpAfter) return undefined;
    const exponential = Math.min(this.#max, this.#initial * 2 ** this.#attempt);
    this.#attempt++;
    // Jitter in [50%, 100%] spreads reconnects of many clients after a server restart.
    const jittered = exponential * (0.5 + this.#random() / 2);
    const asked = retryAfterSeconds === undefined ? 0 : Math.min(retryAfterSeconds * 1000, 5 * 60_000);
    return Math.round(Math.max(jittered, asked));
  }

  /**
   * The server answered, but with nothing that proves the stream works (a
   * bookmark): the give-up deadline starts again — it is for a server that
   * cannot be reached — while the delays keep growing.
   */
  alive(): void {
    this.#failingSince = undefined;
  }

  /** Called after a success: the next failure starts from the first delay again. */
  reset(): void {
    this.#attempt = 0;
    this.#failingSince = undefined;
  }
}

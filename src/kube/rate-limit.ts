/**
 * Requests per second a client may send, as client-go's token bucket
 * (`rest.Config` QPS and Burst): `burst` requests at once, then `qps` a
 * second on average. Every request counts — a watch's, a log stream's, a
 * list page, a re-list — so no loop, however a server answers, can make
 * kubedog ask more often than this.
 */
export interface RateLimit {
  /** Sustained requests per second. */
  qps: number;
  /** Requests that may go at once before the rate applies. */
  burst: number;
}

/**
 * The default: kubectl's limits (50 a second, bursts of 300). The burst
 * covers what a big track opens at its start — discovery, a list and a
 * watch per kind, a log stream per container: `follow` of 500 containers,
 * 100 Deployments each watched on its own — which a burst of 100 held back
 * for 8 to 19 s (bench/README.md); a storm is still cut to 50 a second.
 */
export const DEFAULT_RATE_LIMIT: RateLimit = { qps: 50, burst: 300 };

/** A token bucket: each request takes a token, or waits until one is due. */
export class TokenBucket {
  readonly #limit: RateLimit;
  readonly #now: () => number;
  #tokens: number;
  #at: number;

  constructor(limit: RateLimit, now: () => number = () => performance.now()) {
    this.#limit = limit;
    this.#now = now;
    this.#tokens = limit.burst;
    this.#at = now();
  }

  /**
   * Takes a token: milliseconds to wait before sending (0: at once). The
   * token is the caller's whether or not it waits (as a reservation): the
   * bucket may go below zero, and later callers wait longer.
   */
  take(): number {
    const now = this.#now();
    const { qps, burst } = this.#limit;
    this.#tokens = Math.min(burst, this.#tokens + ((now - this.#at) / 1000) * qps);
    this.#at = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / qps) * 1000);
  }
}

/**
 * Fault injection for the simulated API server, as data: each fault is a rule
 * that matches requests and is used up after `times` matches. Tests add them
 * through the helpers below; the server consults them for every request.
 */

export type RequestKind = 'watch' | 'log' | 'list' | 'get' | 'write' | 'other';

export interface FaultMatch {
  /** Which kind of request the fault applies to. @default any */
  kind?: RequestKind;
  /** A substring or pattern of the request path (without query). */
  path?: string | RegExp;
}

export type FaultAction =
  /** Answer with an error Status (and Retry-After seconds when given). */
  | { type: 'status'; code: number; reason?: string; message?: string; retryAfterSeconds?: number }
  /** Hold the response headers back for a while. */
  | { type: 'delay'; ms: number }
  /** Cut a streamed body (watch or log) after this many bytes, mid-line if it falls there. */
  | { type: 'cut-after-bytes'; bytes: number }
  /** Cut a watch after this many events. */
  | { type: 'cut-after-events'; events: number }
  /** Write one line that is not JSON into a watch before its events. */
  | { type: 'malformed-line' }
  /** Answer a watch with an ERROR event carrying 410 Gone. */
  | { type: 'gone' };

export interface FaultRule {
  match: FaultMatch;
  action: FaultAction;
  /** How many requests the rule applies to. @default 1 */
  times: number;
}

export class Faults {
  readonly #rules: FaultRule[] = [];
  /** Tokens that no longer authenticate (an expired credential). */
  readonly expiredTokens = new Set<string>();

  add(match: FaultMatch, action: FaultAction, times = 1): this {
    this.#rules.push({ match, action, times });
    return this;
  }

  /** Removes every pending rule and expired token. */
  clear(): void {
    this.#rules.length = 0;
    this.expiredTokens.clear();
  }

  /**
   * The actions that apply to one request; each use counts against its rule.
   * Rules of the same action type queue up: one request takes at most one of
   * each type, in the order they were added.
   */
  take(kind: RequestKind, path: string): FaultAction[] {
    const actions: FaultAction[] = [];
    for (const rule of this.#rules) {
      if (rule.times <= 0 || actions.some((a) => a.type === rule.action.type)) continue;
      if (rule.match.kind !== undefined && rule.match.kind !== kind) continue;
      const p = rule.match.path;
      if (p !== undefined && !(typeof p === 'string' ? path.includes(p) : p.test(path))) continue;
      rule.times--;
      actions.push(rule.action);
    }
    for (let i = this.#rules.length - 1; i >= 0; i--)
      if ((this.#rules[i]?.times ?? 0) <= 0) this.#rules.splice(i, 1);
    return actions;
  }

  get pending(): number {
    return this.#rules.length;
  }

  // -- helpers named after what a test wants to happen ------------------------------

  /** The next `times` watches are cut after `events` events. */
  dropWatchAfter(events: number, times = 1): this {
    return this.add({ kind: 'watch' }, { type: 'cut-after-events', events }, times);
  }

  /** The next watch gets `410 Gone` (an ERROR event), as after etcd compaction. */
  gone410(times = 1): this {
    return this.add({ kind: 'watch' }, { type: 'gone' }, times);
  }

  /** The next `times` requests (of `kind`) are throttled with this status and Retry-After. */
  throttle(code = 429, retryAfterSeconds?: number, times = 1, kind?: RequestKind): this {
    return this.add(
      kind ? { kind } : {},
      { type: 'status', code, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) },
      times,
    );
  }

  /** A bearer token stops being accepted (401), as when it expires. */
  expireToken(token: string): this {
    this.expiredTokens.add(token);
    return this;
  }

  /** The next watch starts with a line that is not JSON. */
  malformedLine(times = 1): this {
    return this.add({ kind: 'watch' }, { type: 'malformed-line' }, times);
  }

  /** The next `times` requests (of `kind`) wait `ms` before answering. */
  slow(ms: number, times = 1, kind?: RequestKind): this {
    return this.add(kind ? { kind } : {}, { type: 'delay', ms }, times);
  }

  /** The next `times` log streams are cut after `bytes` bytes. */
  cutLogStream(bytes: number, times = 1): this {
    return this.add({ kind: 'log' }, { type: 'cut-after-bytes', bytes }, times);
  }
}

import type { FailureClass, Problem, Verdict } from './types.js';
import { failed } from './verdict.js';

/** What the problems of a resource's pods come to. */
export interface PodsJudgement {
  /** The failure they add up to, if they do. */
  failure: Verdict | undefined;
  /** The most serious one, to show while the resource is still progressing. */
  worst: Problem | undefined;
}

/** Problem classes, most serious first: the worst problem is the first of the first class that has one. */
const RANKED: readonly FailureClass[] = [
  'fatal-now',
  'fatal-after-grace',
  'fatal-after-allowance',
  'transient',
];

interface Expiry {
  source: string;
  /** When the grace window runs out (ms since the epoch). */
  at: number;
  problem: Problem;
}

interface Allowance {
  /** Failures this source accounts for. */
  total: number;
  /** Its problem with the most occurrences. */
  worst: Problem;
}

/**
 * The problems of a resource's pods (and of its controller's Warning
 * Events), kept per source — a pod, an Event — and judged without going
 * over them all: a resource with 10,000 pods costs the same to judge as one
 * with 3. The failure rules are those of kubedog:
 * - any `fatal-now` problem fails the resource;
 * - a `fatal-after-grace` problem fails it once it has lasted longer than
 *   its grace window (the one that ran out first is reported);
 * - `fatal-after-allowance` problems fail it once their occurrences add up
 *   to more than allowed (the problem with the most is reported).
 *
 * Pure: `now` is passed in.
 */
/**
 * Whose problems a tally keeps, one entry each: a pod's (by name), a
 * Warning Event's about the controller itself (by uid, else name), or one
 * problem of those given at once ({@link ProblemTally.of}).
 */
export type ProblemSource = `pod/${string}` | `event/${string}` | `given/${number}`;

/** The source of a pod's problems. */
export const podSource = (name: string): ProblemSource => `pod/${name}`;

/** The source of a Warning Event's problem (its uid, else its name or index). */
export const eventSource = (id: string | number): ProblemSource => `event/${id}`;

export class ProblemTally {
  readonly #sources = new Map<string, readonly Problem[]>();
  /** Per class, each source's first problem of that class, in the order the sources came. */
  readonly #firstOfClass = new Map<FailureClass, Map<string, Problem>>(RANKED.map((c) => [c, new Map()]));
  readonly #expiries = new Map<string, Expiry>();
  #earliest: Expiry | undefined;
  #earliestStale = false;
  readonly #allowances = new Map<string, Allowance>();
  #allowanceTotal = 0;
  #allowanceWorst: { source: string; problem: Problem } | undefined;
  #allowanceWorstStale = false;
  /** Failures counted before tracking started ({@link startTracking}). */
  #before = 0;

  /** A tally of these problems, each its own source (for callers that have them all at hand). */
  static of(problems: readonly Problem[]): ProblemTally {
    const tally = new ProblemTally();
    for (const [index, problem] of problems.entries()) tally.set(`given/${index}`, [problem]);
    return tally;
  }

  /** Sources with at least one problem. */
  get size(): number {
    return this.#sources.size;
  }

  /** The problems of one source now (none: the source is dropped). */
  set(source: ProblemSource, problems: readonly Problem[]): void {
    if (problems.length === 0) {
      this.delete(source);
      return;
    }
    this.#sources.set(source, problems);
    this.#setFirstOfClass(source, problems);
    this.#setExpiry(source, problems);
    this.#setAllowance(source, problems);
  }

  delete(source: ProblemSource): void {
    if (!this.#sources.delete(source)) return;
    for (const byClass of this.#firstOfClass.values()) byClass.delete(source);
    this.#setExpiry(source, []);
    this.#setAllowance(source, []);
  }

  /**
   * Tracking starts now: the failures counted so far happened before it (a
   * track started late), and failure messages say how many.
   */
  startTracking(): void {
    this.#before = this.#allowanceTotal;
  }

  /** Whether the problems add up to a failure now, with `allowed` failures tolerated. */
  judge(allowed: number, now: Date): PodsJudgement {
    return { failure: this.#failure(allowed, now.getTime()), worst: this.worst() };
  }

  /**
   * When the first grace window ends (epoch milliseconds), or undefined:
   * until then, time alone does not change what {@link judge} says.
   */
  nextExpiry(): number | undefined {
    return this.#earliestExpiry()?.at;
  }

  /** A problem with this reason (the failure's cause), else the most serious one. */
  causeOf(reason: string): Problem | undefined {
    for (const problems of this.#sources.values()) {
      const found = problems.find((p) => p.reason === reason);
      if (found) return found;
    }
    return this.worst();
  }

  /** The most serious problem. */
  worst(): Problem | undefined {
    for (const cls of RANKED) {
      const first = this.#firstOfClass.get(cls)?.values().next();
      if (first && !first.done) return first.value;
    }
    return undefined;
  }

  #failure(allowed: number, now: number): Verdict | undefined {
    const fatal = this.#firstOfClass.get('fatal-now')?.values().next();
    if (fatal && !fatal.done)
      return failed(fatal.value.reason, fatal.value.message, { hint: fatal.value.hint });
    const expired = this.#earliestExpiry();
    if (expired && now > expired.at) {
      const since = expired.at - (expired.problem.graceMs ?? 0);
      const seconds = Math.round((now - since) / 1000);
      return failed(expired.problem.reason, `${expired.problem.message} (for ${seconds}s)`, {
        hint: expired.problem.hint,
      });
    }
    const worst = this.#allowanceWorstProblem();
    if (worst && this.#allowanceTotal > allowed) {
      return failed(worst.reason, `${worst.message} (${this.#countedFailures()}, ${allowed} allowed)`, {
        hint: worst.hint,
      });
    }
    return undefined;
  }

  /** "8 failures", and how many of them came before tracking started. */
  #countedFailures(): string {
    const total = this.#allowanceTotal;
    const before = Math.min(this.#before, total);
    if (before === 0) return `${total} failures`;
    return before === total
      ? `${total} failures before tracking started`
      : `${total} failures, ${before} before tracking started`;
  }

  #setFirstOfClass(source: string, problems: readonly Problem[]): void {
    for (const [cls, byClass] of this.#firstOfClass) {
      const first = problems.find((p) => p.class === cls);
      // Map.set keeps a source's place: its problem stays where it first came.
      if (first) byClass.set(source, first);
      else byClass.delete(source);
    }
  }

  #setExpiry(source: string, problems: readonly Problem[]): void {
    let expiry: Expiry | undefined;
    for (const problem of problems) {
      if (problem.class !== 'fatal-after-grace' || problem.since === undefined) continue;
      const at = Date.parse(problem.since) + (problem.graceMs ?? 0);
      if (!Number.isNaN(at) && (!expiry || at < expiry.at)) expiry = { source, at, problem };
    }
    const before = this.#expiries.get(source);
    if (expiry) this.#expiries.set(source, expiry);
    else this.#expiries.delete(source);
    if (expiry && this.#earliest && !this.#earliestStale && expiry.at < this.#earliest.at)
      this.#earliest = expiry;
    // The earliest one moved later or went: found again when asked.
    else if (before && this.#earliest?.source === source) this.#earliestStale = true;
    else if (expiry && !this.#earliest) this.#earliestStale = true;
  }

  #earliestExpiry(): Expiry | undefined {
    if (this.#earliestStale) {
      this.#earliest = undefined;
      for (const expiry of this.#expiries.values())
        if (!this.#earliest || expiry.at < this.#earliest.at) this.#earliest = expiry;
      this.#earliestStale = false;
    }
    return this.#earliest;
  }

  #setAllowance(source: string, problems: readonly Problem[]): void {
    const counted = problems.filter((p) => p.class === 'fatal-after-allowance');
    const before = this.#allowances.get(source);
    this.#allowanceTotal -= before?.total ?? 0;
    if (counted.length === 0) {
      this.#allowances.delete(source);
      if (this.#allowanceWorst?.source === source) this.#allowanceWorstStale = true;
      return;
    }
    const worst = counted.reduce((a, b) => (b.occurrences > a.occurrences ? b : a));
    const total = counted.reduce((n, p) => n + p.occurrences, 0);
    this.#allowances.set(source, { total, worst });
    this.#allowanceTotal += total;
    const current = this.#allowanceWorst;
    if (!current && !this.#allowanceWorstStale) this.#allowanceWorst = { source, problem: worst };
    else if (current?.source === source && worst.occurrences < current.problem.occurrences)
      this.#allowanceWorstStale = true;
    else if (current?.source === source || (current && worst.occurrences > current.problem.occurrences))
      this.#allowanceWorst = { source, problem: worst };
  }

  #allowanceWorstProblem(): Problem | undefined {
    if (this.#allowanceWorstStale) {
      let found: { source: string; problem: Problem } | undefined;
      for (const [source, { worst }] of this.#allowances)
        if (!found || worst.occurrences > found.problem.occurrences) found = { source, problem: worst };
      this.#allowanceWorst = found;
      this.#allowanceWorstStale = false;
    }
    return this.#allowanceWorst?.problem;
  }
}

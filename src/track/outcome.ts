import { FailureReason, Reason } from '../status/reasons.js';
import type { Verdict } from '../status/types.js';
import type { MultitrackSummary, Outcome, SummaryEntry, TrackEvent } from './events.js';
import type { Until } from './model/model.js';
import { describeResource, type ResourceRef } from './resource-ref.js';

/**
 * What a failure of a resource does to the whole track (werf's fail modes):
 * - `fail-whole-deploy`: it fails the track at once;
 * - `ignore`: it is reported, and the track goes on without it;
 * - `hope-until-end`: it may still recover; it counts — failing the track —
 *   only if it is still failing once every other resource waited for has
 *   ended.
 */
export type FailMode = 'fail-whole-deploy' | 'ignore' | 'hope-until-end';

/** One resource of a multitrack, as the outcome sees it. */
export interface OutcomeResource {
  resource: ResourceRef;
  failMode: FailMode;
  /** Waited for: the track ends only once it is ready or failed (`non-blocking`: not). */
  blocking: boolean;
}

/** `ready`: it reached what the track waits for (ready, deleted, created). */
type Status = 'pending' | 'hoping' | 'ready' | 'failed';

interface State extends OutcomeResource {
  status: Status;
  /** The last verdict's reason and message, and its state. */
  verdict: Pick<Verdict, 'state' | 'reason' | 'message'> | undefined;
  failure: { reason: string; message: string } | undefined;
  /** Its tracker has ended: what it is now, it stays. */
  over: boolean;
  /** It was deleted (following, the track ends when every resource was). */
  deleted: boolean;
  endedAt: number | undefined;
}

/**
 * Decides how a multitrack comes out, without I/O: told each resource's
 * events and when its tracker ends, it says when the whole track is over and
 * sums it up. In a rollout, the track ends at the first failure that counts,
 * or once no resource waited for is pending; following (`follow`), failures
 * end nothing and the track ends when every tracker has. Waiting for
 * deletions or creations, a resource is done once it is gone, or exists.
 */
export class MultitrackOutcome {
  readonly #states: State[];
  readonly #until: Until;
  readonly #follow: boolean;
  readonly #startedAt: number;
  #fatal = false;
  #over = false;
  /**
   * Kept as statuses change, so that each event costs the same however
   * many resources there are: blocking resources still pending, those not
   * ended yet (pending or hoping), those hoping, and trackers over.
   */
  #pendingBlocking = 0;
  #unsettledBlocking = 0;
  readonly #hoping = new Set<State>();
  #trackersOver = 0;
  /** The reads refused that the trackers went on without, in the order they were said. */
  readonly #degraded: MultitrackSummary['degraded'] = [];

  constructor(resources: OutcomeResource[], options: { until: Until; startedAt: number }) {
    this.#states = resources.map((r) => ({
      ...r,
      status: 'pending',
      verdict: undefined,
      failure: undefined,
      over: false,
      deleted: false,
      endedAt: undefined,
    }));
    this.#pendingBlocking = this.#unsettledBlocking = this.#states.filter((s) => s.blocking).length;
    this.#until = options.until;
    // What there is now (`once`) is shown as following shows it.
    this.#follow = options.until === 'never' || options.until === 'once';
    this.#startedAt = options.startedAt;
  }

  /** The track is over. */
  get over(): boolean {
    return this.#over || this.#settled();
  }

  /** Takes an event of resource `index`; returns whether the track is over now. */
  observe(index: number, event: TrackEvent, now: number): boolean {
    const state = this.#states[index];
    if (!state || this.#over) return this.over;
    switch (event.type) {
      case 'added':
      case 'status':
        state.verdict = event.verdict;
        // Following, a resource is what its verdict says now.
        if (this.#follow)
          this.#setStatus(state, event.verdict.state === 'progressing' ? 'pending' : event.verdict.state);
        if (this.#until === 'exists')
          this.#reached(state, Reason.Exists, `${describeResource(state.resource)} exists`, now);
        break;
      case 'ready':
        // Ready without a ready verdict (a Helm hook deleted once it succeeded): the event says why.
        if (state.verdict?.state !== 'ready')
          state.verdict = { state: 'ready', reason: Reason.Ready, message: event.message };
        this.#end(state, 'ready', now);
        break;
      case 'failed':
        state.failure = { reason: event.reason, message: event.message };
        this.#failed(state, event.reason, now);
        break;
      case 'deleted':
        state.deleted = true;
        if (this.#until === 'deleted') this.#reached(state, FailureReason.Deleted, event.message, now);
        break;
      case 'notice':
        if (event.code === 'denied') this.#degraded.push({ resource: state.resource, ...event.denied });
        break;
    }
    this.#resolveHopes(now);
    return this.over;
  }

  /** The tracker of resource `index` has ended; returns whether the track is over now. */
  ended(index: number, now: number): boolean {
    const state = this.#states[index];
    if (state && !state.over) {
      state.over = true;
      this.#trackersOver++;
      state.endedAt ??= now;
    }
    this.#resolveHopes(now);
    return this.over;
  }

  #failed(state: State, reason: string, now: number): void {
    // Following, failures end nothing; a timeout is everyone's at once, and ends the track once
    // every tracker has said so; fail mode ignore: it does not count.
    const counts = !this.#follow && reason !== FailureReason.Timeout && state.failMode !== 'ignore';
    if (counts && state.failMode === 'hope-until-end' && this.#othersPending(state)) {
      this.#setStatus(state, 'hoping');
      return;
    }
    this.#end(state, 'failed', now);
    if (!counts) return;
    this.#fatal = true;
    this.#over = true;
  }

  /**
   * Hoping resources once no other resource waited for is pending: one
   * still failing counts now; one that recovered is waited for like any.
   */
  #resolveHopes(now: number): void {
    if (this.#follow || this.#over || this.#hoping.size === 0) return;
    for (const state of [...this.#hoping]) {
      if (this.#othersPending(state)) continue;
      if (state.verdict?.state === 'failed' || state.over) {
        this.#end(state, 'failed', now);
        this.#fatal = true;
        this.#over = true;
        return;
      }
      this.#setStatus(state, 'pending');
    }
  }

  #othersPending(state: State): boolean {
    const itself = state.blocking && state.status === 'pending' ? 1 : 0;
    return this.#pendingBlocking - itself > 0;
  }

  /** The one place a status changes: the counts follow it. */
  #setStatus(state: State, status: Status): void {
    const unsettled = (s: Status) => s === 'pending' || s === 'hoping';
    if (state.blocking) {
      this.#pendingBlocking += (status === 'pending' ? 1 : 0) - (state.status === 'pending' ? 1 : 0);
      this.#unsettledBlocking += (unsettled(status) ? 1 : 0) - (unsettled(state.status) ? 1 : 0);
    }
    if (status === 'hoping') this.#hoping.add(state);
    else this.#hoping.delete(state);
    state.status = status;
  }

  /** It is what the track waits for, other than ready (deleted, or exists): its verdict says so. */
  #reached(state: State, reason: string, message: string, now: number): void {
    state.verdict = { state: 'ready', reason, message };
    this.#end(state, 'ready', now);
  }

  #end(state: State, status: 'ready' | 'failed', now: number): void {
    this.#setStatus(state, status);
    state.endedAt = now;
  }

  /** Nothing is left to wait for. */
  #settled(): boolean {
    if (this.#follow) return this.#trackersOver === this.#states.length;
    return this.#unsettledBlocking === 0;
  }

  /** How every resource ended, and how the track came out (the timeline is another's: see TimelineBuilder). */
  summary(now: number): Omit<MultitrackSummary, 'timeline'> {
    const entry = (s: State, reason: string, message: string): SummaryEntry => ({
      resource: s.resource,
      reason,
      message,
      elapsedMs: (s.endedAt ?? now) - this.#startedAt,
    });
    const unknown = (s: State) => ({
      reason: Reason.NotFound,
      message: `${describeResource(s.resource)} does not exist`,
    });
    const summary: Omit<MultitrackSummary, 'timeline'> = {
      outcome: this.#outcome(),
      elapsedMs: now - this.#startedAt,
      ready: [],
      failed: [],
      pending: [],
      degraded: [...this.#degraded],
    };
    for (const s of this.#states) {
      const verdict = s.verdict ?? unknown(s);
      if (s.status === 'ready') summary.ready.push(entry(s, verdict.reason, verdict.message));
      else if (s.status === 'failed' || (s.status === 'hoping' && s.failure))
        summary.failed.push({
          ...entry(s, s.failure?.reason ?? verdict.reason, s.failure?.message ?? verdict.message),
          ignored: s.failMode === 'ignore',
        });
      else summary.pending.push(entry(s, verdict.reason, verdict.message));
    }
    return summary;
  }

  #outcome(): Outcome {
    if (this.#fatal) return 'failed';
    if (this.#states.some((s) => s.failure?.reason === FailureReason.Timeout && s.status === 'failed'))
      return 'timeout';
    if (this.#until === 'deleted' || this.#until === 'exists') return this.#until;
    // Following, the track ends when every resource was deleted, or at the timeout with them ready.
    return this.#follow && this.#states.every((s) => s.deleted) ? 'deleted' : 'ready';
  }
}

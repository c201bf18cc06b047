import type {
  FailedEvent,
  FailureReport,
  MultitrackEvent,
  MultitrackSummary,
  Outcome,
  ResourceRef,
  ResourceTimeline,
  SummaryEntry,
} from '../track/events.js';
import { resourceKey } from '../track/resource-ref.js';

/** How one tracked resource ended, for a CI report. */
export interface ResourceResult {
  /** Which resource. */
  resource: ResourceRef;
  /**
   * `ready` (or gone, or there, when the track waited for that); `failed`;
   * `ignored` (failed, and its fail mode made it not count); `pending`
   * (not done when the track ended).
   */
  result: 'ready' | 'failed' | 'ignored' | 'pending';
  /** Its last verdict's reason (its failure's, when it failed). */
  reason: string;
  /** Its last verdict's message (its failure's, when it failed). */
  message: string;
  /** From the start of the track to the resource's end. */
  elapsedMs: number;
  /** What to check or do, when it failed. */
  hint?: string;
  /** Its failure's report (Warning events, last log lines, findings), when it failed. */
  report?: FailureReport;
}

/** A whole run, as CI reports show it: the outcome, and every resource's result in the order tracked. */
export interface RunReport {
  /** How the whole track came out. */
  outcome: Outcome;
  /** When the run began (ISO 8601) and how long it took. */
  startedAt: string;
  /** From the start of the track to its end. */
  elapsedMs: number;
  /** Every resource, failures first. */
  resources: ResourceResult[];
  /** The rollout timeline: each resource's pods' steps, and its end. */
  timeline: ResourceTimeline[];
}

/**
 * Collects what a CI report needs from a multitrack's events: give it every
 * event (`observe`); after the `summary`, `report()` has every resource's
 * result (failures first) with its failure's hint and report. Pure: no
 * I/O, no clock.
 * @example
 * import { multitrack } from 'kubedog';
 * import { markdownReport, RunReporter } from 'kubedog/report';
 *
 * const reporter = new RunReporter();
 * for await (const event of multitrack(client, [{ kind: 'Deployment', name: 'web' }], { timeout: 60_000 }))
 *   reporter.observe(event);
 * const report = reporter.report();
 * console.log(report?.outcome, markdownReport(report!).split('\n')[0]);
 * // prints: ready ## ✓ kubedog: deploy/web ready
 */
export class RunReporter {
  readonly #failures = new Map<string, FailedEvent>();
  #startedAt: string | undefined;
  #summary: MultitrackSummary | undefined;

  /** Takes one event of the multitrack (every one, up to its `summary`). */
  observe(event: MultitrackEvent): void {
    this.#startedAt ??= event.time;
    if (event.type === 'failed') this.#failures.set(resourceKey(event.resource), event);
    if (event.type === 'summary') this.#summary = event.summary;
  }

  /** The run's report; undefined before the `summary` (a run interrupted has none). */
  report(): RunReport | undefined {
    const summary = this.#summary;
    if (!summary) return undefined;
    const result = (entry: SummaryEntry, result: ResourceResult['result']): ResourceResult => {
      const failure = this.#failures.get(resourceKey(entry.resource));
      const failed = result === 'failed' || result === 'ignored';
      return {
        resource: entry.resource,
        result,
        reason: entry.reason,
        message: entry.message,
        elapsedMs: entry.elapsedMs,
        ...(failed && failure?.hint ? { hint: failure.hint } : {}),
        ...(failed && failure ? { report: failure.report } : {}),
      };
    };
    return {
      outcome: summary.outcome,
      startedAt: this.#startedAt ?? new Date(0).toISOString(),
      elapsedMs: summary.elapsedMs,
      resources: [
        ...summary.failed.map((e) => result(e, e.ignored ? 'ignored' : 'failed')),
        ...summary.pending.map((e) => result(e, 'pending')),
        ...summary.ready.map((e) => result(e, 'ready')),
      ],
      timeline: summary.timeline,
    };
  }
}

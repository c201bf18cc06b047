import { setMaxListeners } from 'node:events';
import { cancellable } from '../kube/cancellable.js';
import { type Clock, systemClock } from '../kube/clock.js';
import type { ResourceType } from '../kube/resources.js';
import { checked, checkSource, checkSpecs, checkTrackOptions, failing } from './arguments.js';
import { ConnectionEpisodes, GATHER_MS } from './connection-episodes.js';
import { groupOfSpelling, kindOfSpelling, typeOrLater } from './custom-kinds.js';
import {
  type DriverOptions,
  driveTrack,
  logsByDefault,
  type TrackOptions,
  type TrackTarget,
  untilWord,
} from './driver.js';
import { eventWeight, type MultitrackEvent, type TrackEvent } from './events.js';
import type { LogOptions } from './logs.js';
import { type FailMode, MultitrackOutcome } from './outcome.js';
import { AsyncQueue } from './queue.js';
import { type ResourceRef, resourceRef } from './resource-ref.js';
import type { TrackSource } from './sources.js';
import { TimelineBuilder } from './timeline.js';

/** One resource of a multitrack, and how its track counts. */
export interface MultitrackSpec extends TrackTarget {
  /** What a failure of this resource does to the whole track. @default 'fail-whole-deploy' */
  failMode?: FailMode;
  /** `non-blocking`: tracked and shown, but not waited for. @default 'wait-until-ready' */
  trackTerminationMode?: 'wait-until-ready' | 'non-blocking';
  /** Failures tolerated per replica before it fails. @default the multitrack's, else 1 */
  failuresAllowedPerReplica?: number;
  /** Failures tolerated by the whole resource (the Go kubedog's `AllowFailuresCount`), instead of per replica. */
  failuresAllowed?: number;
  /** Fail when nothing happens for this many milliseconds. @default the multitrack's, else 4 minutes */
  noActivityTimeout?: number;
  /** Its logs: `false` for none, or options that refine the multitrack's. */
  logs?: boolean | LogOptions;
  /** Its Kubernetes Events shown (werf's `show-service-messages`). @default true */
  events?: boolean;
  /** Per container, how long its readiness probe may fail before it counts, in milliseconds. */
  readinessProbeGraceMs?: Record<string, number>;
  /** What was wrong with the annotations it was read from: `multitrack` shows each as a notice. */
  warnings?: string[];
}

/**
 * Tracks many resources at once and merges their streams, ending with a
 * `summary` event that says how each ended and how the whole track came out
 * (see {@link MultitrackSummary}).
 *
 * In a rollout (`until: 'ready'`, the default) the track ends once every
 * resource waited for is ready or failed, or at the first failure that
 * counts (fail modes: {@link FailMode}). A `timeout` is an outcome, not an
 * error: every resource not ready by then ends with `failed`, reason
 * `Timeout`, saying what it was still waiting for, and the summary's outcome
 * is `timeout`. Following (`until: 'never'`), failures end nothing: the track
 * ends when every resource was deleted, or at the timeout. Waiting for
 * deletion (`until: 'deleted'`) or creation (`'exists'`), the track ends
 * once every resource is gone (or exists). `break` closes
 * every stream; an abort of `signal` also does, and the iteration throws
 * the signal's reason.
 *
 * `options` are a tracker's ({@link TrackOptions}); a spec's own
 * `failuresAllowedPerReplica`, `noActivityTimeout` and `logs` win over them.
 *
 * @throws {InvalidInputError} a spec whose kind the server does not serve
 * @example
 * import { type MultitrackSpec, multitrack } from 'kubedog';
 *
 * const specs: MultitrackSpec[] = [
 *   { kind: 'Deployment', name: 'web' },
 *   { kind: 'Job', name: 'migrate', failMode: 'hope-until-end' },
 * ];
 * for await (const event of multitrack(client, specs, { timeout: 300_000 })) {
 *   if (event.type === 'failed') console.error(`${event.resource.name}: ${event.message}`);
 *   if (event.type === 'summary') console.log(`outcome: ${event.summary.outcome}`);
 * }
 * // prints: outcome: ready
 */
export function multitrack(
  source: TrackSource,
  specs: MultitrackSpec[],
  options: TrackOptions = {},
): AsyncGenerator<MultitrackEvent, void, undefined> {
  const wrong = checked(() => {
    checkSource(source);
    checkSpecs(specs);
    checkTrackOptions(options);
  });
  if (wrong) return failing(wrong);
  return cancellable((signal) => run(source, specs, { ...options, signal }), options.signal);
}

async function* run(
  source: TrackSource,
  specs: MultitrackSpec[],
  options: TrackOptions & { signal: AbortSignal },
): AsyncGenerator<MultitrackEvent, void, undefined> {
  const { signal } = options;
  signal.throwIfAborted();
  const startedAt = (options.clock ?? systemClock).now();
  const types = await Promise.all(specs.map((spec) => typeOrLater(source, spec, signal)));
  const resources = specs.map((spec, i) =>
    resourceRef(
      types[i] ?? provisionalType(spec.kind as string),
      spec.namespace ?? source.namespace,
      spec.name,
      spec.helm?.hook?.phase,
    ),
  );
  const outcome = new MultitrackOutcome(
    specs.map((spec, i) => ({
      resource: resources[i] as ResourceRef,
      failMode: spec.failMode ?? 'fail-whole-deploy',
      blocking: (spec.trackTerminationMode ?? 'wait-until-ready') === 'wait-until-ready',
    })),
    { until: untilWord(options.until), startedAt },
  );
  // Aborted while the kinds were being looked up (answered from a cache, which does not look at the signal).
  signal.throwIfAborted();
  const merged = new Merge(outcome, new TimelineBuilder(startedAt), options);
  const deadline = options.timeout === undefined ? undefined : startedAt + options.timeout;
  const inNamespace = countBy(resources, (resource) => resource.namespace);
  for (const [index, spec] of specs.entries()) {
    const resource = resources[index] as ResourceRef;
    for (const message of spec.warnings ?? []) merged.notice(resource, message);
    const target = { ...spec, kind: types[index] ?? spec.kind };
    const driverOptions = {
      ...merged.optionsFor(spec, deadline),
      resourcesInNamespace: inNamespace.get(resource.namespace) ?? 1,
    };
    void merged.run(index, spec, driveTrack(source, target, driverOptions));
  }
  merged.endIfOver();
  yield* merged.events();
}

/** A kind not served yet, as the track names it until it is: namespaced, as most custom kinds are. */
const provisionalType = (kind: string): ResourceType => ({
  kind: kindOfSpelling(kind),
  group: groupOfSpelling(kind),
  version: '',
  plural: '',
  namespaced: true,
});

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** The trackers of one multitrack, their events merged into one queue, and the outcome kept. */
class Merge {
  readonly #outcome: MultitrackOutcome;
  readonly #timeline: TimelineBuilder;
  readonly #options: TrackOptions & { signal: AbortSignal };
  readonly #queue = new AsyncQueue<MultitrackEvent>(1000, eventWeight);
  /** Stops every tracker. */
  readonly #controller = new AbortController();
  /** The streams of every tracker, as one connection to the API server. */
  readonly #connection = new ConnectionEpisodes();
  #cancelConnectionTimer: (() => void) | undefined;
  readonly #clock: Clock;
  readonly #onAbort: () => void;

  constructor(
    outcome: MultitrackOutcome,
    timeline: TimelineBuilder,
    options: TrackOptions & { signal: AbortSignal },
  ) {
    this.#outcome = outcome;
    this.#timeline = timeline;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    // Every tracker listens for its abort, one listener each: no leak however many there are.
    setMaxListeners(0, this.#controller.signal);
    // The trackers end quietly when aborted; the merged stream ends with the abort's reason.
    this.#onAbort = () => {
      this.#controller.abort(options.signal.reason);
      this.#queue.fail(options.signal.reason);
    };
    options.signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** What one tracker is run with: the multitrack's options, refined by its spec. */
  optionsFor(spec: MultitrackSpec, deadline: number | undefined): DriverOptions {
    const options = this.#options;
    return {
      ...options,
      signal: this.#controller.signal,
      until: options.until ?? 'ready',
      // hope-until-end: a failure may still turn into ready; the tracker goes on.
      failureEnds: spec.failMode !== 'hope-until-end',
      ...(deadline !== undefined ? { deadline } : {}),
      logs: mergeLogs(options.logs ?? logsByDefault(untilWord(options.until)), spec.logs),
      ...(spec.failuresAllowedPerReplica !== undefined
        ? { failuresAllowedPerReplica: spec.failuresAllowedPerReplica }
        : {}),
      ...(spec.failuresAllowed !== undefined ? { failuresAllowed: spec.failuresAllowed } : {}),
      ...(spec.noActivityTimeout !== undefined ? { noActivityTimeout: spec.noActivityTimeout } : {}),
      ...(spec.readinessProbeGraceMs !== undefined
        ? { readinessProbeGraceMs: spec.readinessProbeGraceMs }
        : {}),
    };
  }

  async run(index: number, spec: MultitrackSpec, track: AsyncGenerator<TrackEvent>): Promise<void> {
    try {
      for await (const event of track) {
        if (event.type === 'event' && spec.events === false) continue;
        // A stream's trouble is the connection's: said once for every stream that broke with it.
        if (event.type === 'notice' && this.#connection.take(event, this.#clock.now())) {
          this.#sayConnection();
          continue;
        }
        await this.#queue.push(event);
        this.#timeline.observe(event);
        if (this.#outcome.observe(index, event, this.#clock.now())) return this.#end();
      }
      if (this.#outcome.ended(index, this.#clock.now())) this.#end();
    } catch (error) {
      if (this.#controller.signal.aborted) return;
      this.#queue.fail(error);
      this.#controller.abort();
    }
  }

  /** Says something about a resource before its track starts (what was wrong with its annotations). */
  notice(resource: ResourceRef, message: string): void {
    const time = new Date(this.#clock.now()).toISOString();
    void this.#queue.push({ type: 'notice', code: 'annotation', time, resource, message });
  }

  /** Ends at once when there is nothing to wait for (no specs). */
  endIfOver(): void {
    if (this.#outcome.over) this.#end();
  }

  async *events(): AsyncGenerator<MultitrackEvent, void, undefined> {
    try {
      for (;;) {
        const next = await this.#queue.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      this.#controller.abort();
      this.#options.signal.removeEventListener('abort', this.#onAbort);
    }
  }

  /** What the connection episode has to say now; a timer for what it will say once its streams are gathered. */
  #sayConnection(): void {
    this.#cancelConnectionTimer?.();
    const now = this.#clock.now();
    for (const notice of this.#connection.due(now)) void this.#queue.push(notice);
    const at = this.#connection.dueAt;
    if (at !== undefined)
      this.#cancelConnectionTimer = this.#clock.after(Math.max(0, at - now), () => this.#sayConnection());
  }

  #end(): void {
    if (this.#controller.signal.aborted) return;
    this.#cancelConnectionTimer?.();
    const now = this.#clock.now();
    // Streams that broke a moment ago, not gathered yet: said before the end.
    for (const notice of this.#connection.due(now + GATHER_MS)) void this.#queue.push(notice);
    void this.#queue.push({
      type: 'summary',
      time: new Date(now).toISOString(),
      summary: { ...this.#outcome.summary(now), timeline: this.#timeline.timeline() },
    });
    this.#queue.end();
    this.#controller.abort();
  }
}

/** A spec's log settings refine the multitrack's; `false` on either side turns logs off. */
function mergeLogs(
  common: boolean | LogOptions | undefined,
  own: boolean | LogOptions | undefined,
): boolean | LogOptions {
  if (common === false || own === false) return false;
  return { ...(typeof common === 'object' ? common : {}), ...(typeof own === 'object' ? own : {}) };
}

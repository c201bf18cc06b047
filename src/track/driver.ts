import { STOPPED } from '../kube/cancellable.js';
import { type Clock, systemClock, timeoutSignal } from '../kube/clock.js';
import { isForbidden, WATCH_VERBS, withRule } from '../kube/rbac.js';
import type { ResourceType } from '../kube/resources.js';
import type { WatchNotice } from '../kube/watch.js';
import { FailureReason } from '../status/reasons.js';
import type { CustomRule } from '../status/rules.js';
import type { VerdictOptions } from '../status/types.js';
import { type ConditionCheck, conditionCheck, type WaitCondition } from '../status/wait-condition.js';
import { declaresStatus, servedType } from './custom-kinds.js';
import { deniedNotice } from './denied.js';
import { eventWeight, type TrackEvent, type TrackEventInit } from './events.js';
import { explainFailure } from './explain.js';
import { type LogOptions, LogTails } from './logs.js';
import {
  type ModelAction,
  type ModelInput,
  type ModelOptions,
  type PlannedFailure,
  REPORT_WARNINGS,
  TrackModel,
  type Until,
  type WatchName,
} from './model/model.js';
import { NoticeEpisodes } from './notice-episodes.js';
import { AsyncQueue } from './queue.js';
import { reportWarnings } from './report-warnings.js';
import { type ResourceRef, resourceRef } from './resource-ref.js';
import { scopeFor, type WatchScope } from './scope.js';
import { sharedWatches } from './shared-watch.js';
import type { TrackSource } from './sources.js';
import { type PodStrategy, podStrategyFor } from './strategies/index.js';
import { TrackerWatches } from './tracker-watches.js';

/** How a skipped object of each watch is named. */
const SKIPPED_WHAT: Record<WatchName, string> = {
  resource: 'resource',
  revision: 'revision',
  pod: 'pod',
  event: 'Event',
  release: 'Helm record',
};

/** How long a failure report may wait for last lines and Warning events, all together. */
const REPORT_READ_MS = 2000;
/** The same at the timeout: the user's deadline is kept within a second. */
const TIMEOUT_REPORT_READ_MS = 500;

/** How a tracker tracks (all optional); `multitrack` takes the same. */
export interface TrackOptions extends VerdictOptions {
  /**
   * `'ready'`: a rollout, which ends with `ready` or `failed`; `'never'`:
   * follow until `break`, abort or deletion; `'deleted'`: wait until the
   * resource is gone (at once when it does not exist), with `status`
   * events saying why it is not yet — finalizers, dependents, terminating
   * pods; `'exists'`: wait until it exists (`added`); `'once'`: what there
   * is now — the resource, its pods, their Events and the logs they have so
   * far (read to their end, not followed) — then the end (`follow --no-follow`).
   * Or a {@link WaitCondition} (kubectl wait's `--for`): `{ condition:
   * 'Available' }`, `{ jsonPath: '{.status.phase}', value: 'Running' }`, a
   * predicate of the object (`true` or a verdict of its own) — a rollout
   * that ends `ready` once the object meets it; unless `strict`, a failure
   * still ends it early. Several are met in their order, as kubectl's
   * several `--for`.
   * @default 'ready'
   * @example
   * import { trackResource } from 'kubedog';
   *
   * const until = { condition: 'Available' };
   * for await (const event of trackResource(client, { kind: 'deploy', name: 'web' }, { until, timeout: 60_000 }))
   *   if (event.type === 'ready') console.log(event.message);
   * // prints: deployment "web": condition Available=True
   * @example
   * import { type KubeObject, trackResource } from 'kubedog';
   *
   * // Available, then both replicas ready: a predicate that says why not yet.
   * const bothReady = (deployment: KubeObject) =>
   *   (deployment.status as { readyReplicas?: number } | undefined)?.readyReplicas === 2 ||
   *   { state: 'progressing' as const, reason: 'Scaling', message: 'waiting for 2 ready replicas' };
   * const until = [{ condition: 'Available' }, bothReady];
   * for await (const event of trackResource(client, { kind: 'deploy', name: 'web' }, { until }))
   *   if (event.type === 'ready') console.log(event.message);
   * // prints: deployment "web": condition Available=True and predicate bothReady
   */
  until?: Until | WaitCondition | readonly WaitCondition[];
  /** Ends the track at once: the iteration throws the signal's reason. */
  signal?: AbortSignal | undefined;
  /**
   * Milliseconds the track may take. Then it ends — with `failed`, reason
   * `Timeout`, saying what it was still waiting for, unless the resource is
   * ready (following, a ready resource just ends). No exception is thrown.
   * Events a slow consumer has not taken by then, beyond the 1,000 already
   * buffered, give way: the deadline is kept.
   * @default no timeout
   * @example { timeout: 5 * 60_000 }
   */
  timeout?: number;
  /**
   * The clock of the track: verdicts, event times, the timeout and every
   * timer read it (tests pass a manual clock: `startFakeCluster({ clock:
   * 'manual' }).clock`). @default the system clock
   */
  clock?: Clock;
  /**
   * Follow the logs of the resource's pods: `false`, or which and how.
   * @default true (false when `until` is `deleted` or `exists`)
   */
  logs?: boolean | LogOptions;
  /**
   * In a rollout, fail (reason `NoActivity`) when nothing at all happens for
   * this many milliseconds — no status change, pod change, event or log line.
   * @default 240000 (4 minutes, as kubedog)
   */
  noActivityTimeout?: number;
  /** Rules for custom kinds (see `parseRules`), tried before the built-in ones. */
  rules?: readonly CustomRule[];
  /**
   * What the watches ask the API server for: only the resource's own
   * objects (`'resource'`: the resource by name, its pods by its selector,
   * the Events of each), or everything of the namespace on one watch per
   * kind shared by every tracker, each taking its own objects from it
   * (`'namespace'`). `'auto'` scopes a track of up to 10 resources per
   * namespace. Either way the same objects are judged and shown.
   * @default 'auto'
   */
  watchScope?: WatchScope;
}

/** What `multitrack` tells the trackers it runs, besides the public options. */
export interface DriverOptions extends TrackOptions {
  /** In a rollout, a failure ends the track (false: it goes on, and may still end ready). @default true */
  failureEnds?: boolean;
  /** When the track times out, ms since the epoch (multitrack's one deadline for all). */
  deadline?: number;
  /** How many resources of the track are in this one's namespace (`watchScope: 'auto'` decides by it). @default 1 */
  resourcesInNamespace?: number;
}

/** What the driver learnt of the resource's kind before its track began. */
interface KindFacts {
  /** Its CRD declares a status subresource (undefined: not a custom kind, or not known). */
  kindDeclaresStatus: boolean | undefined;
}

/** The resource a tracker tracks. */
export interface TrackTarget {
  /** Any kubectl spelling (`deploy`, `Deployment`, `certificates.cert-manager.io`), or a resolved type. */
  kind: string | ResourceType;
  /** Its `metadata.name`. */
  name: string;
  /** @default the source's namespace */
  namespace?: string;
  /** A resource or hook of a Helm release's revision: how Helm's work on it counts (`trackHelmRelease` sets it). */
  helm?: HelmTarget;
  /**
   * The kind comes from a manifest that may also apply its
   * CustomResourceDefinition: when the API server does not serve it yet,
   * the track waits for it (a notice says so) until the deadline, instead of
   * failing at once. `specFromManifest` sets it; a kind typed by hand fails
   * fast. @default false
   */
  awaitKind?: boolean;
}

/**
 * A resource of a Helm release's revision as a track counts it. A resource
 * is judged once Helm has applied the revision (before, in the `pre-*`
 * hooks, it is still the previous revision's); a hook's object left by an
 * earlier run is not this run's, and one Helm deletes once it succeeded
 * (`hook-succeeded`) has succeeded when it is deleted.
 */
export interface HelmTarget {
  /** The object Helm keeps the revision in (its status says what Helm is doing). */
  record: { kind: 'Secret' | 'ConfigMap'; namespace: string; name: string };
  /** When the API server created the record (RFC 3339): the revision began then. */
  createdAt?: string;
  /** For a hook: the phase that runs it, its delete policies, and what Helm recorded of its run when the track started. */
  hook?: { phase: string; deletePolicies: string[]; ran?: 'Succeeded' | 'Failed' };
}

/** What the model makes of a Helm target. */
function helmRules(helm: HelmTarget | undefined): ModelOptions['helm'] {
  if (!helm) return undefined;
  const createdAt = Date.parse(helm.createdAt ?? '');
  const since = Number.isNaN(createdAt) ? {} : { since: createdAt };
  if (!helm.hook) return { record: helm.record.name, ...since };
  const { deletePolicies, ran } = helm.hook;
  return {
    record: helm.record.name,
    ...since,
    hook: { deletedOnSuccess: deletePolicies.includes('hook-succeeded'), ...(ran ? { ran } : {}) },
  };
}

const isTimeout = (action: ModelAction) =>
  action.type === 'fail' && action.failure.event.reason === FailureReason.Timeout;

/** What `until` asks: one of the words, or a condition to wait for in a rollout. */
export function untilOf(until: TrackOptions['until']): { until: Until; waitFor?: ConditionCheck } {
  if (until === undefined || typeof until === 'string') return { until: untilWord(until) };
  return { until: 'ready', waitFor: conditionCheck(until) };
}

/** The word of `until`: a condition is waited for in a rollout (`'ready'`). */
export const untilWord = (until: TrackOptions['until']): Until =>
  typeof until === 'string' ? until : 'ready';

/** Logs are followed unless the track waits only for a deletion or a creation (once: read, not followed). */
export const logsByDefault = (until: Until | undefined): boolean => until !== 'deleted' && until !== 'exists';

/** Which logs a tracker follows: as asked, or {@link logsByDefault}; shown once, read to their end. */
function logsOf(options: TrackOptions, until: Until): false | LogOptions {
  const wanted = options.logs ?? logsByDefault(until);
  if (wanted === false) return false;
  const chosen = typeof wanted === 'object' ? wanted : {};
  return until === 'once' ? { ...chosen, follow: false } : chosen;
}

/**
 * The watches a tracker reads: the resource; its revisions and pods when it
 * has pods; the Events; the record of the Helm revision it belongs to.
 * Waiting for its creation, only the resource.
 */
function watchesFor(
  strategy: PodStrategy | undefined,
  until: Until,
  helm: HelmTarget | undefined,
): WatchName[] {
  if (until === 'exists') return ['resource'];
  return [
    'resource',
    ...(strategy?.revisions ? ['revision' as const] : []),
    ...(strategy && !strategy.self ? ['pod' as const] : []),
    'event',
    ...(helm ? ['release' as const] : []),
  ];
}

/** The options verdicts are judged with. */
function verdictOptionsOf(options: TrackOptions): ModelOptions['verdict'] {
  const {
    failuresAllowedPerReplica,
    failuresAllowed,
    ignoreReadinessProbeFailures,
    unschedulableGraceMs,
    configGraceMs,
    readinessProbeGraceMs,
    deploymentRevision,
    rules,
  } = options;
  return {
    ...(failuresAllowedPerReplica !== undefined ? { failuresAllowedPerReplica } : {}),
    ...(failuresAllowed !== undefined ? { failuresAllowed } : {}),
    ...(ignoreReadinessProbeFailures !== undefined ? { ignoreReadinessProbeFailures } : {}),
    ...(unschedulableGraceMs !== undefined ? { unschedulableGraceMs } : {}),
    ...(configGraceMs !== undefined ? { configGraceMs } : {}),
    ...(readinessProbeGraceMs !== undefined ? { readinessProbeGraceMs } : {}),
    ...(deploymentRevision !== undefined ? { deploymentRevision } : {}),
    ...(rules !== undefined ? { rules } : {}),
  };
}

/**
 * The driver of one tracker: subscribes to the watches the resource needs,
 * feeds their changes and the clock to its {@link TrackModel}, and carries
 * out what the model asks — events to yield, log streams to open or close,
 * failure reports to read — in order, pausing the watches while the
 * consumer is behind.
 */
export async function* driveTrack(
  source: TrackSource,
  target: TrackTarget,
  options: DriverOptions,
): AsyncGenerator<TrackEvent, void, undefined> {
  options.signal?.throwIfAborted();
  const type = yield* servedType(source, target, options);
  if (!type) return;
  const denied: TrackEventInit[] = [];
  const kindDeclaresStatus = await declaresStatus(source, type, {
    signal: options.signal,
    clock: options.clock,
    denied: (error) => denied.push(deniedNotice('crd', error)),
  });
  // Aborted while the kind was being looked up (answered from a cache, which does not look at the signal).
  options.signal?.throwIfAborted();
  const tracker = new Tracker(source, type, target, { ...options, kindDeclaresStatus }, denied);
  try {
    yield* tracker.events();
  } finally {
    tracker.stop();
  }
}

class Tracker {
  readonly #source: TrackSource;
  readonly #ref: ResourceRef;
  readonly #options: DriverOptions;
  readonly #clock: Clock;
  readonly #model: TrackModel;
  readonly #tails: LogTails;
  readonly #queue = new AsyncQueue<TrackEvent>(1000, eventWeight);
  #watches: TrackerWatches | undefined;
  readonly #actions: ModelAction[] = [];
  readonly #episodes = new NoticeEpisodes();
  #draining: Promise<void> | undefined;
  #cancelTimer: (() => void) | undefined;
  readonly #onAbort = () => this.#fail(this.#options.signal?.reason);
  /** Aborted when the tracker stops: ends the reads of a failure report. */
  readonly #stopped = new AbortController();

  constructor(
    source: TrackSource,
    type: ResourceType,
    target: TrackTarget,
    options: DriverOptions & KindFacts,
    notices: TrackEventInit[],
  ) {
    this.#source = source;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#ref = resourceRef(
      type,
      target.namespace ?? source.namespace,
      target.name,
      target.helm?.hook?.phase,
    );
    const { until, waitFor } = untilOf(options.until);
    // Waiting for its creation, its pods do not matter.
    const strategy = until === 'exists' ? undefined : podStrategyFor(type);
    const logs = logsOf(options, until);
    const lists = watchesFor(strategy, until, target.helm);
    const helm = helmRules(target.helm);
    this.#model = new TrackModel(this.#ref, strategy, {
      ...this.#modelOptions(logs, until),
      ...(waitFor ? { waitFor } : {}),
      lists,
      ...(helm ? { helm } : {}),
      ...(options.kindDeclaresStatus !== undefined ? { kindDeclaresStatus: options.kindDeclaresStatus } : {}),
    });
    this.#tails = new LogTails(source, this.#ref.namespace, (event) => this.#show(event), {
      ...(logs || {}),
      live: logs !== false,
      clock: this.#clock,
    });
    for (const notice of notices) void this.#show(notice);
    this.#subscribe(type, strategy, lists, target.helm);
    options.signal?.addEventListener('abort', this.#onAbort, { once: true });
    this.#arm();
  }

  #modelOptions(logs: false | LogOptions, until: Until): ModelOptions {
    const options = this.#options;
    const startedAt = this.#now();
    const timeoutMs = options.timeout;
    const at = options.deadline ?? (timeoutMs === undefined ? undefined : startedAt.getTime() + timeoutMs);
    return {
      verdict: verdictOptionsOf(options),
      until,
      failureEnds: options.failureEnds ?? true,
      logs,
      noActivityMs: options.noActivityTimeout ?? 240_000,
      startedAt,
      ...(at !== undefined && timeoutMs !== undefined ? { deadline: { at, timeoutMs } } : {}),
    };
  }

  /** The watches of {@link watchesFor}, scoped as the options say. */
  #subscribe(
    type: ResourceType,
    strategy: PodStrategy | undefined,
    names: WatchName[],
    helm: HelmTarget | undefined,
  ): void {
    const plan = {
      type,
      namespace: this.#ref.namespace,
      name: this.#ref.name,
      strategy,
      names,
      ...(helm ? { record: helm.record } : {}),
      scope: scopeFor(this.#options.watchScope, this.#options.resourcesInNamespace ?? 1),
    };
    this.#watches = new TrackerWatches(sharedWatches(this.#source), plan, {
      change: (watch, change) => this.#feed({ type: watch, change }),
      listed: (watch) => void this.#feed({ type: 'listed', watch }),
      notice: (notice) => this.#watchNotice(notice),
      without: (watch, error) => this.#without(watch, error, strategy),
      skipped: (watch, object, problem) =>
        void this.#show({
          type: 'notice',
          code: 'skipped',
          message: `skipped ${SKIPPED_WHAT[watch]} ${object}: the API server sent it malformed: ${problem}`,
        }),
      failed: (watch, error) =>
        this.#fail(watch === 'resource' && isForbidden(error) ? withRule(error, WATCH_VERBS) : error),
    });
    this.#watches.open();
  }

  async *events(): AsyncGenerator<TrackEvent, void, undefined> {
    for (;;) {
      const next = await this.#queue.next();
      if (next.done) return;
      yield next.value;
    }
  }

  /** Closes every watch subscription and log stream; the events already queued are still delivered. */
  stop(): void {
    this.#cancelTimer?.();
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    this.#stopped.abort(STOPPED);
    this.#watches?.close();
    this.#tails.stop();
  }

  /** Gives the model one input; the promise (when there is one) resolves once its actions are done. */
  #feed(input: ModelInput): Promise<void> | undefined {
    const actions = this.#model.step(input, this.#now());
    if (actions.length === 0) return this.#draining;
    // The deadline is kept: what is still waiting to be delivered (the 10,000 pods of a
    // first sight, to a slow consumer) gives way to the timeout, which ends the track.
    if (actions.some(isTimeout)) this.#actions.length = 0;
    // Ending: the watches that were answered again say so before the verdict that ends the track.
    if (actions.some((action) => action.type === 'end')) this.#actions.push(...this.#closingNotices());
    this.#actions.push(...actions);
    this.#draining ??= this.#drain();
    return this.#draining;
  }

  async #drain(): Promise<void> {
    // Never done within the call: `#draining` is set before the loop can end and clear it.
    await null;
    try {
      for (let action = this.#actions.shift(); action; action = this.#actions.shift()) {
        const done = this.#perform(action);
        if (done) await done;
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#draining = undefined;
    }
  }

  #perform(action: ModelAction): Promise<void> | undefined {
    switch (action.type) {
      case 'emit':
        return this.#queue.push(action.event);
      case 'follow':
        this.#tails.follow(action.tail);
        return undefined;
      case 'previous':
        this.#tails.previous(action.pod, action.container);
        return undefined;
      case 'unfollow':
        this.#tails.unfollow(action.pod);
        return undefined;
      case 'settle':
        return this.#tails.settle();
      case 'drain':
        return this.#tails.drain();
      case 'fail':
        return this.#report(action.failure);
      case 'end':
        this.#queue.end();
        this.stop();
        return undefined;
    }
  }

  /**
   * Reads the failing containers' last lines (showing what was not shown yet),
   * their pods' Warning events and the object the failure waits for, then
   * says it failed.
   */
  async #report(failure: PlannedFailure): Promise<void> {
    const budget = failure.event.reason === FailureReason.Timeout ? TIMEOUT_REPORT_READ_MS : REPORT_READ_MS;
    const { signal, clear } = timeoutSignal(this.#clock, budget, this.#stopped.signal);
    const pods = failure.containers.map((c) => c.pod);
    const [logs, warnings, explanation] = await Promise.all([
      this.#tails.lastWords(failure.containers, signal),
      reportWarnings(this.#source, this.#ref.namespace, failure.warnings, pods, signal),
      explainFailure(this.#source, this.#ref.namespace, failure.cause, signal),
    ]).finally(clear);
    const hint = explanation?.hint ?? failure.event.hint;
    await this.#queue.push({
      ...failure.event,
      ...(hint ? { hint } : {}),
      report: { warnings: warnings.slice(-REPORT_WARNINGS), logs, findings: explanation?.findings ?? [] },
    });
  }

  /** Something of the driver's own (log lines, notices): shown, and the track is not idle. */
  #show(init: TrackEventInit): Promise<void> {
    this.#model.step({ type: 'activity' }, this.#now());
    return this.#queue.push({ time: this.#now().toISOString(), resource: this.#ref, ...init } as TrackEvent);
  }

  /** The closing lines of the reconnect episodes still open, as events to emit. */
  #closingNotices(): ModelAction[] {
    const time = this.#now().toISOString();
    return this.#episodes.end().map((notice) => ({
      type: 'emit',
      event: { ...notice, time, resource: this.#ref },
    }));
  }

  /** A watch's reconnects and re-lists, said once per episode ({@link NoticeEpisodes}). */
  #watchNotice(notice: WatchNotice): void {
    for (const said of this.#episodes.take(notice, this.#now().getTime())) void this.#show(said);
  }

  /** A watch the track can do without was given up (a 403): said once, and the model judges without it. */
  #without(watch: Exclude<WatchName, 'resource'>, error: unknown, strategy: PodStrategy | undefined): void {
    void this.#feed({ type: 'denied', watch });
    void this.#show(deniedNotice(watch, error, strategy?.revisions?.kind));
  }

  #fail(error: unknown): void {
    this.#queue.fail(error);
    this.stop();
  }

  /** One timer: time-based verdicts every REJUDGE_MS, and the timeout and the no-activity timeout when due. */
  #arm(): void {
    this.#cancelTimer?.();
    if (this.#model.done) return;
    this.#cancelTimer = this.#clock.after(this.#model.nextTick(this.#now()), () => {
      // Nothing may escape a timer into the process: what goes wrong here ends this track, with the error.
      try {
        void this.#feed({ type: 'tick' });
        for (const said of this.#episodes.tick(this.#now().getTime())) void this.#show(said);
        this.#arm();
      } catch (error) {
        this.#fail(error);
      }
    });
  }

  #now(): Date {
    return new Date(this.#clock.now());
  }
}

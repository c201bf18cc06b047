import { formatDuration } from '../../kube/duration.js';
import { groupOf } from '../../kube/resources.js';
import type { KubeObject, WatchEvent } from '../../kube/types.js';
import { deletionVerdict } from '../../status/deletion.js';
import { computeVerdict } from '../../status/index.js';
import { FailureReason, Reason } from '../../status/reasons.js';
import type { CustomRule } from '../../status/rules.js';
import { eventSource, ProblemTally } from '../../status/tally.js';
import type { Problem, Verdict, VerdictContext, VerdictOptions } from '../../status/types.js';
import { progressing } from '../../status/verdict.js';
import type { ConditionCheck } from '../../status/wait-condition.js';
import type { FailedEvent, ReportedWarning, TrackEvent, TrackEventInit } from '../events.js';
import { describeResource, type ResourceRef } from '../resource-ref.js';
import type { PodStrategy } from '../strategies/index.js';
import { HelmGate, type HelmRules } from './helm-gate.js';
import {
  EventBook,
  happenedAt,
  type Involved,
  involvedOf,
  isWarning,
  reportedWarning,
} from './kube-events.js';
import { type ContainerFilter, type LogAction, LogPlan } from './log-plan.js';
import { createdOf, PodAnnouncer, type PodOutput } from './pod-announcer.js';
import type { PodEntry } from './pods.js';
import { RevisionTracker } from './revisions.js';

/** Kinds whose verdicts read the clock only through their pods' tally (its grace windows). */
const CLOCK_THROUGH_TALLY = new Set([
  'apps/Deployment',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'apps/ReplicaSet',
  'batch/Job',
]);

/**
 * The watches a tracker reads: the resource, its revisions, its pods, the
 * Events of its namespace, and the record of the Helm revision it belongs to.
 */
export type WatchName = 'resource' | 'revision' | 'pod' | 'event' | 'release';

/**
 * What a track waits for: `ready` (a rollout, which ends `ready` or
 * `failed`), `never` (following, until deleted), `deleted` (its deletion:
 * gone already ends it at once), `exists` (its creation), or `once` (what
 * there is now — the resource, its pods, their Events and the logs they
 * have — then the end).
 */
export type Until = 'ready' | 'never' | 'deleted' | 'exists' | 'once';

/** What the model is told: a change on one of the watches, the clock moving, or a log line shown. */
export type ModelInput =
  | { type: WatchName; change: WatchEvent }
  /** Time passed: time-based verdicts, the timeout and the no-activity timeout are judged again. */
  | { type: 'tick' }
  /** The driver showed something of its own (log lines, a notice): the track is not idle. */
  | { type: 'activity' }
  /**
   * A watch has its first list in (or was given up, when it is optional).
   * The resource's: a resource not seen by now does not exist.
   */
  | { type: 'listed'; watch: WatchName }
  /**
   * A watch the resource can be judged without may not be read (403): it
   * counts as listed, and the verdict is drawn from the rest.
   */
  | { type: 'denied'; watch: Exclude<WatchName, 'resource'> };

/** A failure to report: the driver reads the containers' last lines, then emits the `failed` event. */
export interface PlannedFailure {
  event: Omit<FailedEvent, 'report'>;
  warnings: ReportedWarning[];
  /** Containers whose last lines go in the report, and where to read them, in order of preference. */
  containers: { pod: string; container: string; sources: ('previous' | 'current')[] }[];
  /** The pod problem the failure comes from (or the worst one, at a timeout): the report looks one object further. */
  cause?: Problem;
}

/** What the model asks of its driver, in order. */
export type ModelAction =
  | { type: 'emit'; event: TrackEvent }
  | LogAction
  /** Before `ready` ends a rollout: let the streams of containers that just started answer. */
  | { type: 'settle' }
  /** Before a track of what there is now (`once`) ends: let every log stream read to its end. */
  | { type: 'drain' }
  | { type: 'fail'; failure: PlannedFailure }
  /** The track is over: close every stream. */
  | { type: 'end' };

export interface ModelOptions {
  /** What verdicts are judged with. */
  verdict: VerdictOptions & { rules?: readonly CustomRule[] };
  /** What the track waits for. */
  until: Until;
  /** In a rollout, a failure ends the track; false: it goes on, and may still end ready. */
  failureEnds: boolean;
  /** Whose logs to follow; false: none. */
  logs: false | ContainerFilter;
  /** In a rollout, fail when nothing at all happens for this long. */
  noActivityMs: number;
  /** When the track times out (ms since the epoch), and the timeout it was given. */
  deadline?: { at: number; timeoutMs: number };
  /** When the track started: Events and log lines from before it are history. */
  startedAt: Date;
  /**
   * The watches whose first list the resource's first verdict waits for: a
   * Deployment judged before its pods are listed would look ready while
   * they crash (a track started late). @default none
   */
  lists?: readonly WatchName[];
  /** The resource belongs to a Helm revision: how Helm's work on it counts. */
  helm?: HelmRules;
  /**
   * In a rollout (`until: 'ready'`), what ends it instead of readiness: a
   * condition the object meets (kubectl wait's `--for`); unless strict, a
   * failure still ends it early.
   */
  waitFor?: ConditionCheck;
  /**
   * A custom kind's CRD declares a status subresource (true) or not
   * (false); undefined when not known — then a custom resource created
   * within {@link RECENT_MS} of the track waits for its controller's status.
   */
  kindDeclaresStatus?: boolean;
}

/**
 * Where a track is in its life, one phase after the other:
 * - `listing`: the resource's watch has not listed yet (not seen is not "does not exist");
 * - `waiting`: listed, but the resource is not there yet, or a watch it is judged by has not listed;
 * - `judging`: the resource was announced (`added`); every change is judged;
 * - `over`: the track ended; every input is ignored.
 * (Without a `lists` option a resource may be judged before its watch says it listed.)
 */
export type Phase = 'listing' | 'waiting' | 'judging' | 'over';

/** A custom resource created this long before the track, or later, is new: its controller may not have reported yet. */
export const RECENT_MS = 60_000;

/**
 * How often time-based verdicts (grace windows, deadlines in the status) are
 * judged again when nothing else happens: a quarter of a second late at
 * most, for a judgement that costs microseconds.
 */
export const REJUDGE_MS = 250;
/** How a timeout says what was not reached, and what may just be slow. */
const GOALS: Record<Until, { what: string; slow: string }> = {
  ready: { what: 'ready', slow: 'rollout' },
  never: { what: 'ready', slow: 'rollout' },
  once: { what: 'ready', slow: 'rollout' },
  deleted: { what: 'deleted', slow: 'deletion' },
  exists: { what: 'created', slow: 'creation' },
};

/** Warning Events and containers a failure report holds at most. */
export const REPORT_WARNINGS = 20;
const REPORT_CONTAINERS = 10;

/**
 * The tracker of one resource, without I/O: watch events and clock ticks
 * in, track events and log-stream actions out (the shape of h11's sans-I/O
 * core). It keeps indexes updated per event — pods by controller and
 * revision, Events by object, problems per pod — so the work per event does
 * not grow with the number of pods. Which pods are the resource's and which
 * are current is its kind's {@link PodStrategy}. Never reads the clock:
 * every step is given `now`.
 */
export class TrackModel {
  readonly #ref: ResourceRef;
  readonly #options: ModelOptions;
  /** Events and log lines from before this are history (one second of slack for coarse timestamps). */
  readonly #since: number;
  readonly #events = new EventBook();
  readonly #tally = new ProblemTally();
  readonly #revisions: RevisionTracker | undefined;
  readonly #pods: PodAnnouncer | undefined;
  #object: KubeObject | undefined;
  #verdict: Verdict | undefined;
  /** What the resource's Helm revision says of it (a resource of a release, or a hook). */
  readonly #helm: HelmGate | undefined;
  /** The state whose consequences (`ready`, `failed`) were drawn last: each is drawn once per change. */
  #actedOn: Verdict['state'] | undefined;
  /** How many of the wait's conditions were met, in their order. */
  #stepsMet = 0;
  #lastActivity: number;
  /** Where the track is in its life ({@link Phase}). */
  #phase: Phase = 'listing';
  /** Watches whose first list is not in yet: the resource is not judged before they are. */
  readonly #unlisted: Set<WatchName>;
  /** Watches that may not be read (403): the verdict is drawn without them. */
  readonly #denied = new Set<WatchName>();
  #now = new Date(0);
  #out: ModelAction[] = [];

  constructor(ref: ResourceRef, strategy: PodStrategy | undefined, options: ModelOptions) {
    this.#ref = ref;
    this.#options = options;
    this.#since = options.startedAt.getTime() - 1000;
    this.#lastActivity = options.startedAt.getTime();
    this.#unlisted = new Set(options.lists);
    this.#helm = options.helm ? new HelmGate(options.helm, ref) : undefined;
    if (strategy) {
      const logs = options.logs === false ? undefined : new LogPlan(options.logs);
      this.#revisions = new RevisionTracker(ref, strategy);
      this.#pods = new PodAnnouncer(strategy, this.#revisions, this.#tally, logs, {
        warnings: (object) => this.#events.warningsAbout(object),
        context: () => this.#baseContext(),
        since: new Date(this.#since),
      });
    }
  }

  /** `deployment "web"`, as verdict messages name it. */
  get #said(): string {
    return `${this.#ref.kind.toLowerCase()} "${this.#ref.name}"`;
  }

  /** The track has ended: every further input is ignored. */
  get done(): boolean {
    return this.#phase === 'over';
  }

  /** Where the track is in its life. */
  get phase(): Phase {
    return this.#phase;
  }

  /** The resource has been announced: from then on it is judged. */
  get #seen(): boolean {
    return this.#phase === 'judging';
  }

  /** What ends the rollout instead of readiness (kubectl wait's `--for`), when it is asked for. */
  get #waitFor(): ConditionCheck | undefined {
    return this.#options.until === 'ready' ? this.#options.waitFor : undefined;
  }

  /** The resource's watch has its first list in. */
  get #listed(): boolean {
    return this.#phase !== 'listing';
  }

  /** Milliseconds until the driver should tick next (time-based verdicts, the timeout, inactivity). */
  nextTick(now: Date): number {
    const at = Math.min(
      now.getTime() + REJUDGE_MS,
      this.#options.deadline?.at ?? Number.POSITIVE_INFINITY,
      this.#options.until === 'ready'
        ? this.#lastActivity + this.#options.noActivityMs
        : Number.POSITIVE_INFINITY,
    );
    return Math.max(0, at - now.getTime());
  }

  /** Takes one input; returns what the driver must do, in order. */
  step(input: ModelInput, now: Date): ModelAction[] {
    if (this.#phase === 'over') return [];
    this.#now = now;
    this.#out = [];
    switch (input.type) {
      case 'resource':
        this.#onResource(input.change);
        break;
      case 'revision':
        if (this.#revisions?.observe(input.change)) this.#revisionsChanged();
        this.#judge();
        break;
      case 'pod':
        // Without the revisions, the pods say which revisions there are.
        if (this.#revisions?.observePod(input.change)) this.#revisionsChanged();
        this.#carryOut(this.#pods?.observe(input.change));
        this.#judge();
        break;
      case 'event':
        this.#onEvent(input.change);
        break;
      case 'tick':
        this.#onTick();
        break;
      case 'activity':
        this.#lastActivity = now.getTime();
        break;
      case 'listed':
        this.#onListed(input.watch);
        break;
      case 'denied':
        this.#onDenied(input.watch);
        break;
      case 'release':
        this.#onRelease(input.change);
        break;
    }
    return this.#out;
  }

  #onListed(watch: WatchName): void {
    if (watch === 'resource' && this.#phase === 'listing') {
      this.#phase = 'waiting';
      // Waiting for a deletion, a resource not there once listed is gone already; shown once, there is nothing.
      if (!this.#object && this.#options.until === 'deleted') this.#gone('does not exist');
      if (!this.#object && this.#options.until === 'once') this.#end();
      // A hook Helm already ran and deleted: what Helm recorded is its end.
      const ran = this.#helm?.hook?.ran;
      if (!this.#object && this.#options.until === 'ready' && ran) this.#hookGone(ran);
    }
    this.#unlisted.delete(watch);
    this.#firstSightOnceListed();
  }

  #onDenied(watch: Exclude<WatchName, 'resource'>): void {
    this.#denied.add(watch);
    if (watch === 'revision') {
      this.#revisions?.withoutRevisions();
      this.#revisionsChanged();
    }
    this.#onListed(watch);
  }

  /** What a verdict was drawn from, when that is less than usual: ` (judged from its status alone: …)`. */
  get #basis(): string {
    if (!this.#pods || this.#pods.self) return '';
    if (this.#denied.has('pod')) return ' (judged from its status alone: its pods may not be read)';
    if (this.#denied.has('revision') && this.#revisions?.standsIn)
      return ` (judged from its status and its pods by selector: its ${this.#revisions.standsIn}s may not be read)`;
    return '';
  }

  #onResource(change: WatchEvent): void {
    const { type, object } = change;
    if (object.metadata.name !== this.#ref.name) return;
    if (this.#helm && !this.#helm.admit(change, this.#listed)) return;
    if (type === 'DELETED') {
      this.#onDeleted();
      return;
    }
    this.#object = object;
    this.#revisions?.setResource(object);
    if (!this.#seen) {
      // Its pods are judged as they come, so that its first sight has only to announce them.
      this.#carryOut(this.#pods?.setStanding());
      this.#firstSightOnceListed();
      return;
    }
    this.#revisionsChanged();
    this.#carryOut(this.#pods?.observeSelf(object));
    this.#judge();
  }

  /** The resource is there and every watch it is judged by has listed: it is seen for the first time. */
  #firstSightOnceListed(): void {
    if (this.#object && !this.#seen && this.#unlisted.size === 0) this.#firstSight(this.#object);
  }

  /** The resource is seen for the first time: `added`, then what the other watches brought before it. */
  #firstSight(object: KubeObject): void {
    this.#phase = 'judging';
    this.#carryOut(this.#pods?.setStanding());
    // A resource made just before the track (apply, then track) has no failures from before it.
    const created = Date.parse(object.metadata.creationTimestamp ?? '');
    if (created < this.#since - 1000) this.#tally.startTracking();
    // Announced first; what its verdict means waits for its Events and pods, so that a
    // resource ready at first sight still shows them and the lines of its containers.
    this.#judge({ act: false });
    this.#flushEvents({ kind: this.#ref.kind, name: this.#ref.name, uid: object.metadata.uid }, true);
    this.#announceRevisions();
    this.#carryOut(this.#pods?.observeSelf(object));
    this.#carryOut(this.#pods?.announceAll());
    this.#judge();
  }

  #revisionsChanged(): void {
    if (!this.#object) return;
    if (this.#seen) this.#announceRevisions();
    this.#carryOut(this.#pods?.setStanding());
  }

  /** Carries out what the pod announcer asked for, in order. */
  #carryOut(outputs: readonly PodOutput[] | undefined): void {
    for (const output of outputs ?? []) {
      if (output.type === 'emit') this.#emit(output.event);
      else if (output.type === 'flush-events') this.#flushEvents(output.object, false);
      else this.#out.push(output);
    }
  }

  /** New revisions of the resource: announced, and their Events are the resource's now. */
  #announceRevisions(): void {
    for (const revision of this.#revisions?.announceNew((event) => this.#emit(event)) ?? [])
      this.#flushEvents(
        { kind: revision.kind ?? '', name: revision.metadata.name ?? '', uid: revision.metadata.uid },
        true,
      );
  }

  /** The record of the resource's Helm revision changed: what Helm did may change its verdict. */
  #onRelease(change: WatchEvent): void {
    const hookObject = this.#helm?.observeRecord(change);
    if (hookObject) this.#onResource({ type: 'ADDED', object: hookObject });
    else this.#judge();
  }

  #onDeleted(): void {
    this.#object = undefined;
    if (this.#options.until === 'deleted') {
      this.#gone('was deleted');
      return;
    }
    if (this.#options.until === 'ready' && this.#helm?.hook?.deletedOnSuccess) {
      this.#hookGone('Succeeded');
      return;
    }
    // Gone before it was judged: not announced, so nothing to say (the timeout says it does not exist).
    if (!this.#seen) return;
    this.#emit({ type: 'deleted', message: `${this.#said} was deleted` });
    if (this.#options.until === 'ready')
      this.#fail(
        FailureReason.Deleted,
        `${describeResource(this.#ref)} was deleted before it became ready`,
        undefined,
      );
    this.#end();
  }

  /** A Helm hook that is gone, and how Helm says its run ended. */
  #hookGone(ran: 'Succeeded' | 'Failed'): void {
    if (ran === 'Failed') {
      this.#fail(
        FailureReason.HelmHookFailed,
        `Helm recorded hook ${describeResource(this.#ref)} as failed, and it is gone`,
        'its logs went with it: run the upgrade again with kubedog tracking alongside',
      );
    } else {
      const policy = this.#helm?.hook?.deletedOnSuccess ? ' (hook-delete-policy: hook-succeeded)' : '';
      this.#emit({ type: 'ready', message: `${this.#said} succeeded: Helm deleted it once it had${policy}` });
    }
    this.#end();
  }

  /** Waiting for its deletion: it is gone, and the track is over. */
  #gone(how: 'was deleted' | 'does not exist'): void {
    this.#emit({ type: 'deleted', message: `${this.#said} ${how}` });
    this.#end();
  }

  /** A Kubernetes Event: announced when it is about the resource, its revisions or pods; it may change the verdict. */
  #onEvent({ type, object: event }: WatchEvent): void {
    if (type === 'DELETED') return;
    const involved = involvedOf(event);
    const whose = this.#whose(involved);
    // The shared watch brings every Event of the namespace: keep only what may concern the resource.
    if (
      whose === undefined &&
      involved.name !== this.#ref.name &&
      !involved.name.startsWith(`${this.#ref.name}-`)
    )
      return;
    // Normal Events about known objects are announced and forgotten; the rest is kept (a
    // resource's own Events too: verdicts read them, and a Pod's pod is the resource).
    const own =
      whose === 'resource' || (typeof whose === 'object' && whose.uid === this.#object?.metadata.uid);
    // Until the resource is seen, everything is kept: its first sight announces what came before.
    const unseen = whose === undefined || !this.#seen;
    this.#events.file(event, unseen || own || isWarning(event));
    // Before the first sight, a pod's Events may still change what it is judged to be (its failed pulls).
    if (!this.#seen && typeof whose === 'object') this.#carryOut(this.#pods?.eventChanged(whose));
    if (unseen) return;
    this.#announceEvent(event);
    if (whose === 'revision' || whose === 'resource') this.#tallyControllerEvent(event);
    else this.#carryOut(this.#pods?.eventChanged(whose));
    this.#judge();
  }

  /**
   * Whose an Event is: one of the resource's pods' (a Pod's own Events are
   * its pod's too), the resource's, one of its revisions', or not known (yet).
   */
  #whose(involved: Involved): 'resource' | 'revision' | PodEntry | undefined {
    const { uid } = involved;
    const pod = this.#pods?.find(uid, involved.kind === 'Pod' ? involved.name : undefined);
    if (pod?.belongs) return pod;
    const resource = this.#object?.metadata.uid;
    if (
      resource &&
      (uid ? uid === resource : involved.kind === this.#ref.kind && involved.name === this.#ref.name)
    )
      return 'resource';
    if (uid && this.#revisions?.isOwned(uid)) return 'revision';
    return undefined;
  }

  #announceEvent(event: KubeObject): void {
    if (!this.#events.isNews(event, this.#since)) return;
    const warning = reportedWarning(event);
    this.#emit({
      type: 'event',
      eventType: String(event.type ?? 'Normal'),
      reason: warning.reason,
      message: warning.message,
      involvedObject: warning.involvedObject,
      count: warning.count,
    });
  }

  /**
   * Announces the Events kept about an object that has just become known
   * as the resource's; those of the resource and its revisions (`controller`)
   * also count like a failing pod would.
   */
  #flushEvents(object: Involved, controller: boolean): void {
    const events = this.#events.about(object).sort((a, b) => happenedAt(a) - happenedAt(b));
    for (const event of events) {
      this.#announceEvent(event);
      if (controller) this.#tallyControllerEvent(event);
    }
    // The resource's own Events stay: verdicts read them (a claim's provisioning).
    if (object.uid !== this.#object?.metadata.uid) this.#events.forgetNormal(object);
  }

  /** A Warning Event about the resource or its ReplicaSets (FailedCreate) counts like a failing pod. */
  #tallyControllerEvent(event: KubeObject): void {
    if (!this.#pods || !isWarning(event)) return;
    const problem = this.#pods.classifyEvent(event);
    this.#tally.set(eventSource(event.metadata.uid ?? event.metadata.name ?? ''), problem ? [problem] : []);
  }

  #onTick(): void {
    const now = this.#now.getTime();
    const deadline = this.#options.deadline;
    const idle = now - this.#lastActivity;
    if (deadline && now >= deadline.at) this.#timedOut(deadline.timeoutMs);
    // A strict wait ends only by its condition or its timeout, as kubectl's.
    else if (this.#options.until === 'ready' && !this.#waitFor?.strict && idle >= this.#options.noActivityMs)
      this.#idle();
    else if (this.#timeBound()) this.#judge();
  }

  /**
   * Whether time alone can move the verdict now (every input re-judges it
   * anyway): for the built-in controllers, only a grace window of their
   * pods' problems that has ended; for anything else — other kinds' rules,
   * a deletion's countdown, custom rules, a caller's predicate — always.
   */
  #timeBound(): boolean {
    const object = this.#object;
    const { until, verdict } = this.#options;
    if (!object || !this.#pods || until === 'deleted' || this.#waitFor || verdict.rules?.length) return true;
    if (!CLOCK_THROUGH_TALLY.has(`${groupOf(object)}/${object.kind}`)) return true;
    const expiry = this.#tally.nextExpiry();
    return expiry !== undefined && this.#now.getTime() >= expiry;
  }

  #timedOut(timeoutMs: number): void {
    const { until } = this.#options;
    // Waiting for a condition, a ready resource has not met it (meeting it ends the track).
    const waitFor = this.#waitFor;
    if (waitFor || this.#verdict?.state !== 'ready' || until === 'deleted') {
      const waiting =
        this.#verdict?.message ??
        (this.#listed
          ? `${describeResource(this.#ref)} does not exist`
          : `no answer from the API server about ${describeResource(this.#ref)} yet`);
      const { what, slow } = GOALS[until];
      const goal = waitFor ? `${this.#unmet(waitFor)} not met` : `not ${what}`;
      this.#fail(
        FailureReason.Timeout,
        `${goal} after ${formatDuration(timeoutMs)}: ${waiting}`,
        (until === 'deleted' || this.#verdict?.reason === Reason.AwaitingStatus
          ? this.#verdict?.hint
          : undefined) ??
          `raise the timeout if the ${slow} is just slow, or look at the status and events above`,
      );
    }
    this.#end();
  }

  /** The conditions still to meet, as the timeout says them. */
  #unmet(waitFor: ConditionCheck): string {
    return waitFor.steps
      .slice(this.#stepsMet)
      .map((step) => step.said)
      .join(' and ');
  }

  #idle(): void {
    const waiting = this.#verdict?.message ?? `${describeResource(this.#ref)} to exist`;
    this.#fail(
      FailureReason.NoActivity,
      `nothing happened for ${formatDuration(this.#options.noActivityMs)} while waiting for: ${waiting}`,
      'raise the no-activity timeout if the rollout is just slow, or look at the last status and events above',
    );
    this.#end();
  }

  /** What every verdict of this resource is judged with. */
  #baseContext(): VerdictContext {
    return { ...this.#options.verdict, now: this.#now, trackingSince: new Date(this.#since) };
  }

  #judge({ act } = { act: true }): void {
    if (!this.#object || this.#phase !== 'judging') return;
    const waitFor = this.#waitFor;
    const answer = waitFor ? this.#advance(waitFor, this.#object) : false;
    // A predicate's own verdict is what the wait shows; else the kind's.
    const verdict = answer === true || answer === false ? this.#verdictOf(this.#object) : answer;
    const before = this.#verdict;
    this.#verdict = verdict;
    if (!before)
      this.#emit({ type: 'added', ready: verdict.state === 'ready', verdict, ...createdOf(this.#object) });
    else if (moved(before, verdict))
      this.#emit({ type: 'status', verdict, ...(verdict.progress ? { progress: verdict.progress } : {}) });
    if (!act) return;
    if (waitFor) this.#actOnCondition(waitFor, answer, verdict);
    else this.#act(verdict);
  }

  /**
   * The wait's steps met so far, in their order (kubectl's several `--for`):
   * `true` when all are; else the current step's answer — not met, or a
   * predicate's verdict that is not `ready`.
   */
  #advance(waitFor: ConditionCheck, object: KubeObject): boolean | Verdict {
    for (const step of waitFor.steps.slice(this.#stepsMet)) {
      const answer = step.check(object);
      if (answer !== true && (answer === false || answer.state !== 'ready')) return answer;
      this.#stepsMet++;
    }
    return true;
  }

  /**
   * Waiting for a condition: met, the track ends ready; not met, a failure
   * ends it unless the wait is strict (a predicate's own `failed` always does).
   */
  #actOnCondition(waitFor: ConditionCheck, answer: boolean | Verdict, verdict: Verdict): void {
    if (answer === true) {
      // As a rollout's end: first the lines of containers that just started.
      this.#out.push({ type: 'settle' });
      this.#emit({ type: 'ready', message: `${this.#said}: ${waitFor.said}` });
      this.#end();
      return;
    }
    const predicateFailed = answer !== false && answer.state === 'failed';
    if ((waitFor.strict && !predicateFailed) || verdict.state === this.#actedOn) return;
    this.#actedOn = verdict.state;
    if (verdict.state === 'failed') this.#becameFailed(verdict);
  }

  /** Its readiness; waiting for its deletion, why it is not gone yet. */
  #verdictOf(object: KubeObject): Verdict {
    if (this.#options.until === 'deleted')
      return deletionVerdict(object, this.#now, {
        owned: [...(this.#revisions?.owned() ?? [])],
        pods: this.#pods?.pods() ?? [],
      });
    if (this.#helm && !this.#helm.applied(object))
      return progressing(
        Reason.HelmPending,
        `waiting for Helm to apply the new revision (${this.#said} is still the previous one's; pre-* hooks run first)`,
      );
    return computeVerdict(object, {
      ...this.#baseContext(),
      statusExpected: this.#statusExpected(object),
      events: this.#events.about({ kind: this.#ref.kind, name: this.#ref.name, uid: object.metadata.uid }),
      ...(this.#pods ? { tally: this.#tally, ...this.#revisions?.verdictContext() } : {}),
    });
  }

  /**
   * Whether the resource's controller is expected to report a status: its
   * kind's CRD says so, or — not known — the object is new to the track.
   */
  #statusExpected(object: KubeObject): boolean {
    const declared = this.#options.kindDeclaresStatus;
    if (declared !== undefined) return declared;
    return Date.parse(object.metadata.creationTimestamp ?? '') >= this.#since - RECENT_MS;
  }

  /** What a verdict means for the track, drawn once each time its state changes. */
  #act(verdict: Verdict): void {
    // Waiting for its creation, it exists: that is the end, whatever its verdict; once, its logs first.
    if (this.#options.until === 'exists' || this.#options.until === 'once') {
      if (this.#options.until === 'once') this.#out.push({ type: 'drain' });
      this.#end();
      return;
    }
    if (verdict.state === this.#actedOn) return;
    this.#actedOn = verdict.state;
    if (verdict.state === 'ready') this.#becameReady(verdict);
    if (verdict.state === 'failed') this.#becameFailed(verdict);
  }

  #becameReady(verdict: Verdict): void {
    const rollout = this.#options.until === 'ready';
    // A rollout ends here: first the lines of containers that just started.
    if (rollout) this.#out.push({ type: 'settle' });
    this.#emit({ type: 'ready', message: `${verdict.message}${this.#basis}` });
    if (rollout) this.#end();
  }

  #becameFailed(verdict: Verdict): void {
    this.#fail(verdict.reason, `${verdict.message}${this.#basis}`, verdict.hint);
    if (this.#options.until === 'ready' && this.#options.failureEnds) this.#end();
  }

  #fail(reason: string, message: string, hint: string | undefined): void {
    this.#lastActivity = this.#now.getTime();
    const event = {
      type: 'failed' as const,
      time: this.#now.toISOString(),
      resource: this.#ref,
      reason,
      message,
      ...(hint ? { hint } : {}),
    };
    this.#out.push({
      type: 'fail',
      failure: {
        event,
        warnings: this.#reportWarnings(),
        // A timeout waits for what is slow, not for what failed: no one else's lines.
        containers: this.#pods?.failingContainers(REPORT_CONTAINERS, reason !== FailureReason.Timeout) ?? [],
        ...withCause(this.#tally.causeOf(reason)),
      },
    });
  }

  /** The Warning Events of the resource, its revisions and its pods, oldest first (the last 20). */
  #reportWarnings(): ReportedWarning[] {
    return [...this.#events.warnings((involved) => this.#whose(involved) !== undefined)]
      .sort((a, b) => happenedAt(a) - happenedAt(b))
      .slice(-REPORT_WARNINGS)
      .map(reportedWarning);
  }

  #emit(init: TrackEventInit): void {
    this.#lastActivity = this.#now.getTime();
    const event = { time: this.#now.toISOString(), resource: this.#ref, ...init } as TrackEvent;
    this.#out.push({ type: 'emit', event });
  }

  #end(): void {
    this.#phase = 'over';
    this.#out.push({ type: 'end' });
  }
}

const withCause = (cause: Problem | undefined) => (cause ? { cause } : {});

/** Whether a verdict says something new: its state, message or progress moved. */
function moved(before: Verdict, after: Verdict): boolean {
  return (
    before.state !== after.state ||
    before.message !== after.message ||
    JSON.stringify(before.progress) !== JSON.stringify(after.progress)
  );
}

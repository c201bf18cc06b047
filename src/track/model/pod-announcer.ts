import type { KubeObject, WatchEvent } from '../../kube/types.js';
import { classifyEvent } from '../../status/events.js';
import { condition } from '../../status/fields.js';
import { podEventProblems, podStatusProblems } from '../../status/pod.js';
import { type ProblemTally, podSource } from '../../status/tally.js';
import type { Problem, VerdictContext } from '../../status/types.js';
import type { TrackEventInit } from '../events.js';
import { ALL_PODS, type CurrentRevision, controllerUid, type PodStrategy } from '../strategies/index.js';
import type { LogAction, LogPlan } from './log-plan.js';
import { containerStatuses, PodBook, type PodClassifier, type PodEntry } from './pods.js';
import { mayConcern, type RevisionTracker } from './revisions.js';

/** What the pod announcer asks its model to do, in order: the model carries it out. */
export type PodOutput =
  | { type: 'emit'; event: TrackEventInit }
  | LogAction
  /** A pod has just become the resource's: the Events kept about it are announced. */
  | { type: 'flush-events'; object: { kind: 'Pod'; name: string; uid: string | undefined } };

/** What the pod announcer reads of its model (it never calls back into it). */
export interface PodContext {
  /** The Warning Events of a pod. */
  warnings(object: { kind: string; name: string; uid: string | undefined }): KubeObject[];
  /** The verdict context of the resource (options, now, trackingSince). */
  context(): VerdictContext;
  /** When the track started (minus slack): pods of an old revision are followed from then. */
  since: Date;
}

type Standing = { belongs: boolean; current: boolean };

/** Its Ready condition is True. */
const isReady = (pod: KubeObject) => condition(pod, 'Ready')?.status === 'True';

const phaseOf = (pod: KubeObject) => (pod.status as { phase?: string } | undefined)?.phase ?? 'Pending';

const containersOf = (pod: KubeObject) => {
  const spec = pod.spec as
    | { initContainers?: { name: string }[]; containers?: { name: string }[] }
    | undefined;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.name);
};

/**
 * The pods of a tracked resource: which are its own and which are current
 * (by its kind's strategy), what to say when they come, change phase and go,
 * whose logs to follow, and the problems of the current ones — reported
 * once each as `pod-error`, and kept in the resource's {@link ProblemTally}.
 */
export class PodAnnouncer {
  readonly #strategy: PodStrategy;
  readonly #revisions: RevisionTracker;
  readonly #tally: ProblemTally;
  readonly #logs: LogPlan | undefined;
  readonly #context: PodContext;
  /** What the call under way asks of the model (returned by each public method). */
  #out: PodOutput[] = [];
  readonly #book: PodBook;
  #owners = new Set<string>();
  #current: CurrentRevision | undefined;
  #self: string | undefined;
  /** Its pods are announced once the resource is ({@link announceAll}); until then they are only judged (its first verdict needs them). */
  #announcing = false;

  constructor(
    strategy: PodStrategy,
    revisions: RevisionTracker,
    tally: ProblemTally,
    logs: LogPlan | undefined,
    context: PodContext,
  ) {
    this.#strategy = strategy;
    this.#revisions = revisions;
    this.#tally = tally;
    this.#logs = logs;
    this.#context = context;
    this.#book = new PodBook((pod) => ({
      owner: controllerUid(pod) ?? '',
      revision: strategy.revisionOf(pod),
    }));
  }

  readonly #classify: PodClassifier = (pod, owner, revision) => {
    if (this.#strategy.self) {
      const self = this.#self !== undefined && pod.metadata.uid === this.#self;
      return { belongs: self, current: self };
    }
    const belongs = this.#owners.has(owner);
    return {
      belongs,
      current: this.#current === ALL_PODS || (this.#current !== undefined && revision === this.#current),
    };
  };

  /** The resource is its own and only pod (a Pod). */
  get self(): boolean {
    return this.#strategy.self === true;
  }

  /** A pod of the Pod watch changed. */
  observe({ type, object: pod }: WatchEvent): PodOutput[] {
    if (!this.#strategy.self && mayConcern(pod, this.#revisions.name)) this.#apply(type, pod);
    return this.#take();
  }

  /** The resource itself changed; for a Pod, it is its own pod. */
  observeSelf(resource: KubeObject): PodOutput[] {
    if (this.#strategy.self) {
      this.#self = resource.metadata.uid;
      this.#apply('MODIFIED', resource);
    }
    return this.#take();
  }

  /** What the call under way asked for, handed over. */
  #take(): PodOutput[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #apply(type: WatchEvent['type'], pod: KubeObject): void {
    if (type === 'DELETED') {
      this.#gone(pod.metadata.name ?? '');
      return;
    }
    const { entry, before } = this.#book.upsert(pod, this.#classify);
    this.#standingChanged(entry, before);
  }

  /** A pod changed, or its standing did: announced and judged, or only judged while quiet. */
  #standingChanged(entry: PodEntry, before: Standing): void {
    if (this.#announcing) this.#announce(entry, before);
    else if (entry.belongs) this.#judge(entry, false);
    else if (before.belongs) this.#tally.delete(podSource(entry.name));
  }

  #gone(name: string): void {
    const entry = this.#book.remove(name);
    if (!entry) return;
    this.#tally.delete(podSource(name));
    if (!entry.belongs || entry.announced === undefined) return;
    this.#emit(this.#podEvent(entry, 'deleted'));
    this.#out.push({ type: 'unfollow', pod: name });
  }

  /**
   * Takes the owners and current revision the strategy gives now and
   * classifies again the pods they concern: those whose standing changed
   * are announced (only judged, while quiet).
   */
  setStanding(): PodOutput[] {
    const owners = this.#revisions.owners();
    const current = this.#revisions.current();
    const ownersMoved = [...owners]
      .filter((o) => !this.#owners.has(o))
      .concat([...this.#owners].filter((o) => !owners.has(o)));
    const currentMoved = current !== this.#current;
    if (ownersMoved.length === 0 && !currentMoved) return [];
    const all = currentMoved && (current === ALL_PODS || this.#current === ALL_PODS);
    const revisions = currentMoved
      ? [this.#current, current].filter((r): r is string => typeof r === 'string')
      : [];
    this.#owners = owners;
    this.#current = current;
    for (const { entry, before } of this.#book.reclassify(
      { owners: ownersMoved, revisions, all },
      this.#classify,
    ))
      this.#standingChanged(entry, before);
    return this.#take();
  }

  /**
   * Announces every pod of the resource (at the resource's first sight),
   * with the problems {@link setStanding} found: they are judged already.
   */
  announceAll(): PodOutput[] {
    this.#announcing = true;
    for (const entry of this.#book.belonging())
      this.#announce(entry, { belongs: false, current: false }, true);
    return this.#take();
  }

  /** The resource's pods, as they are now. */
  pods(): KubeObject[] {
    return [...this.#book.belonging()].map((entry) => entry.pod);
  }

  /** A Warning Event about one of the pods came: its problems may have changed. */
  eventChanged(entry: PodEntry): PodOutput[] {
    if (entry.current) this.#judge(entry, this.#announcing);
    return this.#take();
  }

  /** A pod by uid; by name only for what carries no uid (a pod of the same name may be a new one). */
  find(uid: string | undefined, name: string | undefined): PodEntry | undefined {
    if (uid) return this.#book.byUid(uid);
    return name === undefined ? undefined : this.#book.byName(name);
  }

  /** A Warning Event about the resource or its ReplicaSets, as a problem of the resource. */
  classifyEvent(event: KubeObject): Problem | undefined {
    return classifyEvent(event, this.#context.context());
  }

  /**
   * The containers of current pods whose last lines a failure report
   * needs — failing, crashed or exited with an error (with `anyCurrent`,
   * when the current pods show no problem at all, every container of
   * theirs) — and where to read
   * them: a restarted container's previous instance first.
   */
  failingContainers(
    max: number,
    anyCurrent = false,
  ): { pod: string; container: string; sources: ('previous' | 'current')[] }[] {
    const found: { pod: string; container: string; sources: ('previous' | 'current')[] }[] = [];
    for (const entry of this.#book.current()) {
      const failing = new Set(entry.problems.map((p) => p.container).filter((c) => c !== undefined));
      const restartable =
        (entry.pod.spec as { restartPolicy?: string } | undefined)?.restartPolicy !== 'Never';
      for (const status of containerStatuses(entry.pod)) {
        if (found.length >= max) return found;
        if (this.#logs && !this.#logs.wanted(status.name)) continue;
        const restarted = (status.restartCount ?? 0) > 0;
        const exited = (status.state?.terminated?.exitCode ?? 0) !== 0;
        if (!failing.has(status.name) && !restarted && !exited) continue;
        found.push({
          pod: entry.name,
          container: status.name,
          sources: sourcesOf(restarted, exited, restartable),
        });
      }
    }
    const lookWell = ![...this.#book.current()].some((entry) => entry.problems.length > 0);
    return found.length > 0 || !anyCurrent || !lookWell ? found : this.#currentContainers(max);
  }

  /**
   * Every container of the current pods: the resource failed while its pods
   * look well here (a Job's status can come before its pod's exit, on
   * another watch), and their last lines still say why.
   */
  #currentContainers(max: number): { pod: string; container: string; sources: 'current'[] }[] {
    const found: { pod: string; container: string; sources: 'current'[] }[] = [];
    for (const entry of this.#book.current())
      for (const container of containersOf(entry.pod)) {
        if (found.length >= max) return found;
        if (!this.#logs || this.#logs.wanted(container))
          found.push({ pod: entry.name, container, sources: ['current'] });
      }
    return found;
  }

  /** Says what changed about a pod, follows its logs, and judges it if it is current (unless `judged`). */
  #announce(entry: PodEntry, before: Standing, judged = false): void {
    if (!entry.belongs) {
      if (before.belongs) this.#tally.delete(podSource(entry.name));
      return;
    }
    const phase = phaseOf(entry.pod);
    if (entry.announced === undefined) {
      entry.announced = phase;
      entry.readySaid = isReady(entry.pod);
      this.#emit(this.#podEvent(entry, 'added'));
      // Its Events may have come first (the watches are independent): they are the resource's now.
      this.#out.push({ type: 'flush-events', object: { kind: 'Pod', name: entry.name, uid: entry.uid } });
    } else if (entry.announced !== phase) {
      entry.announced = phase;
      this.#emit(this.#podEvent(entry, 'phase'));
    }
    if (!entry.readySaid && isReady(entry.pod)) {
      entry.readySaid = true;
      this.#emit(this.#podEvent(entry, 'ready'));
    }
    // Current pods: followed from their start (from the track's, when they ran before it). Pods of
    // an old revision: from now until they go.
    const since = this.#context.since;
    this.#out.push(...(this.#logs?.update(entry.pod, entry.current ? undefined : since, since) ?? []));
    if (!judged) this.#judge(entry, true);
    else for (const problem of entry.problems) this.#report(entry, problem);
  }

  /** Keeps the tally of a pod's problems (current pods only) and reports new ones. */
  #judge(entry: PodEntry, report: boolean): void {
    const key = podSource(entry.name);
    if (!entry.current) {
      entry.problems = [];
      this.#tally.delete(key);
      return;
    }
    const context = {
      ...this.#context.context(),
      events: this.#context.warnings({ kind: 'Pod', name: entry.name, uid: entry.uid }),
    };
    const own = podStatusProblems(entry.pod, context, this.#strategy.podProblems);
    entry.problems = own;
    this.#tally.set(key, [...own, ...podEventProblems(entry.pod, context, own)]);
    if (report) for (const problem of own) this.#report(entry, problem);
  }

  #report(entry: PodEntry, problem: Problem): void {
    const id = `${problem.container ?? ''}/${problem.reason}/${problem.occurrences}`;
    if (entry.reported.has(id)) return;
    entry.reported.add(id);
    this.#emit({
      type: 'pod-error',
      pod: entry.name,
      ...(problem.container ? { container: problem.container } : {}),
      reason: problem.reason,
      message: problem.message,
      restarts: restartsOf(entry.pod, problem.container),
      failures: problem.occurrences,
      ...(problem.hint ? { hint: problem.hint } : {}),
    });
  }

  #emit(event: TrackEventInit): void {
    this.#out.push({ type: 'emit', event });
  }

  #podEvent(entry: PodEntry, change: 'added' | 'phase' | 'ready' | 'deleted'): TrackEventInit {
    return {
      type: 'pod',
      pod: entry.name,
      change,
      phase: phaseOf(entry.pod),
      containers: containersOf(entry.pod),
      ready: isReady(entry.pod),
      readyContainers: containerStatuses(entry.pod).filter((status) => status.ready).length,
      current: entry.current,
      ...createdOf(entry.pod),
    };
  }
}

/**
 * Where the lines of a failing container's crashed instance are, best first.
 * A container running (or waiting) again after restarts: the previous
 * instance. One that has just exited, for the first time, where the pod
 * restarts containers: the previous instance once it has been restarted,
 * else the current one (a previous one exists only after that restart).
 * After earlier restarts the previous instance may be an older crash: the
 * current one first.
 */
function sourcesOf(restarted: boolean, exited: boolean, restartable: boolean): ('previous' | 'current')[] {
  if (restarted && !exited) return ['previous', 'current'];
  if (exited && restartable) return restarted ? ['current', 'previous'] : ['previous', 'current'];
  return ['current'];
}

/** A container's restart count (0 for a problem of the pod itself). */
function restartsOf(pod: KubeObject, container: string | undefined): number {
  if (container === undefined) return 0;
  return containerStatuses(pod).find((status) => status.name === container)?.restartCount ?? 0;
}

/** A creation time to say, when the object has one. */
export function createdOf(object: KubeObject): { created?: string } {
  const created = object.metadata.creationTimestamp;
  return typeof created === 'string' ? { created } : {};
}

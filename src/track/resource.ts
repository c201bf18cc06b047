import { isDeepStrictEqual } from 'node:util';
import { cancellable } from '../kube/cancellable.js';
import type { KubeClient } from '../kube/client.js';
import { findBuiltinResource, type ResourceType } from '../kube/resources.js';
import type { KubeObject, WatchEvent } from '../kube/types.js';
import type { WatchNotice } from '../kube/watch.js';
import { computeVerdict, podProblems } from '../status/index.js';
import type { Verdict, VerdictOptions } from '../status/types.js';
import { formatMs, TrackTimeoutError } from './errors.js';
import { eventWeight, type ResourceRef, type TrackEvent, type TrackEventInit } from './events.js';
import { type LogOptions, LogTails } from './logs.js';
import { AsyncQueue } from './queue.js';
import { sharedWatches } from './shared-watch.js';

export interface TrackOptions extends VerdictOptions {
  /**
   * `'ready'`: end after `ready` or `failed` (rollout mode); `'never'`: follow
   * until `break`, abort or deletion.
   * @default 'ready'
   */
  until?: 'ready' | 'never';
  /** Ends the track at once; the generator throws the signal's reason. */
  signal?: AbortSignal;
  /** Ends the track with a {@link TrackTimeoutError} carrying the last verdict. */
  timeout?: number;
  /** Clock for verdicts (tests). @default () => new Date() */
  now?: () => Date;
  /** Follow the logs of the pods of the current revision. @default true */
  logs?: boolean | LogOptions;
  /**
   * In rollout mode, fail when nothing at all happens for this long (no
   * status change, pod change, event or log line), saying what was awaited.
   * @default 240000 (4 minutes, as kubedog)
   */
  noActivityTimeout?: number;
}

export interface TrackTarget {
  kind: string;
  name: string;
  /** @default the client's namespace */
  namespace?: string;
}

type Owned = { metadata: { ownerReferences?: { uid: string; controller?: boolean }[] } };

const ownedBy = (object: Owned, uid: string | undefined) =>
  uid !== undefined && (object.metadata.ownerReferences ?? []).some((r) => r.uid === uid && r.controller);

/** How often a tracker judges again without a change (time-based verdicts). */
const REJUDGE_MS = 1000;
/** The revision the deployment controller writes on a Deployment and its ReplicaSets. */
const revisionOf = (o: KubeObject) =>
  Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
const newestRevision = (list: KubeObject[]) =>
  list.reduce<KubeObject | undefined>((a, b) => (!a || revisionOf(b) > revisionOf(a) ? b : a), undefined);

/** A Deployment's or ReplicaSet's pod template without the label the controller adds to tell revisions apart. */
function templateWithoutHash(object: KubeObject): unknown {
  const template = (object.spec as { template?: KubeObject } | undefined)?.template;
  const labels = template?.metadata?.labels;
  if (!template || !labels || !('pod-template-hash' in labels)) return template;
  const { 'pod-template-hash': _hash, ...rest } = labels;
  return { ...template, metadata: { ...template.metadata, labels: rest } };
}

const POD_OWNERS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job']);

/**
 * Tracks one resource: yields `added`, then `status` whenever the verdict
 * changes, `event` for each new Kubernetes Event about it, its ReplicaSets
 * and its pods, and ends with `ready` or `failed` (rollout mode; a deletion is
 * `deleted` then `failed` with reason `Deleted`), or with `deleted` (follow mode).
 * A resource that does not exist yet is waited for. Verdicts are judged on
 * the pods of the current revision (new ReplicaSet, StatefulSet
 * updateRevision), so a failing pod fails the track in seconds.
 *
 * Every watch is shared with the other trackers of the same client; `break`,
 * abort and timeout release them at once.
 */
export function trackResource(
  client: KubeClient,
  target: TrackTarget,
  options: TrackOptions = {},
): AsyncGenerator<TrackEvent> {
  return cancellable((signal) => track(client, target, { ...options, signal }), options.signal);
}

async function* track(
  client: KubeClient,
  target: TrackTarget,
  options: TrackOptions,
): AsyncGenerator<TrackEvent, void, undefined> {
  const { signal } = options;
  signal?.throwIfAborted();
  const type = await client.resolveType(target.kind, { signal });
  const namespace = type.namespaced ? (target.namespace ?? client.namespace) : '';
  const resource: ResourceRef = { kind: type.kind, namespace, name: target.name };
  const now = options.now ?? (() => new Date());
  const until = options.until ?? 'ready';
  const trackingSince = new Date(now().getTime() - 1000);
  const queue = new AsyncQueue<TrackEvent>(1000, eventWeight);
  const stamp = () => now().toISOString();
  let idleTimer: NodeJS.Timeout | undefined;
  const noActivityMs = options.noActivityTimeout ?? 240_000;
  const armIdle = () => {
    clearTimeout(idleTimer);
    if (until !== 'ready' || finished) return;
    idleTimer = setTimeout(() => {
      const waiting = lastVerdict
        ? lastVerdict.message
        : `${resource.kind.toLowerCase()}/${resource.name} to exist`;
      void queue.push({
        time: stamp(),
        resource,
        type: 'failed',
        reason: 'NoActivity',
        message: `nothing happened for ${formatMs(noActivityMs)} while waiting for: ${waiting}`,
        hint: 'raise noActivityTimeout if the rollout is just slow, or look at the last status and events above',
      });
      finish();
    }, noActivityMs);
  };
  const emit = (event: TrackEventInit) => {
    armIdle();
    return queue.push({ time: stamp(), resource, ...event } as TrackEvent);
  };

  let object: KubeObject | undefined;
  let lastVerdict: Verdict | undefined;
  let finished = false;
  const replicaSets = new Map<string, KubeObject>();
  const pods = new Map<string, KubeObject>();
  const events = new Map<string, KubeObject>();
  const seenEvents = new Map<string, number>();

  /**
   * The ReplicaSet of the current revision, as the deployment controller
   * finds it: the one whose pod template is the Deployment's (but for the
   * pod-template-hash label). The ReplicaSets and the Deployment come on
   * different watches, in either order: a ReplicaSet newer than the revision
   * of the Deployment this tracker holds is the current one too (its
   * Deployment update is on the way).
   */
  const currentReplicaSet = () => {
    if (object?.kind !== 'Deployment') return undefined;
    const owned = [...replicaSets.values()].filter((rs) => ownedBy(rs as Owned, object?.metadata.uid));
    const template = templateWithoutHash(object);
    const matching = newestRevision(
      owned.filter((rs) => isDeepStrictEqual(templateWithoutHash(rs), template)),
    );
    if (matching) return matching;
    const newest = newestRevision(owned);
    return newest && revisionOf(newest) > revisionOf(object) ? newest : undefined;
  };
  /** Whether the controller has seen the latest spec; until it has, which revision is current is unknown. */
  const observed = () => {
    const generation = object?.metadata.generation;
    const seen = (object?.status as { observedGeneration?: number } | undefined)?.observedGeneration;
    return generation === undefined || seen === undefined || seen >= generation;
  };
  const currentPods = () => {
    if (!object) return [];
    if (object.kind === 'Pod') return [object];
    // Right after an update the old revision's pods would pass for current: wait for the
    // controller (a Deployment's current ReplicaSet already takes that into account).
    if (object.kind === 'StatefulSet' && !observed()) return [];
    const owner = object.kind === 'Deployment' ? currentReplicaSet()?.metadata.uid : object.metadata.uid;
    const updateRevision =
      object.kind === 'StatefulSet'
        ? (object.status as { updateRevision?: string } | undefined)?.updateRevision
        : undefined;
    return [...pods.values()].filter(
      (pod) =>
        ownedBy(pod as Owned, owner) &&
        (updateRevision === undefined ||
          pod.metadata.labels?.['controller-revision-hash'] === updateRevision),
    );
  };
  /** Uids of the resource, its ReplicaSets and its current pods: the objects whose Events are ours. */
  const related = (current: KubeObject[] = currentPods()) => {
    const uids = new Set<string>();
    if (object?.metadata.uid) uids.add(object.metadata.uid);
    for (const rs of replicaSets.values())
      if (ownedBy(rs as Owned, object?.metadata.uid) && rs.metadata.uid) uids.add(rs.metadata.uid);
    for (const pod of current) if (pod.metadata.uid) uids.add(pod.metadata.uid);
    return uids;
  };

  const judge = async () => {
    if (!object || finished) return;
    // Computed once per judgement: this runs for every change that concerns the resource.
    const current = currentPods();
    const newReplicaSet = currentReplicaSet();
    const uids = related(current);
    const verdict = computeVerdict(object, {
      ...options,
      now: now(),
      trackingSince,
      pods: current,
      events: [...events.values()].filter((e) =>
        uids.has((e.involvedObject as { uid?: string } | undefined)?.uid ?? ''),
      ),
      ...(newReplicaSet ? { newReplicaSet } : {}),
    });
    const first = lastVerdict === undefined;
    const changed =
      first ||
      verdict.state !== lastVerdict?.state ||
      verdict.message !== lastVerdict?.message ||
      JSON.stringify(verdict.progress) !== JSON.stringify(lastVerdict?.progress);
    lastVerdict = verdict;
    if (first) await emit({ type: 'added', ready: verdict.state === 'ready', verdict });
    else if (changed)
      await emit({ type: 'status', verdict, ...(verdict.progress ? { progress: verdict.progress } : {}) });
    if (!changed) return;
    if (verdict.state === 'ready') {
      // A rollout track ends here: first the lines of containers that just started.
      if (until === 'ready') await tails?.settle();
      await emit({ type: 'ready', message: verdict.message });
    }
    if (verdict.state === 'failed') {
      await tails?.lastWords(current);
      await emit({
        type: 'failed',
        reason: verdict.reason,
        message: verdict.message,
        ...(verdict.hint ? { hint: verdict.hint } : {}),
      });
    }
    if (until === 'ready' && verdict.state !== 'progressing') finish();
  };

  const finish = () => {
    finished = true;
    clearTimeout(idleTimer);
    queue.end();
  };
  const fail = (error: unknown) => {
    finished = true;
    clearTimeout(idleTimer);
    queue.fail(error);
  };
  const notice = (n: WatchNotice) => {
    if (n.type === 'reconnecting')
      void emit({
        type: 'notice',
        message: `watch of ${n.resource} interrupted (${n.reason}); reconnecting`,
      });
    if (n.type === 'resumed') void emit({ type: 'notice', message: `watch of ${n.resource} resumed` });
    if (n.type === 'relisted')
      void emit({ type: 'notice', message: `watch of ${n.resource} re-listed after ${n.reason}` });
  };
  const onObject = async ({ type: change, object: changed }: WatchEvent) => {
    if (changed.metadata.name !== target.name || finished) return;
    if (change === 'DELETED') {
      object = undefined;
      await emit({ type: 'deleted' });
      // Waiting for readiness, a deletion means it will never come.
      if (until === 'ready')
        await emit({
          type: 'failed',
          reason: 'Deleted',
          message: `${resource.kind.toLowerCase()}/${resource.name} was deleted before it became ready`,
        });
      finish();
      return;
    }
    const firstSight = object === undefined;
    object = changed;
    await judge();
    // A new revision makes other pods current: follow them and report their errors.
    for (const pod of currentPods()) await announcePod('MODIFIED', pod);
    if (firstSight) {
      // What the shared watches delivered before the resource itself, now that it is known.
      for (const rs of replicaSets.values()) await announceReplicaSet(rs);
      for (const pod of pods.values()) await announcePod('ADDED', pod);
      for (const event of events.values()) await announceEvent(event);
      await judge();
    }
  };
  const announced = new Set<string>();
  const announceReplicaSet = async (rs: KubeObject) => {
    const key = rs.metadata.name ?? '';
    if (announced.has(key) || !object || !ownedBy(rs as Owned, object.metadata.uid) || finished) return;
    announced.add(key);
    await emit({
      type: 'replicaset',
      replicaSet: key,
      new: currentReplicaSet()?.metadata.uid === rs.metadata.uid,
    });
    await announceEventsOf(rs);
    // Its pods may have arrived first (the watches are independent): announce them now.
    for (const pod of pods.values())
      if (ownedBy(pod as Owned, rs.metadata.uid)) await announcePod('ADDED', pod);
  };
  /**
   * Whether an object can be ours, judged by names alone (uids are checked
   * later): the shared watches deliver the whole namespace, and a tracker
   * keeps — and re-judges for — only what may concern it.
   */
  const mayConcern = (candidate: KubeObject) => {
    const name = candidate.metadata.name ?? '';
    if (name === target.name || name.startsWith(`${target.name}-`)) return true;
    return (candidate.metadata.ownerReferences ?? []).some(
      (r) => r.name === target.name || r.name.startsWith(`${target.name}-`),
    );
  };
  const onReplicaSet = async ({ type: change, object: rs }: WatchEvent) => {
    if (!mayConcern(rs)) return;
    if (change === 'DELETED') replicaSets.delete(rs.metadata.name ?? '');
    else {
      replicaSets.set(rs.metadata.name ?? '', rs);
      await announceReplicaSet(rs);
    }
    await judge();
  };
  const belongs = (pod: KubeObject) => {
    if (!object) return false;
    if (object.kind === 'Pod') return pod.metadata.uid === object.metadata.uid;
    if (object.kind !== 'Deployment') return ownedBy(pod as Owned, object.metadata.uid);
    return [...replicaSets.values()].some(
      (rs) => ownedBy(rs as Owned, object?.metadata.uid) && ownedBy(pod as Owned, rs.metadata.uid),
    );
  };
  const phases = new Map<string, string>();
  const reported = new Set<string>();
  const containersOf = (pod: KubeObject) => {
    const spec = pod.spec as
      | { initContainers?: { name: string }[]; containers?: { name: string }[] }
      | undefined;
    return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.name);
  };
  /** Pod discovery: announce pods of the resource, follow the logs and report the errors of current ones. */
  const onPod = async ({ type: change, object: pod }: WatchEvent) => {
    if (!mayConcern(pod)) return;
    if (change === 'DELETED') pods.delete(pod.metadata.name ?? '');
    else pods.set(pod.metadata.name ?? '', pod);
    await announcePod(change, pod);
    await judge();
  };
  const announcePod = async (change: WatchEvent['type'], pod: KubeObject) => {
    const key = pod.metadata.name ?? '';
    if (!finished && belongs(pod)) {
      const phase = (pod.status as { phase?: string } | undefined)?.phase ?? 'Pending';
      const current = currentPods().some((p) => p.metadata.uid === pod.metadata.uid);
      const before = phases.get(key);
      const podEvent = { type: 'pod' as const, pod: key, phase, containers: containersOf(pod), current };
      if (change === 'DELETED') {
        phases.delete(key);
        await emit({ ...podEvent, change: 'deleted' });
      } else if (before === undefined) {
        phases.set(key, phase);
        await emit({ ...podEvent, change: 'added' });
        // Its Events may have come first (the watches are independent): they are its now.
        await announceEventsOf(pod);
      } else if (before !== phase) {
        phases.set(key, phase);
        await emit({ ...podEvent, change: 'phase' });
      }
      // Current pods: followed from their start, their problems reported. Pods of an
      // old revision: followed from now until they go (their shutdown), never judged.
      if (change !== 'DELETED') tails?.update(pod, current ? {} : { from: trackingSince });
      if (change !== 'DELETED' && current) await reportProblems(pod);
    }
  };
  const reportProblems = async (pod: KubeObject) => {
    for (const problem of podProblems(pod, { ...options, now: now(), trackingSince })) {
      const id = `${pod.metadata.name}/${problem.container ?? ''}/${problem.reason}/${problem.occurrences}`;
      if (reported.has(id)) continue;
      reported.add(id);
      await emit({
        type: 'pod-error',
        pod: pod.metadata.name ?? '',
        ...(problem.container ? { container: problem.container } : {}),
        reason: problem.reason,
        message: problem.message,
        restarts: problem.occurrences,
        ...(problem.hint ? { hint: problem.hint } : {}),
      });
    }
  };
  const onEvent = async ({ type: change, object: event }: WatchEvent) => {
    const involved = event.involvedObject as { name?: string; uid?: string } | undefined;
    const name = involved?.name ?? '';
    // Pod names of long-named owners are truncated: the uid decides for those.
    const concerns =
      name === target.name || name.startsWith(`${target.name}-`) || related().has(involved?.uid ?? '');
    if (change === 'DELETED' || finished || !concerns) return;
    events.set(event.metadata.uid ?? '', event);
    await announceEvent(event);
    await judge();
  };
  /** The Events kept so far about an object that has just become known as ours. */
  const announceEventsOf = async (owner: KubeObject) => {
    const uid = owner.metadata.uid;
    for (const event of events.values())
      if ((event.involvedObject as { uid?: string } | undefined)?.uid === uid) await announceEvent(event);
  };
  /** Emits a Kubernetes Event once per new occurrence, when it is about the resource, its ReplicaSets or pods. */
  const announceEvent = async (event: KubeObject) => {
    // Events can arrive before the resource itself: they wait for it (first sight replays them).
    if (!object || finished) return;
    const uid = event.metadata.uid ?? '';
    const involved = event.involvedObject as { kind?: string; name?: string; uid?: string } | undefined;
    const last = Date.parse(
      String(event.lastTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp ?? ''),
    );
    const count = Number(event.count ?? 1);
    const mine =
      related().has(involved?.uid ?? '') ||
      (involved?.kind === resource.kind && involved?.name === resource.name);
    if (!mine || last < trackingSince.getTime() || (seenEvents.get(uid) ?? 0) >= count) return;
    seenEvents.set(uid, count);
    await emit({
      type: 'event',
      eventType: String(event.type ?? 'Normal'),
      reason: String(event.reason ?? ''),
      message: String(event.message ?? ''),
      involvedObject: `${involved?.kind ?? ''}/${involved?.name ?? ''}`,
      count,
    });
  };

  const logOptions =
    options.logs === false
      ? undefined
      : options.logs === true || options.logs === undefined
        ? {}
        : options.logs;
  const tails = logOptions ? new LogTails(client, namespace, emit, logOptions) : undefined;
  const watches = sharedWatches(client);
  const listener = (event: (e: WatchEvent) => Promise<void>) => ({ event, notice, error: fail });
  const builtin = (kind: string) => findBuiltinResource(kind) as ResourceType;
  const unsubscribes = [watches.subscribe(type, namespace, listener(onObject))];
  if (POD_OWNERS.has(type.kind) || type.kind === 'Pod') {
    unsubscribes.push(watches.subscribe(builtin('Pod'), namespace, listener(onPod)));
  }
  // Events of cluster-scoped objects live in "default".
  unsubscribes.push(watches.subscribe(builtin('Event'), namespace || 'default', listener(onEvent)));
  if (type.kind === 'Deployment') {
    unsubscribes.push(watches.subscribe(builtin('ReplicaSet'), namespace, listener(onReplicaSet)));
  }

  const timer =
    options.timeout !== undefined
      ? setTimeout(
          () => fail(new TrackTimeoutError(resource, options.timeout ?? 0, lastVerdict)),
          options.timeout,
        )
      : undefined;
  const onAbort = () => fail(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  armIdle();
  // Some verdicts change with time alone (an unschedulable pod's grace runs out): judge again now and then.
  const rejudge = setInterval(() => void judge().catch(fail), REJUDGE_MS);
  try {
    for (;;) {
      const next = await queue.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    clearTimeout(timer);
    clearTimeout(idleTimer);
    clearInterval(rejudge);
    signal?.removeEventListener('abort', onAbort);
    for (const unsubscribe of unsubscribes) unsubscribe();
    tails?.stop();
  }
}

/** A tracker of one kind: {@link trackResource} with the kind filled in. */
export type KindTracker = (
  client: KubeClient,
  target: Omit<TrackTarget, 'kind'>,
  options?: TrackOptions,
) => AsyncGenerator<TrackEvent>;

const trackerFor =
  (kind: string): KindTracker =>
  (client, target, options) =>
    trackResource(client, { ...target, kind }, options);

export const trackDeployment = trackerFor('Deployment');
export const trackStatefulSet = trackerFor('StatefulSet');
export const trackDaemonSet = trackerFor('DaemonSet');
export const trackReplicaSet = trackerFor('ReplicaSet');
export const trackJob = trackerFor('Job');
export const trackPod = trackerFor('Pod');
export const trackService = trackerFor('Service');
export const trackIngress = trackerFor('Ingress');
export const trackPersistentVolumeClaim = trackerFor('PersistentVolumeClaim');

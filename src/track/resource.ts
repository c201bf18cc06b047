import { cancellable } from '../kube/cancellable.js';
import { driveTrack, type TrackOptions, type TrackTarget } from './driver.js';
import type { TrackEvent } from './events.js';
import type { TrackSource } from './sources.js';

export type { TrackOptions, TrackTarget } from './driver.js';

/**
 * Tracks one resource: yields `added`, then `status` whenever the verdict
 * changes, `event` for each new Kubernetes Event about it, its ReplicaSets
 * and its pods, `pod` and `pod-error` as its pods come, change and fail,
 * `log` lines of its pods, and ends with `ready` or `failed` (a rollout; a
 * deletion is `deleted` then `failed` with reason `Deleted`, the timeout
 * `failed` with reason `Timeout`), or with `deleted` (following). A resource
 * that does not exist yet is waited for. Verdicts are judged on the pods of
 * the current revision (the new ReplicaSet, the StatefulSet's update
 * revision), so a failing pod fails the track in seconds; `failed` carries
 * a report (Warning Events, the failing containers' last log lines).
 *
 * Every watch is shared with the other trackers of the same source; `break`,
 * abort and timeout release them at once. An abort of `signal` makes the
 * iteration throw the signal's reason.
 *
 * @example
 * for await (const event of trackResource(client, { kind: 'deploy', name: 'web' }, { timeout: 300_000 }))
 *   if (event.type === 'failed') console.error(`${event.reason}: ${event.message}`);
 */
export function trackResource(
  source: TrackSource,
  target: TrackTarget,
  options: TrackOptions = {},
): AsyncGenerator<TrackEvent> {
  return cancellable((signal) => driveTrack(source, target, { ...options, signal }), options.signal);
}

/** A tracker of one kind: {@link trackResource} with the kind filled in. */
export type KindTracker = (
  source: TrackSource,
  target: Omit<TrackTarget, 'kind'>,
  options?: TrackOptions,
) => AsyncGenerator<TrackEvent>;

const trackerFor =
  (kind: string): KindTracker =>
  (source, target, options) =>
    trackResource(source, { ...target, kind }, options);

export const trackDeployment = trackerFor('Deployment');
export const trackStatefulSet = trackerFor('StatefulSet');
export const trackDaemonSet = trackerFor('DaemonSet');
export const trackReplicaSet = trackerFor('ReplicaSet');
export const trackJob = trackerFor('Job');
export const trackPod = trackerFor('Pod');
export const trackService = trackerFor('Service');
export const trackIngress = trackerFor('Ingress');
export const trackPersistentVolumeClaim = trackerFor('PersistentVolumeClaim');

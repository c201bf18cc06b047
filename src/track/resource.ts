import { cancellable } from '../kube/cancellable.js';
import { checked, checkSource, checkTarget, checkTrackOptions, failing } from './arguments.js';
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
 * `source` is a `KubeClient` (or any {@link TrackSource}); `target.kind` is
 * any kubectl spelling (`deploy`, `deployments.apps`, a custom resource's
 * `Certificate.cert-manager.io`); `target.namespace` defaults to the
 * client's. Options, all optional: `timeout` (milliseconds), `until`,
 * `logs`, `signal`, `noActivityTimeout`, `rules` and the verdict options —
 * see {@link TrackOptions}.
 *
 * @throws {InvalidInputError} an argument that is not what it says (from the
 * first `next()`, naming it and what is allowed), or a kind the server does not serve
 * @throws {KubeApiError} what the server refused (a 403 on the watch of the resource)
 * @example
 * import { trackResource } from 'kubedog';
 *
 * for await (const event of trackResource(client, { kind: 'deploy', name: 'web' }, { timeout: 300_000 })) {
 *   if (event.type === 'ready') console.log(`ready: ${event.message}`);
 *   if (event.type === 'failed') console.error(`${event.reason}: ${event.message}`, event.report.logs);
 * }
 * // prints: ready: deployment "web" successfully rolled out
 */
export function trackResource(
  source: TrackSource,
  target: TrackTarget,
  options: TrackOptions = {},
): AsyncGenerator<TrackEvent> {
  const wrong = checked(() => {
    checkSource(source);
    checkTarget(target);
    checkTrackOptions(options);
  });
  if (wrong) return failing(wrong);
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

/**
 * Tracks a Deployment: ready when every replica of the new ReplicaSet is
 * updated and available (as `kubectl rollout status`), failed on the new
 * pods' failures, the progress deadline, or a failed ReplicaSet.
 * {@link trackResource} with the kind filled in.
 * @example
 * import { trackDeployment } from 'kubedog';
 *
 * for await (const event of trackDeployment(client, { name: 'web', namespace: 'default' }, { timeout: 300_000 })) {
 *   if (event.type === 'pod-error') console.log(`${event.pod}: ${event.reason}`);
 *   if (event.type === 'ready' || event.type === 'failed') console.log(event.type, event.message);
 * }
 * // prints: ready deployment "web" successfully rolled out
 */
export const trackDeployment = trackerFor('Deployment');

/**
 * Tracks a StatefulSet: ready when every replica runs the update revision
 * and is ready (`OnDelete`: when the pods are ready).
 * {@link trackResource} with the kind filled in.
 * @example
 * import { trackStatefulSet } from 'kubedog';
 *
 * for await (const event of trackStatefulSet(client, { name: 'db' }, { timeout: 600_000 }))
 *   if (event.type === 'ready') console.log(event.message);
 * // prints: statefulset rolling update complete 1 pods at revision …
 */
export const trackStatefulSet = trackerFor('StatefulSet');

/**
 * Tracks a DaemonSet: ready when its pod of the newest revision is available
 * on every node that should run one.
 * {@link trackResource} with the kind filled in.
 * @example
 * import { trackDaemonSet } from 'kubedog';
 *
 * for await (const event of trackDaemonSet(client, { name: 'agent' }, { logs: false }))
 *   if (event.type === 'ready') console.log(event.message);
 * // prints: daemon set "agent" successfully rolled out
 */
export const trackDaemonSet = trackerFor('DaemonSet');

/**
 * Tracks a ReplicaSet of its own (not one a Deployment manages): ready when
 * its replicas are ready.
 * {@link trackResource} with the kind filled in.
 * @example
 * import { trackReplicaSet } from 'kubedog';
 *
 * for await (const event of trackReplicaSet(client, { name: 'cache' }))
 *   if (event.type === 'ready') console.log('cache is ready');
 * // prints: cache is ready
 */
export const trackReplicaSet = trackerFor('ReplicaSet');

/**
 * Tracks a Job: ready when it completes, failed when it fails (backoff limit,
 * deadline, pod failure policy); its pods' logs come as `log` events.
 * {@link trackResource} with the kind filled in.
 * @example
 * import { trackJob } from 'kubedog';
 *
 * for await (const event of trackJob(client, { name: 'migrate' }, { timeout: 600_000 })) {
 *   if (event.type === 'log') for (const line of event.lines) console.log(`${event.pod} | ${line}`);
 *   if (event.type === 'ready') console.log(event.message);
 *   if (event.type === 'failed') process.exitCode = 1;
 * }
 * // prints: job "migrate" completed: 1 succeeded
 */
export const trackJob = trackerFor('Job');

/**
 * Tracks a bare Pod: ready when its containers are, failed on its
 * containers' failures or when it ends `Failed`.
 * {@link trackResource} with the kind filled in.
 * @example
 * import { trackPod } from 'kubedog';
 *
 * for await (const event of trackPod(client, { name: 'web-0' }, { timeout: 60_000 }))
 *   if (event.type === 'ready') console.log('pod ready');
 * // prints: pod ready
 */
export const trackPod = trackerFor('Pod');

/**
 * Tracks a Service: a `LoadBalancer` is ready once it has an address; other
 * types once they exist.
 * {@link trackResource} with the kind filled in.
 * @example
 * import { trackService } from 'kubedog';
 *
 * for await (const event of trackService(client, { name: 'web' }, { timeout: 300_000 }))
 *   if (event.type === 'ready') console.log('service ready');
 * // prints: service ready
 */
export const trackService = trackerFor('Service');

/**
 * Tracks an Ingress: ready once its controller has given it an address.
 * {@link trackResource} with the kind filled in.
 * @example
 * import { trackIngress } from 'kubedog';
 *
 * for await (const event of trackIngress(client, { name: 'web' }, { timeout: 300_000 }))
 *   if (event.type === 'ready') console.log('ingress ready');
 * // prints: ingress ready
 */
export const trackIngress = trackerFor('Ingress');

/**
 * Tracks a PersistentVolumeClaim: ready once `Bound`, failed when `Lost`.
 * {@link trackResource} with the kind filled in.
 * @example
 * import { trackPersistentVolumeClaim } from 'kubedog';
 *
 * for await (const event of trackPersistentVolumeClaim(client, { name: 'data' }, { timeout: 120_000 }))
 *   if (event.type === 'ready') console.log('claim bound');
 * // prints: claim bound
 */
export const trackPersistentVolumeClaim = trackerFor('PersistentVolumeClaim');

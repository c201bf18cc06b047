import type { KubeClient } from '../kube/client.js';
import { BUILTIN_RESOURCES, groupOf } from '../kube/resources.js';
import type { KubeObject } from '../kube/types.js';
import { RULES } from '../status/index.js';
import { eventWeight, type ResourceRef, type TrackEvent } from './events.js';
import { AsyncQueue } from './queue.js';
import { type TrackOptions, type TrackTarget, trackResource } from './resource.js';

/** What to do when a resource fails. */
export type FailMode = 'fail-whole-deploy' | 'ignore' | 'hope-until-end';

export interface MultitrackSpec extends TrackTarget {
  /** @default 'fail-whole-deploy' */
  failMode?: FailMode;
  /** `non-blocking`: tracked and shown, but not waited for. @default 'wait-until-ready' */
  trackTerminationMode?: 'wait-until-ready' | 'non-blocking';
  failuresAllowedPerReplica?: number;
  skipLogs?: boolean;
  /** Follow only these containers' logs. */
  showLogsOnlyForContainers?: string[];
  /** Do not follow these containers' logs. */
  skipLogsForContainers?: string[];
  /** Only log lines matching this. */
  logRegex?: RegExp;
  noActivityTimeout?: number;
}

/** The last event of a multitrack: how every resource ended. */
export interface MultitrackSummary {
  ready: ResourceRef[];
  failed: (ResourceRef & { reason: string; message: string })[];
  /** Still progressing when the track ended (a fatal failure elsewhere, or non-blocking). */
  pending: ResourceRef[];
}

export type MultitrackEvent = TrackEvent | { type: 'summary'; time: string; summary: MultitrackSummary };

const ANNOTATION_PREFIXES = ['kubedog.io/', 'werf.io/'];

/**
 * Reads a spec from an object and its `kubedog.io/*` annotations (the same
 * keys under `werf.io/` work too, so charts written for werf work unchanged).
 */
export function specFromObject(object: KubeObject, defaultNamespace?: string): MultitrackSpec {
  const annotation = (key: string) => {
    for (const prefix of ANNOTATION_PREFIXES) {
      const value = object.metadata.annotations?.[`${prefix}${key}`];
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const list = (value: string | undefined) =>
    value
      ? value
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean)
      : undefined;
  const spec: MultitrackSpec = {
    kind: object.kind ?? '',
    name: object.metadata.name ?? '',
    ...((object.metadata.namespace ?? defaultNamespace)
      ? { namespace: object.metadata.namespace ?? defaultNamespace }
      : {}),
  };
  const failMode = annotation('fail-mode');
  if (failMode === 'fail-whole-deploy' || failMode === 'ignore' || failMode === 'hope-until-end')
    spec.failMode = failMode;
  const termination = annotation('track-termination-mode');
  if (termination === 'wait-until-ready' || termination === 'non-blocking')
    spec.trackTerminationMode = termination;
  const allowed = annotation('failures-allowed-per-replica');
  if (allowed !== undefined && /^\d+$/.test(allowed)) spec.failuresAllowedPerReplica = Number(allowed);
  if (annotation('skip-logs') === 'true') spec.skipLogs = true;
  const only = list(annotation('show-logs-only-for-containers'));
  if (only) spec.showLogsOnlyForContainers = only;
  const skip = list(annotation('skip-logs-for-containers'));
  if (skip) spec.skipLogsForContainers = skip;
  const regex = annotation('log-regex');
  if (regex) spec.logRegex = new RegExp(regex);
  const idle = annotation('no-activity-timeout');
  if (idle && /^\d+$/.test(idle)) spec.noActivityTimeout = Number(idle) * 1000;
  return spec;
}

/** Kinds `--all` and `-l` pick up: what can become ready or fail. */
export const TRACKABLE_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'Service',
  'Ingress',
  'PersistentVolumeClaim',
] as const;

/** Kubernetes' own API groups: the rest belong to custom resources. */
const isKubernetesGroup = (group: string) =>
  BUILTIN_GROUPS.has(group) ||
  group.endsWith('.k8s.io') ||
  ['policy', 'autoscaling', 'extensions'].includes(group);
const BUILTIN_GROUPS = new Set(BUILTIN_RESOURCES.map((t) => t.group));

/**
 * Whether an object from a manifest is worth tracking: a kind with a
 * readiness rule (workloads, Service, Ingress, PVC, CRD, known custom
 * resources), or any custom resource (judged by its conditions). ConfigMaps,
 * Secrets, RBAC and the like are ready once they exist, so they are skipped.
 */
export function isTrackable(object: KubeObject): boolean {
  const group = groupOf(object);
  return RULES[`${group}/${object.kind ?? ''}`] !== undefined || !isKubernetesGroup(group);
}

/**
 * The spec of an object from a manifest; a custom resource's kind carries
 * its group (`Certificate.cert-manager.io`) so discovery finds the right one.
 */
export function specFromManifest(object: KubeObject, defaultNamespace?: string): MultitrackSpec {
  const spec = specFromObject(object, defaultNamespace);
  const group = groupOf(object);
  if (!isKubernetesGroup(group)) spec.kind = `${spec.kind}.${group}`;
  return spec;
}

/**
 * Specs for every trackable resource in a namespace (`''`: all namespaces),
 * optionally only those matching a label selector, with their annotations.
 */
export async function specsFromCluster(
  client: KubeClient,
  options: { namespace?: string; labelSelector?: string; signal?: AbortSignal } = {},
): Promise<MultitrackSpec[]> {
  const lists = await Promise.all(
    TRACKABLE_KINDS.map((kind) =>
      client.list(kind, {
        ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
        ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}),
        signal: options.signal,
      }),
    ),
  );
  return lists.flatMap((list, i) =>
    list.items.map((object) => specFromObject({ ...object, kind: TRACKABLE_KINDS[i] })),
  );
}

/**
 * Tracks many resources at once and merges their streams. In rollout mode
 * (`until: 'ready'`, the default) it ends when every blocking resource is
 * ready (or failed without fail-whole-deploy), or at the first failure of a
 * fail-whole-deploy resource — closing every stream — with a `summary` event
 * last. In follow mode (`until: 'never'`) failures end nothing: it ends when
 * every resource was deleted, or on `break` or abort.
 */
export async function* multitrack(
  client: KubeClient,
  specs: MultitrackSpec[],
  options: TrackOptions = {},
): AsyncGenerator<MultitrackEvent, void, undefined> {
  const follow = options.until === 'never';
  const controller = new AbortController();
  const queue = new AsyncQueue<MultitrackEvent>(1000, eventWeight);
  // The runs end quietly when aborted; the merged stream ends with the abort's reason.
  const onAbort = () => {
    controller.abort(options.signal?.reason);
    queue.fail(options.signal?.reason);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const summary: MultitrackSummary = { ready: [], failed: [], pending: [] };
  const blocking = new Set<number>();
  const states = new Map<number, 'pending' | 'ready' | 'failed'>();
  const ended = new Set<number>();
  let fatal = false;

  const done = () => {
    summary.pending = specs
      .filter((_, i) => states.get(i) === 'pending')
      .map((s) => ({ kind: s.kind, namespace: s.namespace ?? client.namespace, name: s.name }));
    void queue.push({ type: 'summary', time: new Date().toISOString(), summary });
    queue.end();
    controller.abort();
  };

  const runs = specs.map(async (spec, index) => {
    const mode = spec.failMode ?? 'fail-whole-deploy';
    if ((spec.trackTerminationMode ?? 'wait-until-ready') === 'wait-until-ready') blocking.add(index);
    states.set(index, 'pending');
    // The spec's log settings refine the options' (`logs: false` turns logs off for all).
    const logs =
      spec.skipLogs || options.logs === false
        ? false
        : {
            ...(typeof options.logs === 'object' ? options.logs : {}),
            ...(spec.showLogsOnlyForContainers ? { containers: spec.showLogsOnlyForContainers } : {}),
            ...(spec.skipLogsForContainers ? { excludeContainers: spec.skipLogsForContainers } : {}),
            ...(spec.logRegex ? { include: spec.logRegex } : {}),
          };
    try {
      for await (const event of trackResource(client, spec, {
        ...options,
        signal: controller.signal,
        // hope-until-end: a failure may still turn into ready; keep watching.
        until: follow || mode === 'hope-until-end' ? 'never' : 'ready',
        logs,
        ...(spec.failuresAllowedPerReplica !== undefined
          ? { failuresAllowedPerReplica: spec.failuresAllowedPerReplica }
          : {}),
        ...(spec.noActivityTimeout !== undefined ? { noActivityTimeout: spec.noActivityTimeout } : {}),
      })) {
        await queue.push(event);
        if (follow) continue;
        if (event.type === 'ready') {
          states.set(index, 'ready');
          summary.ready.push(event.resource);
          if (mode === 'hope-until-end') break;
        }
        if (event.type === 'failed' && mode !== 'hope-until-end') {
          states.set(index, 'failed');
          summary.failed.push({ ...event.resource, reason: event.reason, message: event.message });
          if (mode === 'fail-whole-deploy') fatal = true;
        }
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      queue.fail(error);
      controller.abort();
      return;
    }
    ended.add(index);
    const settled = follow
      ? ended.size === specs.length
      : [...blocking].every((i) => states.get(i) !== 'pending');
    if (fatal || settled) done();
  });
  if (specs.length === 0) done();
  try {
    for (;;) {
      const next = await queue.next();
      if (next.done) break;
      yield next.value;
    }
    await Promise.allSettled(runs);
  } finally {
    controller.abort();
    options.signal?.removeEventListener('abort', onAbort);
  }
  options.signal?.throwIfAborted();
}

import { findBuiltinResource, type ResourceType } from '../../kube/resources.js';
import type { KubeObject, OwnerReference } from '../../kube/types.js';
import type { Clock } from '../clock.js';
import type { LogStore } from '../log-store.js';
import { type Random, templateHash } from '../random.js';
import type { ObjectStore } from '../store.js';
import type { Behaviours } from './behaviour.js';
import type { EventRecorder } from './events.js';

/** What every simulated controller works with. */
export interface Runtime {
  store: ObjectStore;
  logs: LogStore;
  clock: Clock;
  random: Random;
  events: EventRecorder;
  behaviours: Behaviours;
  /** Asks for `Kind/namespace/name` to be reconciled soon. */
  enqueue(key: string): void;
  /**
   * Deletes a pod gracefully, as the API server does: it gets a
   * deletionTimestamp, its node stops the containers, then it goes away.
   */
  deletePod(namespace: string, name: string): KubeObject | undefined;
}

/** Label that names a pod's template revision (StatefulSet, DaemonSet). */
export const REVISION_LABEL = 'controller-revision-hash';

/** A workload's pod template (spec.template), never undefined. */
export function podTemplate(owner: KubeObject): KubeObject {
  return (get(owner, 'spec', 'template') as KubeObject | undefined) ?? { metadata: {} };
}

/**
 * The hash that names a template revision: pod-template-hash,
 * controller-revision-hash. Of the spec and, when there are any, the
 * template's annotations: a new one (`kubectl rollout restart`) is a new
 * revision, as in Kubernetes (whose hash covers the labels too).
 */
export function revisionHash(template: KubeObject): string {
  const annotations = template.metadata?.annotations;
  const spec = get(template, 'spec') ?? {};
  return templateHash(annotations ? { annotations, spec } : spec).slice(0, 10);
}

export function typeOf(kind: string): ResourceType {
  const type = findBuiltinResource(kind);
  if (!type) throw new Error(`unknown kind ${kind}`);
  return type;
}

/** The clock's time (plus `laterMs`) in RFC 3339 with second precision, as metav1.Time serializes. */
export function timestamp(clock: Clock, laterMs = 0): string {
  return new Date(clock.now() + laterMs).toISOString().replace(/\.\d+Z$/, 'Z');
}

export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? '',
    kind: owner.kind ?? '',
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Objects of `kind` in `namespace` whose controller is `owner`. */
export function owned(runtime: Runtime, kind: string, owner: KubeObject): KubeObject[] {
  return runtime.store
    .listOwned(typeOf(kind), owner.metadata.uid ?? '')
    .filter((o) => o.metadata.namespace === owner.metadata.namespace);
}

/** Reads any field of a loosely typed object. */
export function get(object: unknown, ...path: string[]): unknown {
  let current = object;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export const num = (object: unknown, ...path: string[]) => {
  const value = get(object, ...path);
  return typeof value === 'number' ? value : undefined;
};

export const str = (object: unknown, ...path: string[]) => {
  const value = get(object, ...path);
  return typeof value === 'string' ? value : undefined;
};

/** Pod readiness from its Ready condition. */
export function podReady(pod: KubeObject): boolean {
  const conditions = get(pod, 'status', 'conditions');
  return Array.isArray(conditions) && conditions.some((c) => c?.type === 'Ready' && c?.status === 'True');
}

/** Ready for at least minReadySeconds: what controllers call available. */
export function podAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  const conditions = get(pod, 'status', 'conditions');
  const readyCondition = Array.isArray(conditions)
    ? conditions.find((c) => c?.type === 'Ready' && c?.status === 'True')
    : undefined;
  if (!readyCondition) return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(readyCondition.lastTransitionTime ?? '');
  return Number.isNaN(since) || now - since >= minReadySeconds * 1000;
}

export const isTerminal = (pod: KubeObject) =>
  ['Succeeded', 'Failed'].includes(str(pod, 'status', 'phase') ?? '');

/** Resolves an int-or-percent (maxSurge, maxUnavailable) against a total, rounding up or down. */
export function intOrPercent(value: unknown, total: number, fallback: string, roundUp: boolean): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v));
  if (!m) return Number(v) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** Sets (or updates) a condition, keeping lastTransitionTime when the status does not change. */
export function setCondition(
  conditions: Record<string, unknown>[],
  next: { type: string; status: string; reason?: string; message?: string },
  now: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown>[] {
  const existing = conditions.find((c) => c.type === next.type);
  const wanted: Record<string, unknown> = { reason: undefined, message: undefined, ...next, ...extra };
  if (existing && Object.entries(wanted).every(([key, value]) => existing[key] === value)) return conditions;
  const transition = existing && existing.status === next.status ? existing.lastTransitionTime : now;
  const updated = { ...next, ...extra, lastTransitionTime: transition };
  return existing ? conditions.map((c) => (c === existing ? updated : c)) : [...conditions, updated];
}

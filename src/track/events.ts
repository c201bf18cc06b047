import type { KubeObject } from '../kube/types.js';
import type { Progress, Verdict } from '../status/types.js';

/** The resource a track event is about. */
export interface ResourceRef {
  kind: string;
  namespace: string;
  name: string;
}

interface Base {
  /** When kubedog saw it (ISO 8601). */
  time: string;
  resource: ResourceRef;
}

/** The resource exists; `ready` says whether it was ready at first sight. */
export interface AddedEvent extends Base {
  type: 'added';
  ready: boolean;
  verdict: Verdict;
}

/** The verdict changed, or its progress moved. */
export interface StatusEvent extends Base {
  type: 'status';
  verdict: Verdict;
  progress?: Progress;
}

export interface ReadyEvent extends Base {
  type: 'ready';
  message: string;
}

export interface FailedEvent extends Base {
  type: 'failed';
  reason: string;
  message: string;
  hint?: string;
}

export interface DeletedEvent extends Base {
  type: 'deleted';
}

/** A Kubernetes Event about the resource (or one of its pods), once per new occurrence. */
export interface KubeEventEvent extends Base {
  type: 'event';
  eventType: 'Normal' | 'Warning' | string;
  reason: string;
  message: string;
  /** The object the Event is about (`Pod/web-7f9c-x`). */
  involvedObject: string;
  count: number;
}

/** A ReplicaSet of a tracked Deployment appeared; `new` when it runs the current template. */
export interface ReplicaSetEvent extends Base {
  type: 'replicaset';
  replicaSet: string;
  new: boolean;
}

/** A pod of the resource appeared, changed phase, or was deleted. */
export interface PodEvent extends Base {
  type: 'pod';
  pod: string;
  change: 'added' | 'phase' | 'deleted';
  phase: string;
  /** Container names, init containers first. */
  containers: string[];
  /** Whether the pod belongs to the current revision. */
  current: boolean;
}

/** A container of a pod is failing (once per pod, container, reason and restart count). */
export interface PodErrorEvent extends Base {
  type: 'pod-error';
  pod: string;
  container?: string;
  reason: string;
  message: string;
  restarts: number;
  hint?: string;
}

/** Log lines from one container. */
export interface LogEvent extends Base {
  type: 'log';
  pod: string;
  container: string;
  lines: string[];
}

/** What the tracker itself did: watch reconnecting/resumed/re-listed, stream caps. */
export interface NoticeEvent extends Base {
  type: 'notice';
  message: string;
}

export type TrackEvent =
  | AddedEvent
  | StatusEvent
  | ReadyEvent
  | FailedEvent
  | DeletedEvent
  | KubeEventEvent
  | ReplicaSetEvent
  | PodEvent
  | PodErrorEvent
  | LogEvent
  | NoticeEvent;

export type TrackEventType = TrackEvent['type'];

/**
 * How much room an event takes in a tracker's queue: a log event one per
 * line, anything else one. A queue of 1,000 then holds at most about 1,000
 * lines a slow consumer has not taken yet, however the network chunked them.
 */
export const eventWeight = (event: { type: string; lines?: readonly string[] }): number =>
  event.type === 'log' ? (event.lines?.length ?? 1) : 1;

/** A resource's identity as one string (`Kind/namespace/name`), for maps keyed by resource. */
export const resourceKey = (r: ResourceRef): string => `${r.kind}/${r.namespace}/${r.name}`;

export function refOf(object: KubeObject, kind?: string): ResourceRef {
  return {
    kind: kind ?? object.kind ?? '',
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name ?? '',
  };
}

/** A track event before the tracker stamps it with `time` and `resource`. */
export type TrackEventInit = TrackEvent extends infer E
  ? E extends TrackEvent
    ? Omit<E, 'time' | 'resource'>
    : never
  : never;

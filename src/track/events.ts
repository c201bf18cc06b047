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
  | NoticeEvent;

export type TrackEventType = TrackEvent['type'];

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

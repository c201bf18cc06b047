import type {
  AddedEvent,
  DeletedEvent,
  FailedEvent,
  KubeEventEvent,
  LogEvent,
  NoticeEvent,
  PodErrorEvent,
  PodEvent,
  ReadyEvent,
  ReplicaSetEvent,
  StatusEvent,
  TrackEvent,
} from './events.js';

/** Returned by a callback to end tracking. */
export const STOP: unique symbol = Symbol.for('kubedog.stop');

// biome-ignore lint/suspicious/noConfusingVoidType: callbacks are plain or async functions that usually return nothing
type Result = void | typeof STOP | Promise<void | typeof STOP>;

/** Callbacks in kubedog's original style; each may return {@link STOP} (or a promise of it). */
export interface FeedCallbacks {
  onAdded?(event: AddedEvent): Result;
  onStatus?(event: StatusEvent): Result;
  onReady?(event: ReadyEvent): Result;
  onFailed?(event: FailedEvent): Result;
  onDeleted?(event: DeletedEvent): Result;
  onEvent?(event: KubeEventEvent): Result;
  onReplicaSet?(event: ReplicaSetEvent): Result;
  onPodAdded?(event: PodEvent): Result;
  onPodPhase?(event: PodEvent): Result;
  onPodDeleted?(event: PodEvent): Result;
  onPodError?(event: PodErrorEvent): Result;
  onLog?(event: LogEvent): Result;
  onNotice?(event: NoticeEvent): Result;
}

function callbackFor(event: TrackEvent, callbacks: FeedCallbacks): ((event: never) => Result) | undefined {
  switch (event.type) {
    case 'added':
      return callbacks.onAdded;
    case 'status':
      return callbacks.onStatus;
    case 'ready':
      return callbacks.onReady;
    case 'failed':
      return callbacks.onFailed;
    case 'deleted':
      return callbacks.onDeleted;
    case 'event':
      return callbacks.onEvent;
    case 'replicaset':
      return callbacks.onReplicaSet;
    case 'pod':
      return event.change === 'added'
        ? callbacks.onPodAdded
        : event.change === 'deleted'
          ? callbacks.onPodDeleted
          : callbacks.onPodPhase;
    case 'pod-error':
      return callbacks.onPodError;
    case 'log':
      return callbacks.onLog;
    case 'notice':
      return callbacks.onNotice;
  }
}

/**
 * Drives a tracker with callbacks: each event goes to its callback (awaited,
 * so a slow callback slows the tracker down rather than piling events up). A
 * callback returning STOP ends the track and closes its streams. Resolves with
 * the last event; rejects as the tracker does (timeout, abort, API errors).
 */
export async function feed(
  track: AsyncIterable<TrackEvent>,
  callbacks: FeedCallbacks,
): Promise<TrackEvent | undefined> {
  let last: TrackEvent | undefined;
  for await (const event of track) {
    last = event;
    const callback = callbackFor(event, callbacks) as ((event: TrackEvent) => Result) | undefined;
    if ((await callback?.(event)) === STOP) break;
  }
  return last;
}

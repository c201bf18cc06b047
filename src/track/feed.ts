import type {
  AddedEvent,
  DeletedEvent,
  FailedEvent,
  KubeEventEvent,
  LogEvent,
  MultitrackEvent,
  NoticeEvent,
  PodErrorEvent,
  PodEvent,
  ReadyEvent,
  ReplicaSetEvent,
  StatusEvent,
  SummaryEvent,
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
  /** The last event of a multitrack. */
  onSummary?(event: SummaryEvent): Result;
}

/** The callback of each event type (pod events: by their change). */
const CALLBACKS: Record<Exclude<MultitrackEvent['type'], 'pod'>, keyof FeedCallbacks> = {
  added: 'onAdded',
  status: 'onStatus',
  ready: 'onReady',
  failed: 'onFailed',
  deleted: 'onDeleted',
  event: 'onEvent',
  replicaset: 'onReplicaSet',
  'pod-error': 'onPodError',
  log: 'onLog',
  notice: 'onNotice',
  summary: 'onSummary',
};
const POD_CALLBACKS: Record<PodEvent['change'], keyof FeedCallbacks> = {
  added: 'onPodAdded',
  phase: 'onPodPhase',
  deleted: 'onPodDeleted',
};

function callbackFor(
  event: MultitrackEvent,
  callbacks: FeedCallbacks,
): ((event: never) => Result) | undefined {
  return callbacks[event.type === 'pod' ? POD_CALLBACKS[event.change] : CALLBACKS[event.type]];
}

/**
 * Drives a tracker — or a multitrack — with callbacks: each event goes to its
 * callback (awaited, so a slow callback slows the tracker down rather than
 * piling events up). A callback returning STOP ends the track and closes its
 * streams. Resolves with the last event (a multitrack's summary); rejects as
 * the tracker does (abort, API errors).
 * @example
 * const last = await feed(multitrack(client, specs), { onFailed: (e) => console.error(e.message) });
 */
export async function feed<E extends MultitrackEvent>(
  track: AsyncIterable<E>,
  callbacks: FeedCallbacks,
): Promise<E | undefined> {
  let last: E | undefined;
  for await (const event of track) {
    last = event;
    const callback = callbackFor(event, callbacks) as ((event: E) => Result) | undefined;
    if ((await callback?.(event)) === STOP) break;
  }
  return last;
}

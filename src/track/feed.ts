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

/**
 * Returned by a {@link feed} callback (or resolved by its promise) to end
 * the track there: its streams close, and `feed` resolves.
 */
export const STOP: unique symbol = Symbol.for('kubedog.stop');

// biome-ignore lint/suspicious/noConfusingVoidType: callbacks are plain or async functions that usually return nothing
type Result = void | typeof STOP | Promise<void | typeof STOP>;

/** Callbacks in kubedog's original style; each may return {@link STOP} (or a promise of it). */
export interface FeedCallbacks {
  /** The resource was found (or created): its first verdict. */
  onAdded?(event: AddedEvent): Result;
  /** The verdict changed. */
  onStatus?(event: StatusEvent): Result;
  /** The resource is ready (a rollout ends here). */
  onReady?(event: ReadyEvent): Result;
  /** The resource failed: reason, message, hint and report. */
  onFailed?(event: FailedEvent): Result;
  /** The resource was deleted. */
  onDeleted?(event: DeletedEvent): Result;
  /** A Kubernetes Event about the resource, its ReplicaSets or pods. */
  onEvent?(event: KubeEventEvent): Result;
  /** A ReplicaSet of a Deployment was seen (the new one: `new`). */
  onReplicaSet?(event: ReplicaSetEvent): Result;
  /** A pod of the resource appeared. */
  onPodAdded?(event: PodEvent): Result;
  /** A pod of the resource changed phase. */
  onPodPhase?(event: PodEvent): Result;
  /** A pod of the resource became ready. */
  onPodReady?(event: PodEvent): Result;
  /** A pod of the resource went away. */
  onPodDeleted?(event: PodEvent): Result;
  /** A container of a pod failed (once per failure). */
  onPodError?(event: PodErrorEvent): Result;
  /** Log lines of a container. */
  onLog?(event: LogEvent): Result;
  /** A watch or log stream reconnected, resumed, or waits in line. */
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
  ready: 'onPodReady',
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
 * import { feed, STOP, trackDeployment } from 'kubedog';
 *
 * const last = await feed(trackDeployment(client, { name: 'web' }, { timeout: 300_000 }), {
 *   onPodAdded: (event) => console.log(`+ ${event.pod}`),
 *   onFailed: (event) => console.error(`${event.reason}: ${event.message}`),
 *   onLog: (event) => (event.lines.some((line) => line.includes('FATAL')) ? STOP : undefined),
 * });
 * console.log(`last event: ${last?.type}`);
 * // prints: last event: ready
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

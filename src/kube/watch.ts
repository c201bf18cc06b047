import { Backoff, type RetryOptions, sleep } from './backoff.js';
import type { KindLike, KubeClient } from './client.js';
import {
  isRetryable,
  KubeApiError,
  KubeConnectionError,
  KubeDecodeError,
  KubedogError,
  type KubeStatus,
} from './errors.js';
import { mapTransportError } from './http-errors.js';
import { LineSplitter } from './lines.js';
import type { KubeObject, WatchEvent, WatchEventType } from './types.js';

/** Something the watch did on its own that a user may want to see (never an error: those are thrown). */
export type WatchNotice =
  | { type: 'reconnecting'; resource: string; reason: string; attempt: number; delayMs: number }
  | { type: 'resumed'; resource: string; resourceVersion: string }
  | { type: 'relisted'; resource: string; reason: string; changes: number }
  | { type: 'malformed-line'; resource: string; excerpt: string };

export interface WatchOptions {
  /** Namespace to watch; `''` for all namespaces. @default the client's namespace */
  namespace?: string;
  /** @example 'app=web,tier!=cache' */
  labelSelector?: string;
  /** @example 'metadata.name=web' */
  fieldSelector?: string;
  signal?: AbortSignal;
  /** Yield the objects that already exist as ADDED before the first change. @default true */
  initialEvents?: boolean;
  /**
   * Re-establish a watch that has received nothing — not even a bookmark —
   * for this long. Healthy watches are never cut. @default 180000
   */
  inactivityTimeoutMs?: number;
  /** Reconnect pacing. */
  retry?: RetryOptions;
  /**
   * How long the server keeps one watch request open. It sends a bookmark
   * about 2 s before it ends the request, and the watch goes on from there
   * at once, so even a quiet watch resumes from a recent resourceVersion.
   * @default a random 5–10 minutes, as client-go's reflector (spreads reconnects)
   */
  timeoutSeconds?: number;
  /** Page size of the initial list and of re-lists. @default 500 */
  pageSize?: number;
  /** Called when the watch reconnects, resumes, re-lists or skips a malformed line. */
  onNotice?: (notice: WatchNotice) => void;
}

class InactivityTimeout extends Error {}

const keyOf = (object: KubeObject) => `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;

/**
 * List, then watch from the list's resourceVersion, keeping the last seen
 * version of every object. A dropped connection resumes from the last
 * resourceVersion (advanced by bookmarks too); `410 Gone` — as an HTTP status
 * or an ERROR event — triggers a re-list whose differences are emitted as
 * synthetic ADDED/MODIFIED/DELETED, so each change reaches the consumer
 * exactly once. The body is read only as fast as the consumer pulls.
 */
export async function* watchResource<T extends KubeObject>(
  client: KubeClient,
  kind: KindLike,
  options: WatchOptions = {},
): AsyncGenerator<WatchEvent<T>, void, undefined> {
  const { signal } = options;
  signal?.throwIfAborted();
  const type = await client.resolveType(kind, { signal });
  const path = client.collectionPath(type, options.namespace);
  const selectors = client.selectorQuery(options);
  const namespace = options.namespace ?? (type.namespaced ? client.namespace : '');
  const resource = namespace ? `${type.plural} in ${namespace}` : type.plural;
  const inactivityMs = options.inactivityTimeoutMs ?? 180_000;
  const notify = options.onNotice ?? (() => {});
  const backoff = new Backoff(options.retry);
  const known = new Map<string, Known<T>>();

  const list = async (firstList: boolean) => {
    for (;;) {
      try {
        return await client.list<T>(type, {
          ...selectors,
          namespace: options.namespace ?? namespace,
          pageSize: options.pageSize ?? 500,
          signal,
        });
      } catch (error) {
        // At start an unreachable server is almost always a configuration
        // problem: say so at once instead of retrying.
        const retry = isRetryable(error) && !(firstList && !(error instanceof KubeApiError));
        const delay = retry ? backoff.next((error as KubeApiError).retryAfterSeconds) : undefined;
        if (delay === undefined) throw error;
        notify({
          type: 'reconnecting',
          resource,
          reason: (error as Error).message,
          attempt: backoff.attempt,
          delayMs: delay,
        });
        await sleep(delay, signal);
      }
    }
  };

  const initial = await list(true);
  let resourceVersion = initial.resourceVersion;
  for (const item of initial.items) known.set(keyOf(item), remember(item, item));
  if (options.initialEvents ?? true) {
    for (const item of initial.items) yield { type: 'ADDED', object: item };
  }

  let failed = false;
  for (;;) {
    signal?.throwIfAborted();
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let watchdog: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => controller.abort(new InactivityTimeout()), inactivityMs);
    };
    const disarm = () => clearTimeout(watchdog);
    let receivedLines = 0;
    let failure: unknown;
    const timeoutSeconds = options.timeoutSeconds ?? 300 + Math.floor(Math.random() * 300);
    const requested = Date.now();
    try {
      arm();
      const response = await client.request('GET', path, {
        signal: controller.signal,
        query: {
          ...selectors,
          watch: 'true',
          resourceVersion,
          allowWatchBookmarks: 'true',
          timeoutSeconds,
        },
      });
      if (failed) notify({ type: 'resumed', resource, resourceVersion });
      failed = false;
      const splitter = new LineSplitter();
      for await (const chunk of response.body) {
        for (const line of splitter.push(chunk)) {
          if (line.trim() === '') continue;
          const event = parseWatchLine(line, resource, notify);
          receivedLines++;
          backoff.reset();
          if (event.type === 'BOOKMARK') {
            resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
            continue;
          }
          if (event.type === 'ERROR') throw statusError(event.object as KubeStatus, path);
          const object = event.object as T;
          const delivered = apply(known, event.type, object, line);
          resourceVersion = object.metadata.resourceVersion ?? resourceVersion;
          if (delivered) {
            // Waiting for the consumer is not inactivity of the server.
            disarm();
            yield { type: event.type, object };
          }
        }
        arm();
      }
    } catch (error) {
      failure = asStreamFailure(error, client);
    } finally {
      disarm();
      signal?.removeEventListener('abort', onAbort);
      // Also runs when the consumer breaks out: closes the socket at once.
      controller.abort();
    }
    if (signal?.aborted) throw signal.reason;

    if (failure instanceof KubeApiError && failure.statusCode === 410) {
      const fresh = await list(false);
      const changes = diff(known, fresh.items);
      resourceVersion = fresh.resourceVersion;
      notify({ type: 'relisted', resource, reason: failure.message, changes: changes.length });
      failed = false;
      yield* changes;
      continue;
    }
    // The server ended a healthy watch — after sending something, or at its timeout (a quiet
    // resource gets no bookmark when nothing changed): go on at once.
    const timedOut = Date.now() - requested >= (timeoutSeconds - 1) * 1000;
    if (failure === undefined && (receivedLines > 0 || timedOut)) continue;
    const reason =
      failure === undefined
        ? 'the server closed the watch without sending anything'
        : failure instanceof InactivityTimeout
          ? `nothing received for ${Math.round(inactivityMs / 1000)}s`
          : (failure as Error).message;
    const retryable = failure === undefined || failure instanceof InactivityTimeout || isRetryable(failure);
    const delay = retryable
      ? backoff.next((failure as KubeApiError | undefined)?.retryAfterSeconds)
      : undefined;
    if (delay === undefined) throw failure ?? new KubeDecodeError(`watch of ${resource}: ${reason}`);
    failed = true;
    notify({ type: 'reconnecting', resource, reason, attempt: backoff.attempt, delayMs: delay });
    await sleep(delay, signal);
  }
}

/** Errors while reading a body (socket closed mid-stream) become connection errors, which are retried. */
export function asStreamFailure(error: unknown, client: KubeClient): unknown {
  if (error instanceof KubedogError || error instanceof InactivityTimeout || isAbortError(error)) {
    return error;
  }
  const mapped = mapTransportError(error, client.config);
  if (!(mapped instanceof KubeConnectionError)) return mapped;
  // The connection worked before: say that it broke, not that the server is unreachable.
  const host = new URL(client.server).host;
  return new KubeConnectionError(
    `connection to ${host} broke mid-stream (${mapped.syscallCode ?? 'closed'})`,
    {
      server: client.server,
      ...(mapped.syscallCode ? { syscallCode: mapped.syscallCode } : {}),
      cause: error,
    },
  );
}

function isAbortError(error: unknown): boolean {
  return (error as Error)?.name === 'AbortError';
}

interface RawWatchEvent {
  type: WatchEventType | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

function parseWatchLine(line: string, resource: string, notify: (n: WatchNotice) => void): RawWatchEvent {
  let event: RawWatchEvent;
  try {
    event = JSON.parse(line) as RawWatchEvent;
  } catch (error) {
    const excerpt = line.length > 120 ? `${line.slice(0, 120)}…` : line;
    notify({ type: 'malformed-line', resource, excerpt });
    // Resuming from the last good resourceVersion makes the server send the event again.
    throw new KubeDecodeError(`watch of ${resource}: malformed line`, { cause: error });
  }
  const valid =
    event !== null &&
    typeof event === 'object' &&
    EVENT_TYPES.has(event.type) &&
    typeof event.object === 'object' &&
    event.object !== null &&
    (event.type === 'ERROR' || typeof event.object.metadata === 'object');
  if (!valid) {
    notify({ type: 'malformed-line', resource, excerpt: line.slice(0, 120) });
    throw new KubeDecodeError(`watch of ${resource}: not a watch event`);
  }
  return event;
}

function statusError(status: KubeStatus, path: string): KubeApiError {
  const code = status.code ?? 500;
  return new KubeApiError(`watch ${path}: ${code} ${status.reason ?? ''}: ${status.message ?? ''}`.trim(), {
    statusCode: code,
    status,
    method: 'GET',
    path,
  });
}

/**
 * What a watch remembers of an object: enough to drop an event seen before
 * and to turn a re-list into exact events. Its last state is kept as the
 * line it came in, not as the parsed tree: thousands of kept trees outlive
 * the young generation and every major GC walks them (a fifth of the CPU
 * of a busy watch); one string per object is cheap to keep, and is parsed
 * again only for a DELETED after a re-list.
 */
interface Known<T extends KubeObject> {
  uid: string | undefined;
  resourceVersion: string | undefined;
  /** The object, or the watch event line that carried it. */
  state: T | string;
}

function remember<T extends KubeObject>(object: T, state: T | string): Known<T> {
  return { uid: object.metadata.uid, resourceVersion: object.metadata.resourceVersion, state };
}

function lastState<T extends KubeObject>(known: Known<T>): T {
  return typeof known.state === 'string'
    ? ((JSON.parse(known.state) as RawWatchEvent).object as T)
    : known.state;
}

/** Updates the known set; returns false for an event already seen (same resourceVersion). */
function apply<T extends KubeObject>(
  known: Map<string, Known<T>>,
  type: WatchEventType,
  object: T,
  line: string,
): boolean {
  const key = keyOf(object);
  if (type === 'DELETED') {
    known.delete(key);
    return true;
  }
  const previous = known.get(key);
  if (previous && previous.resourceVersion === object.metadata.resourceVersion) return false;
  known.set(key, remember(object, line));
  return true;
}

/** The events that turn the known set into the fresh list; updates the known set. */
function diff<T extends KubeObject>(known: Map<string, Known<T>>, items: T[]): WatchEvent<T>[] {
  const events: WatchEvent<T>[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const key = keyOf(item);
    seen.add(key);
    const previous = known.get(key);
    if (!previous) {
      events.push({ type: 'ADDED', object: item });
    } else if (previous.uid !== item.metadata.uid) {
      // Deleted and created again under the same name while we were away.
      events.push({ type: 'DELETED', object: lastState(previous) }, { type: 'ADDED', object: item });
    } else if (previous.resourceVersion !== item.metadata.resourceVersion) {
      events.push({ type: 'MODIFIED', object: item });
    }
    known.set(key, remember(item, item));
  }
  for (const [key, previous] of known) {
    if (!seen.has(key)) {
      known.delete(key);
      events.push({ type: 'DELETED', object: lastState(previous) });
    }
  }
  return events;
}

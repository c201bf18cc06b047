import { Backoff, type RetryOptions } from './backoff.js';
import type { KindLike, KubeClient, ListResult } from './client.js';
import { sleep } from './clock.js';
import { isRetryable, KubeApiError, KubeDecodeError, type KubeStatus } from './errors.js';
import { apiVersionOf, type ResourceType } from './resources.js';
import {
  type AfterAttempt,
  type AttemptEnd,
  describeEnd,
  InactivityTimeout,
  resumableStream,
  type StreamProtocol,
} from './resumable.js';
import type { KubeObject, WatchEvent, WatchEventType } from './types.js';

/** Something the watch did on its own that a user may want to see (never an error: those are thrown). */
export type WatchNotice =
  | { type: 'reconnecting'; resource: string; reason: string; attempt: number; delayMs: number }
  | { type: 'resumed'; resource: string; resourceVersion: string }
  | { type: 'relisted'; resource: string; reason: string; changes: number }
  | { type: 'malformed-line'; resource: string; excerpt: string }
  /** The first list is in, and its objects were delivered: what does not exist now is known not to. */
  | { type: 'listed'; resource: string; count: number };

export interface WatchOptions {
  /** Namespace to watch; `''` for all namespaces. @default the client's namespace */
  namespace?: string;
  /** @example 'app=web,tier!=cache' */
  labelSelector?: string;
  /** @example 'metadata.name=web' */
  fieldSelector?: string;
  signal?: AbortSignal | undefined;
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
  const namespace = options.namespace ?? (type.namespaced ? client.namespace : '');
  const backoff = new Backoff(options.retry);
  const watch = new WatchProtocol<T>(client, type, namespace, options, backoff);
  const initial = await watch.list(true);
  watch.start(initial);
  if (options.initialEvents ?? true) {
    for (const item of initial.items) yield { type: 'ADDED', object: item };
  }
  watch.listed(initial.items.length);
  // A chunk's events come as one batch through the stream's layers, one by one only here.
  const batches = resumableStream(client, watch, {
    signal,
    backoff,
    inactivityMs: options.inactivityTimeoutMs ?? 180_000,
  });
  for await (const batch of batches) for (const event of batch) yield event;
}

/** Re-lists one after another back off from 0.8 s to 30 s (client-go's reflector: 800 ms to 30 s). */
const RELIST_PACE = { initialDelayMs: 800, maxDelayMs: 30_000, giveUpAfterMs: Number.POSITIVE_INFINITY };
/** A re-list this long after the previous one is a new episode: at once again. */
const RELIST_QUIET_MS = 60_000;

/** A watch's requests, lines and resume point, for {@link resumableStream}: a chunk's events, one batch. */
class WatchProtocol<T extends KubeObject> implements StreamProtocol<WatchEvent<T>[]> {
  readonly what: string;
  readonly #client: KubeClient;
  readonly #type: ResourceType;
  readonly #options: WatchOptions;
  readonly #backoff: Backoff;
  readonly #path: string;
  readonly #selectors: { labelSelector: string | undefined; fieldSelector: string | undefined };
  readonly #namespace: string;
  /** `pods in default`: how notices name the watch. */
  readonly #resource: string;
  readonly #apiVersion: string;
  readonly #known = new Map<string, Known<T>>();
  readonly #notify: (notice: WatchNotice) => void;
  #resourceVersion = '';
  /** Changes (not bookmarks) the current request delivered, and the timeout it asked the server for. */
  #changes = 0;
  #timeoutSeconds = 0;
  /** Re-lists after 410 Gone, paced: a server that answers every watch so is not asked again at once. */
  readonly #relists = new Backoff(RELIST_PACE);
  /** When the last re-list was, and whether a change came since (the watch worked in between). */
  #relistedAt: number | undefined;
  #changedSinceRelist = false;

  constructor(
    client: KubeClient,
    type: ResourceType,
    namespace: string,
    options: WatchOptions,
    backoff: Backoff,
  ) {
    this.#client = client;
    this.#type = type;
    this.#options = options;
    this.#backoff = backoff;
    this.#namespace = namespace;
    this.#path = client.collectionPath(type, options.namespace);
    this.#selectors = client.selectorQuery(options);
    this.#resource = namespace ? `${type.plural} in ${namespace}` : type.plural;
    this.#apiVersion = apiVersionOf(type);
    this.what = `watch of ${this.#resource}`;
    this.#notify = options.onNotice ?? (() => {});
  }

  /** The objects that exist, with retries (but at start, an unreachable server is an error at once). */
  async list(firstList: boolean): Promise<ListResult<T>> {
    for (;;) {
      try {
        return await this.#client.list<T>(this.#type, {
          ...this.#selectors,
          namespace: this.#options.namespace ?? this.#namespace,
          pageSize: this.#options.pageSize ?? 500,
          signal: this.#options.signal,
        });
      } catch (error) {
        // At start an unreachable server is almost always a configuration problem: say so at once.
        const retry = isRetryable(error) && !(firstList && !(error instanceof KubeApiError));
        const delay = retry ? this.#backoff.next((error as KubeApiError).retryAfterSeconds) : undefined;
        if (delay === undefined) throw error;
        this.retrying((error as Error).message, this.#backoff.attempt, delay);
        await sleep(delay, this.#options.signal);
      }
    }
  }

  /** The first list's objects were delivered. */
  listed(count: number): void {
    this.#notify({ type: 'listed', resource: this.#resource, count });
  }

  /** Takes the initial list as the known state and the resume point. */
  start(initial: ListResult<T>): void {
    this.#resourceVersion = initial.resourceVersion;
    for (const item of initial.items) this.#known.set(keyOf(item), remember(item, item));
  }

  request() {
    this.#changes = 0;
    this.#timeoutSeconds = this.#options.timeoutSeconds ?? 300 + Math.floor(Math.random() * 300);
    return {
      path: this.#path,
      query: {
        ...this.#selectors,
        watch: 'true',
        resourceVersion: this.#resourceVersion,
        allowWatchBookmarks: 'true',
        timeoutSeconds: this.#timeoutSeconds,
      },
    };
  }

  *decode(lines: Iterable<string>): Generator<WatchEvent<T>[], void, undefined> {
    const batch: WatchEvent<T>[] = [];
    try {
      for (const line of lines) {
        const event = this.#decodeLine(line);
        if (event) batch.push(event);
      }
    } catch (error) {
      // What came before a malformed line is delivered; the request then ends with the error.
      if (batch.length > 0) yield batch;
      throw error;
    }
    if (batch.length > 0) yield batch;
  }

  /** One line's change, to deliver; undefined for a blank line, a bookmark or a repeat. */
  #decodeLine(line: string): WatchEvent<T> | undefined {
    if (line.trim() === '') return undefined;
    const event = parseWatchLine(line, this.#resource, this.#notify);
    // Any well-formed line says the server is there: no giving up on it (the pace is news's to reset).
    this.#backoff.alive();
    if (event.type === 'BOOKMARK') {
      this.#resourceVersion = event.object.metadata?.resourceVersion ?? this.#resourceVersion;
      return undefined;
    }
    if (event.type === 'ERROR') throw statusError(event.object as KubeStatus, this.#path);
    const object = event.object as T;
    // As in lists (and client-go): an object without kind or apiVersion is the watched type's, so
    // it is judged by its kind's rules, not the generic ones (a Running pod is not "ready").
    object.apiVersion ??= this.#apiVersion;
    object.kind ??= this.#type.kind;
    const delivered = apply(this.#known, event.type, object, line);
    this.#resourceVersion = object.metadata.resourceVersion ?? this.#resourceVersion;
    if (!delivered) return undefined;
    // Only news proves the watch works: bookmarks and repeats do not end a back-off.
    this.#changes++;
    this.#changedSinceRelist = true;
    this.#backoff.reset();
    return { type: event.type, object };
  }

  async after(end: AttemptEnd): Promise<AfterAttempt<WatchEvent<T>[]>> {
    const { failure } = end;
    if (failure instanceof KubeApiError && failure.statusCode === 410) {
      await this.#paceRelist();
      const fresh = await this.list(false);
      const changes = diff(this.#known, fresh.items);
      this.#resourceVersion = fresh.resourceVersion;
      this.#notify({
        type: 'relisted',
        resource: this.#resource,
        reason: failure.message,
        changes: changes.length,
      });
      return { next: 'resume', items: changes.length > 0 ? [changes] : [] };
    }
    // The server ended a healthy watch — after sending something, or at its timeout (a quiet
    // resource gets no bookmark when nothing changed): go on at once.
    const timedOut = Date.now() - end.requestedAt >= (this.#timeoutSeconds - 1) * 1000;
    if (failure === undefined && (this.#changes > 0 || timedOut)) return { next: 'resume' };
    const retryable = failure === undefined || failure instanceof InactivityTimeout || isRetryable(failure);
    if (!retryable) throw failure;
    const inactivityMs = this.#options.inactivityTimeoutMs ?? 180_000;
    // Ended early with nothing new (nothing, or only bookmarks): a failed attempt, retried after a back-off.
    return {
      next: 'retry',
      reason: describeEnd(end, 'the server closed the watch without sending anything new', inactivityMs),
    };
  }

  /**
   * Waits before a re-list when the last one was recent and nothing came
   * since (client-go's reflector backs off its re-lists the same way): the
   * first 410 of a working watch re-lists at once.
   */
  async #paceRelist(): Promise<void> {
    const now = Date.now();
    const recent = this.#relistedAt !== undefined && now - this.#relistedAt < RELIST_QUIET_MS;
    if (!recent || this.#changedSinceRelist) this.#relists.reset();
    else await sleep(this.#relists.next() ?? RELIST_PACE.maxDelayMs, this.#options.signal);
    this.#relistedAt = Date.now();
    this.#changedSinceRelist = false;
  }

  resumed(): void {
    this.#notify({ type: 'resumed', resource: this.#resource, resourceVersion: this.#resourceVersion });
  }

  retrying(reason: string, attempt: number, delayMs: number): void {
    this.#notify({ type: 'reconnecting', resource: this.#resource, reason, attempt, delayMs });
  }
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
  if (!previous) {
    known.set(key, remember(object, line));
    return true;
  }
  if (previous.resourceVersion === object.metadata.resourceVersion) return false;
  // Updated in place: a busy watch allocates nothing here per event.
  previous.uid = object.metadata.uid;
  previous.resourceVersion = object.metadata.resourceVersion;
  previous.state = line;
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

import type { KindLike, ObjectRef } from '../../src/kube/client.js';
import { KubeApiError } from '../../src/kube/errors.js';
import type { LogLine, LogOptions } from '../../src/kube/logs.js';
import { findBuiltinResource, type ResourceType } from '../../src/kube/resources.js';
import type { KubeObject, WatchEvent } from '../../src/kube/types.js';
import type { WatchOptions } from '../../src/kube/watch.js';
import { AsyncQueue } from '../../src/track/queue.js';
import type { TrackSource } from '../../src/track/sources.js';

const notFound = (what: string) =>
  new KubeApiError(`GET ${what}: 404 NotFound`, {
    statusCode: 404,
    status: { reason: 'NotFound', code: 404 },
    method: 'GET',
    path: what,
  });

/**
 * A cluster in memory for driver tests: objects changed by the test reach
 * every watch of their kind; logs are lines the test gives. No socket.
 */
export class FakeSource implements TrackSource {
  readonly namespace = 'default';
  readonly #objects = new Map<string, Map<string, KubeObject>>();
  readonly #watchers = new Map<string, Set<AsyncQueue<WatchEvent>>>();
  /** What a read of a container's log (not followed) returns: `pod/container` → lines; absent: 404. */
  readonly logs = new Map<string, string[]>();
  /** Lines a followed stream delivers before it stays open: `pod/container` → lines. */
  readonly liveLogs = new Map<string, string[]>();
  /** Every log request: `pod/container follow|previous|last`. */
  readonly logRequests: string[] = [];
  /** Kinds whose watch fails with this error. */
  readonly failingWatches = new Map<string, unknown>();

  /** Watches open now. */
  get openWatches(): number {
    return [...this.#watchers.values()].reduce((n, set) => n + set.size, 0);
  }

  async resolveType(kind: KindLike): Promise<ResourceType> {
    if (typeof kind !== 'string') return kind;
    const type = findBuiltinResource(kind);
    if (!type) throw new Error(`unknown kind ${kind}`);
    return type;
  }

  /** Creates, changes or deletes an object: every watch of its kind sees it. */
  apply(type: WatchEvent['type'], object: KubeObject): void {
    const kind = object.kind ?? '';
    const objects = this.#objects.get(kind) ?? new Map<string, KubeObject>();
    this.#objects.set(kind, objects);
    if (type === 'DELETED') objects.delete(object.metadata.name ?? '');
    else objects.set(object.metadata.name ?? '', object);
    for (const queue of this.#watchers.get(kind) ?? []) void queue.push({ type, object });
  }

  async *watch<T extends KubeObject = KubeObject>(
    kind: KindLike,
    options: WatchOptions = {},
  ): AsyncGenerator<WatchEvent<T>> {
    const type = await this.resolveType(kind);
    const failure = this.failingWatches.get(type.kind);
    if (failure) throw failure;
    const queue = new AsyncQueue<WatchEvent>(Number.POSITIVE_INFINITY);
    const watchers = this.#watchers.get(type.kind) ?? new Set();
    this.#watchers.set(type.kind, watchers);
    watchers.add(queue);
    const stop = () => queue.end();
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
      const existing = [...(this.#objects.get(type.kind)?.values() ?? [])];
      for (const object of existing) yield { type: 'ADDED', object: object as T };
      options.onNotice?.({ type: 'listed', resource: type.plural, count: existing.length });
      for (let next = await queue.next(); !next.done; next = await queue.next())
        yield next.value as WatchEvent<T>;
    } finally {
      watchers.delete(queue);
      options.signal?.removeEventListener('abort', stop);
    }
  }

  readonly #lineTimes = new Map<string, string>();

  /** When a line (of a container, by its text) was written: the first time it is read. */
  #timeOf(line: string): string {
    const time = this.#lineTimes.get(line) ?? new Date().toISOString();
    this.#lineTimes.set(line, time);
    return time;
  }

  async *logBatches(pod: ObjectRef, options: LogOptions = {}): AsyncGenerator<LogLine[]> {
    const key = `${pod.name}/${options.container ?? ''}`;
    const how = options.follow ? 'follow' : options.previous ? 'previous' : 'last';
    this.logRequests.push(`${key} ${how}`);
    // A line has one time, whichever request reads it (the container runtime stamped it once).
    const batch = (lines: string[]) => lines.map((text) => ({ time: this.#timeOf(`${key} ${text}`), text }));
    if (!options.follow) {
      const lines = this.logs.get(options.previous ? `${key} previous` : key);
      if (!lines) throw notFound(`pods/${pod.name}/log`);
      yield batch(lines.slice(-(options.tailLines ?? lines.length)));
      return;
    }
    const live = this.liveLogs.get(key);
    if (live) yield batch(live);
    // A followed stream stays open until the tracker lets go of it.
    if (!options.signal?.aborted)
      await new Promise((resolve) => options.signal?.addEventListener('abort', resolve, { once: true }));
  }
}

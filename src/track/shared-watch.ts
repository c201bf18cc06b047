import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { ResourceType } from '../kube/resources.js';
import type { KubeObject, WatchEvent } from '../kube/types.js';
import type { WatchNotice, WatchOptions } from '../kube/watch.js';
import type { WatchSource } from './sources.js';

export interface WatchListener {
  /** A change; may return a promise to pause the shared watch until it resolves (backpressure). */
  event(event: WatchEvent): void | Promise<void>;
  notice?(notice: WatchNotice): void;
  /** The watch failed for good (403, unreachable server past the retry deadline). */
  error?(error: unknown): void;
}

/** What a watch asks the server for besides kind and namespace. */
export type Selectors = Pick<WatchOptions, 'labelSelector' | 'fieldSelector'>;

interface Entry {
  listeners: Set<WatchListener>;
  /** Latest state of every object, so late subscribers start from the present. */
  objects: Map<string, KubeObject>;
  controller: AbortController;
  /** The watch's first list is in (its `listed` notice), for late subscribers. */
  listed: WatchNotice | undefined;
}

const keyOf = (object: KubeObject) => `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;

/**
 * How long a watch may hand out changes without letting timers and I/O
 * run: a burst of thousands of changes (the initial list of a big
 * namespace) must not hold up a timeout that is due.
 */
const SLICE_MS = 10;

/**
 * One watch per (kind, namespace, selectors) for every tracker of a source, reference
 * counted: the first subscriber opens it, the last one to leave closes it. A
 * late subscriber first gets the objects the watch already knows, as ADDED,
 * then every change. The watch reads its next change only when every
 * subscriber has taken the previous one, and gives the event loop a turn
 * every few milliseconds of work.
 */
export class SharedWatches {
  readonly #source: WatchSource;
  readonly #entries = new Map<string, Entry>();

  constructor(source: WatchSource) {
    this.#source = source;
  }

  /** Watches open right now. */
  get open(): number {
    return this.#entries.size;
  }

  subscribe(
    type: ResourceType,
    namespace: string,
    listener: WatchListener,
    selectors: Selectors = {},
  ): () => void {
    const { labelSelector = '', fieldSelector = '' } = selectors;
    const key = [`${type.group}/${type.plural}`, namespace, labelSelector, fieldSelector].join('\u0000');
    let entry = this.#entries.get(key);
    const late = entry !== undefined;
    if (!entry) {
      entry = {
        listeners: new Set(),
        objects: new Map(),
        controller: new AbortController(),
        listed: undefined,
      };
      this.#entries.set(key, entry);
      void this.#run(key, type, { namespace, ...selectors }, entry);
    }
    entry.listeners.add(listener);
    if (late) void this.#replay(entry, listener);
    const current = entry;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0 && this.#entries.get(key) === current) {
        this.#entries.delete(key);
        current.controller.abort();
      }
    };
  }

  /**
   * What a late subscriber missed: the objects the watch knows, as ADDED —
   * but not one that changed since (the subscriber got that change itself).
   */
  async #replay(entry: Entry, listener: WatchListener): Promise<void> {
    // Never within `subscribe`: the subscriber learns it is subscribed before it hears anything.
    await null;
    let slice = performance.now();
    for (const [key, object] of [...entry.objects]) {
      if (!entry.listeners.has(listener)) return;
      if (entry.objects.get(key) !== object) continue;
      const taken = listener.event({ type: 'ADDED', object });
      if (taken instanceof Promise) await taken;
      if (used(slice)) slice = await aTurnLater();
    }
    if (entry.listed && entry.listeners.has(listener)) listener.notice?.(entry.listed);
  }

  async #run(
    key: string,
    type: ResourceType,
    query: Selectors & { namespace: string },
    entry: Entry,
  ): Promise<void> {
    try {
      const events = this.#source.watch(type, {
        ...query,
        signal: entry.controller.signal,
        onNotice: (notice) => {
          if (notice.type === 'listed') entry.listed = notice;
          for (const listener of entry.listeners) listener.notice?.(notice);
        },
      });
      const watch = events[Symbol.asyncIterator]();
      // The last subscriber left: close the watch now, even while this loop waits for its turn.
      const close = () => void watch.return?.().catch(() => undefined);
      entry.controller.signal.addEventListener('abort', close, { once: true });
      let slice = performance.now();
      for await (const event of { [Symbol.asyncIterator]: () => watch }) {
        if (event.type === 'DELETED') entry.objects.delete(keyOf(event.object));
        else entry.objects.set(keyOf(event.object), event.object);
        const pending = [...entry.listeners]
          .map((listener) => listener.event(event))
          .filter((p) => p instanceof Promise);
        if (pending.length > 0) await Promise.all(pending);
        if (used(slice)) slice = await aTurnLater();
      }
    } catch (error) {
      if (entry.controller.signal.aborted) return;
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
      for (const listener of entry.listeners) listener.error?.(error);
    }
  }
}

/** Whether the slice that began at `since` is used up. */
const used = (since: number) => performance.now() - since > SLICE_MS;

/** Gives the event loop a turn; resolves with the start of the next slice. */
async function aTurnLater(): Promise<number> {
  await nextMacrotask();
  return performance.now();
}

const registry = new WeakMap<WatchSource, SharedWatches>();

/** The shared watches of a source: every tracker of that source (a client) uses the same ones. */
export function sharedWatches(source: WatchSource): SharedWatches {
  let watches = registry.get(source);
  if (!watches) {
    watches = new SharedWatches(source);
    registry.set(source, watches);
  }
  return watches;
}

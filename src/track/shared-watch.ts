import type { KubeClient } from '../kube/client.js';
import type { ResourceType } from '../kube/resources.js';
import type { KubeObject, WatchEvent } from '../kube/types.js';
import type { WatchNotice } from '../kube/watch.js';

export interface WatchListener {
  /** A change; may return a promise to pause the shared watch until it resolves (backpressure). */
  event(event: WatchEvent): void | Promise<void>;
  notice?(notice: WatchNotice): void;
  /** The watch failed for good (403, unreachable server past the retry deadline). */
  error?(error: unknown): void;
}

interface Entry {
  listeners: Set<WatchListener>;
  /** Latest state of every object, so late subscribers start from the present. */
  objects: Map<string, KubeObject>;
  controller: AbortController;
}

const keyOf = (object: KubeObject) => `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;

/**
 * One watch per (kind, namespace) for every tracker of a client, reference
 * counted: the first subscriber opens it, the last one to leave closes it. A
 * late subscriber first gets the objects the watch already knows, as ADDED,
 * then every change. The watch reads its next change only when every
 * subscriber has taken the previous one.
 */
export class SharedWatches {
  readonly #client: KubeClient;
  readonly #entries = new Map<string, Entry>();

  constructor(client: KubeClient) {
    this.#client = client;
  }

  /** Watches open right now. */
  get open(): number {
    return this.#entries.size;
  }

  subscribe(type: ResourceType, namespace: string, listener: WatchListener): () => void {
    const key = `${type.group}/${type.plural}\u0000${namespace}`;
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = { listeners: new Set(), objects: new Map(), controller: new AbortController() };
      this.#entries.set(key, entry);
      void this.#run(key, type, namespace, entry);
    } else {
      for (const object of entry.objects.values()) void listener.event({ type: 'ADDED', object });
    }
    entry.listeners.add(listener);
    const current = entry;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0 && this.#entries.get(key) === current) {
        this.#entries.delete(key);
        current.controller.abort();
      }
    };
  }

  async #run(key: string, type: ResourceType, namespace: string, entry: Entry): Promise<void> {
    try {
      const watch = this.#client.watch(type, {
        namespace,
        signal: entry.controller.signal,
        onNotice: (notice) => {
          for (const listener of entry.listeners) listener.notice?.(notice);
        },
      });
      for await (const event of watch) {
        if (event.type === 'DELETED') entry.objects.delete(keyOf(event.object));
        else entry.objects.set(keyOf(event.object), event.object);
        const pending = [...entry.listeners]
          .map((listener) => listener.event(event))
          .filter((p) => p instanceof Promise);
        if (pending.length > 0) await Promise.all(pending);
      }
    } catch (error) {
      if (entry.controller.signal.aborted) return;
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
      for (const listener of entry.listeners) listener.error?.(error);
    }
  }
}

const registry = new WeakMap<KubeClient, SharedWatches>();

/** The shared watches of a client: every tracker of that client uses the same ones. */
export function sharedWatches(client: KubeClient): SharedWatches {
  let watches = registry.get(client);
  if (!watches) {
    watches = new SharedWatches(client);
    registry.set(client, watches);
  }
  return watches;
}

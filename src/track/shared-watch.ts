import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { ResourceType } from '../kube/resources.js';
import type { KubeObject, WatchEvent } from '../kube/types.js';
import type { WatchNotice } from '../kube/watch.js';
import { malformed } from '../status/shape.js';
import { indexKeysOf, Selection, type Selectors } from './selection.js';
import type { WatchSource } from './sources.js';

export type { Selectors } from './selection.js';

export interface WatchListener {
  /** A change; may return a promise to pause the shared watch until it resolves (backpressure). */
  event(event: WatchEvent): void | Promise<void>;
  notice?(notice: WatchNotice): void;
  /** The watch failed for good (403, unreachable server past the retry deadline). */
  error?(error: unknown): void;
  /** An object of the wrong shape came ({@link malformed}: what is wrong); it is given to no one. */
  malformed?(object: KubeObject, problem: string): void;
}

/** Where selectors are applied: in the watch request, or in the client to a watch of the whole namespace. */
export type SelectedBy = 'server' | 'client';

interface Entry {
  /** Every subscriber, with the selection applied to it in the client (undefined: it gets everything). */
  listeners: Map<WatchListener, Selection | undefined>;
  /** Subscribers by the index key of their selection; those without one are checked against every object. */
  byIndex: Map<string, Set<WatchListener>>;
  unindexed: Set<WatchListener>;
  /** Latest state of every object, so late subscribers start from the present. */
  objects: Map<string, KubeObject>;
  /**
   * Keys of the objects by their index keys, for the late subscriber that
   * selects; kept only by a watch of the whole collection, the one watch
   * subscribers select from in the client.
   */
  objectsByIndex: Map<string, Set<string>> | undefined;
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
 * One watch per (kind, namespace, server-side selectors) for every tracker of a source, reference
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

  /**
   * Subscribes to the changes of a kind in a namespace that `selectors`
   * select: asked of the server (one watch per selection), or picked in the
   * client from the namespace's one watch (`selectedBy: 'client'`) — the
   * same objects either way. Returns the unsubscribe.
   */
  subscribe(
    type: ResourceType,
    namespace: string,
    listener: WatchListener,
    selectors: Selectors = {},
    selectedBy: SelectedBy = 'server',
  ): () => void {
    const server = selectedBy === 'server' ? selectors : {};
    const selection = selectedBy === 'client' && (selectors.labelSelector || selectors.fieldSelector);
    const key = [
      `${type.group}/${type.plural}`,
      namespace,
      server.labelSelector ?? '',
      server.fieldSelector ?? '',
    ].join('\u0000');
    let entry = this.#entries.get(key);
    const late = entry !== undefined;
    if (!entry) {
      entry = newEntry(!server.labelSelector && !server.fieldSelector);
      this.#entries.set(key, entry);
      void this.#run(key, type, { namespace, ...server }, entry);
    }
    addListener(entry, listener, selection ? new Selection(selectors) : undefined);
    if (late) void this.#replay(entry, listener);
    const current = entry;
    return () => {
      removeListener(current, listener);
      if (current.listeners.size === 0 && this.#entries.get(key) === current) {
        this.#entries.delete(key);
        current.controller.abort();
      }
    };
  }

  /**
   * What a late subscriber missed: the objects the watch knows (that it
   * selects), as ADDED — but not one that changed since (the subscriber got
   * that change itself).
   */
  async #replay(entry: Entry, listener: WatchListener): Promise<void> {
    // Never within `subscribe`: the subscriber learns it is subscribed before it hears anything.
    await null;
    const selection = entry.listeners.get(listener);
    const keys = selection?.index
      ? [...(entry.objectsByIndex?.get(selection.index) ?? [])]
      : [...entry.objects.keys()];
    let slice = performance.now();
    for (const key of keys) {
      if (!entry.listeners.has(listener)) return;
      const object = entry.objects.get(key);
      if (!object || (selection && !selection.matches(object))) continue;
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
          for (const listener of entry.listeners.keys()) listener.notice?.(notice);
        },
      });
      const watch = events[Symbol.asyncIterator]();
      // The last subscriber left: close the watch now, even while this loop waits for its turn.
      const close = () => void watch.return?.().catch(() => undefined);
      entry.controller.signal.addEventListener('abort', close, { once: true });
      let slice = performance.now();
      for await (const event of { [Symbol.asyncIterator]: () => watch }) {
        // Checked before anything reads it, the selections here included.
        const problem = malformed(event.object);
        if (problem) {
          for (const listener of entry.listeners.keys()) listener.malformed?.(event.object, problem);
          continue;
        }
        const pending = deliver(entry, event);
        if (pending.length > 0) await Promise.all(pending);
        if (used(slice)) slice = await aTurnLater();
      }
    } catch (error) {
      if (entry.controller.signal.aborted) return;
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
      for (const listener of entry.listeners.keys()) listener.error?.(error);
    }
  }
}

function newEntry(wholeCollection: boolean): Entry {
  return {
    listeners: new Map(),
    byIndex: new Map(),
    unindexed: new Set(),
    objects: new Map(),
    objectsByIndex: wholeCollection ? new Map() : undefined,
    controller: new AbortController(),
    listed: undefined,
  };
}

function addListener(entry: Entry, listener: WatchListener, selection: Selection | undefined): void {
  entry.listeners.set(listener, selection);
  if (selection?.index) addTo(entry.byIndex, selection.index, listener);
  else entry.unindexed.add(listener);
}

function removeListener(entry: Entry, listener: WatchListener): void {
  const selection = entry.listeners.get(listener);
  entry.listeners.delete(listener);
  if (selection?.index) removeFrom(entry.byIndex, selection.index, listener);
  else entry.unindexed.delete(listener);
}

/**
 * Keeps the object, and hands the change to every subscriber it concerns:
 * as it is to those that select nothing; to those that select, as the API
 * server would — ADDED when the object starts to match, DELETED when it
 * stops. Returns the promises of those that asked the watch to wait.
 */
function deliver(entry: Entry, event: WatchEvent): Promise<void>[] {
  const key = keyOf(event.object);
  const previous = entry.objects.get(key);
  const current = event.type === 'DELETED' ? undefined : event.object;
  if (current) entry.objects.set(key, current);
  else entry.objects.delete(key);
  const byIndex = entry.objectsByIndex;
  const before = byIndex && previous ? indexKeysOf(previous) : [];
  const after = byIndex && current ? indexKeysOf(current) : [];
  if (byIndex) {
    for (const index of before) removeFrom(byIndex, index, key);
    for (const index of after) addTo(byIndex, index, key);
  }
  const pending: Promise<void>[] = [];
  for (const listener of concerned(entry, [...before, ...after])) {
    const selection = entry.listeners.get(listener);
    const change = selection ? selected(selection, event, previous, current) : event;
    const taken = change && listener.event(change);
    if (taken instanceof Promise) pending.push(taken);
  }
  return pending;
}

/** The subscribers a change may concern: the unindexed ones, and those filed under its object's index keys, before or after. */
function concerned(entry: Entry, indexes: string[]): Set<WatchListener> {
  const listeners = new Set(entry.unindexed);
  for (const index of indexes) for (const listener of entry.byIndex.get(index) ?? []) listeners.add(listener);
  return listeners;
}

/** A change as a subscriber that selects sees it, or undefined when it selects the object neither before nor after. */
function selected(
  selection: Selection,
  event: WatchEvent,
  previous: KubeObject | undefined,
  current: KubeObject | undefined,
): WatchEvent | undefined {
  const was = previous !== undefined && selection.matches(previous);
  const is = current !== undefined && selection.matches(current);
  if (is) return was ? event : { type: 'ADDED', object: event.object };
  return was ? { type: 'DELETED', object: event.object } : undefined;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  set?.delete(value);
  if (set?.size === 0) map.delete(key);
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

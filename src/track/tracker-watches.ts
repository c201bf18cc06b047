import { KubeDecodeError } from '../kube/errors.js';
import { isForbidden } from '../kube/rbac.js';
import { findBuiltinResource, type ResourceType } from '../kube/resources.js';
import type { KubeObject, WatchEvent } from '../kube/types.js';
import type { WatchNotice } from '../kube/watch.js';
import type { WatchName } from './model/model.js';
import { EVENT_WATCHES, podSelectorOf } from './scope.js';
import type { Selectors, SharedWatches, WatchListener } from './shared-watch.js';
import type { PodStrategy } from './strategies/index.js';

/** Where a tracker's watches deliver: changes and first lists go to its model; failures end the track. */
export interface WatchSink {
  change(watch: WatchName, change: WatchEvent): void | Promise<void>;
  listed(watch: WatchName): void;
  notice(notice: WatchNotice): void;
  /**
   * A watch the track can do without was given up: the API server refused
   * it (403), or it is one the kind's strategy calls optional. Said once per
   * watch name; the watch counts as listed.
   */
  without(watch: Exclude<WatchName, 'resource'>, error: unknown): void;
  /** A watch the track cannot do without failed for good. */
  failed(watch: WatchName, error: unknown): void;
  /** An object of one of the other watches came malformed, and was skipped: said once per object. */
  skipped(watch: WatchName, object: string, problem: string): void;
}

/** What a tracker watches: its resource, and the watches of `names`, asked of the server as `scope` says. */
export interface WatchPlan {
  type: ResourceType;
  namespace: string;
  name: string;
  strategy: PodStrategy | undefined;
  names: WatchName[];
  /** The Secret or ConfigMap of the Helm revision the resource belongs to. */
  record?: { kind: string; namespace: string; name: string };
  scope: 'resource' | 'namespace';
}

const builtin = (kind: string) => findBuiltinResource(kind) as ResourceType;

/** Events of cluster-scoped objects live in "default". */
const eventNamespace = (namespace: string) => namespace || 'default';

/**
 * The watches of one tracker (see {@link WatchScope}): the same selections
 * in either scope — asked of the server (`'resource'`), or picked in the
 * client from the namespace's shared watches (`'namespace'`), so that a
 * tracker never handles another's objects. The pods and revisions are
 * selected once the resource is seen (its selector is in it), and again
 * when its selector changes; each object on them has its Events selected;
 * the model hears that the Events are listed only once the pods, the
 * revisions and every Event selection made for them have listed — the
 * resource is judged, the first time, on everything there is.
 */
/** What a subscription is for: one of the watches, or (`event/NAME`) the Events of one object. */
type Slot = WatchName | `event/${string}`;

/** The slot of one object's Events. */
const eventsOf = (name: string): Slot => `event/${name}`;

export class TrackerWatches {
  readonly #watches: SharedWatches;
  readonly #plan: WatchPlan;
  readonly #sink: WatchSink;
  /** Open subscriptions by slot. */
  readonly #open = new Map<Slot, () => void>();
  /** Slots other than the Events' whose first list is in. */
  readonly #listed = new Set<Slot>();
  /** The selector pods and revisions are watched with (`''`: the namespace's), once known. */
  #podSelector: string | undefined;
  /** Objects whose Events are watched one by one; undefined once the namespace's Events are. */
  #eventsOf: Set<string> | undefined;
  /** The model was told the Events are listed. */
  #eventsListedSaid = false;
  /** The Event watches whose first list is not in yet. */
  readonly #listing = new Set<Slot>();
  /** Watches given up (refused, or optional and failed): never asked for again. */
  readonly #givenUp = new Set<WatchName>();
  /** Malformed objects already said, by watch and name. */
  readonly #skipped = new Set<string>();

  constructor(watches: SharedWatches, plan: WatchPlan, sink: WatchSink) {
    this.#watches = watches;
    this.#plan = plan;
    this.#sink = sink;
    this.#eventsOf = plan.names.includes('event') ? new Set() : undefined;
  }

  /** Every slot that needs the resource's selector waits for it; the rest open now. */
  open(): void {
    for (const name of this.#plan.names) {
      if ((name === 'pod' || name === 'revision') && this.#podSelector === undefined) continue;
      if (this.#givenUp.has(name)) continue;
      if (name === 'event') this.#watchEventsOf(this.#plan.name);
      else this.#subscribe(name, name, this.#selectorsOf(name));
    }
  }

  close(): void {
    for (const unsubscribe of this.#open.values()) unsubscribe();
    this.#open.clear();
    this.#listing.clear();
  }

  #selectorsOf(name: WatchName): Selectors {
    switch (name) {
      case 'resource':
        return { fieldSelector: `metadata.name=${this.#plan.name}` };
      case 'pod':
      case 'revision':
        return this.#podSelector ? { labelSelector: this.#podSelector } : {};
      case 'release':
        return { fieldSelector: `metadata.name=${this.#plan.record?.name ?? ''}` };
      case 'event':
        return {};
    }
  }

  #typeOf(name: WatchName): { type: ResourceType; namespace: string } {
    const { namespace, strategy, record } = this.#plan;
    switch (name) {
      case 'resource':
        return { type: this.#plan.type, namespace };
      case 'revision':
        return { type: builtin(strategy?.revisions?.kind ?? 'ReplicaSet'), namespace };
      case 'pod':
        return { type: builtin('Pod'), namespace };
      case 'event':
        return { type: builtin('Event'), namespace: eventNamespace(namespace) };
      case 'release':
        return { type: builtin(record?.kind ?? 'Secret'), namespace: record?.namespace ?? namespace };
    }
  }

  /** Opens `slot` (closing what it replaces once the new one is open). */
  #subscribe(slot: Slot, name: WatchName, selectors: Selectors): void {
    const { type, namespace } = this.#typeOf(name);
    const replaced = this.#open.get(slot);
    this.#listed.delete(slot);
    if (name === 'event') this.#listing.add(slot);
    const selectedBy = this.#plan.scope === 'resource' ? 'server' : 'client';
    const listener = this.#listener(slot, name);
    this.#open.set(slot, this.#watches.subscribe(type, namespace, listener, selectors, selectedBy));
    replaced?.();
  }

  #listener(slot: Slot, name: WatchName): WatchListener {
    const optional = name === 'revision' && this.#plan.strategy?.revisions?.optional === true;
    const canDoWithout = (error: unknown) => optional || isForbidden(error);
    return {
      event: (change) => {
        if (change.type !== 'DELETED') this.#saw(name, change.object);
        return this.#sink.change(name, change);
      },
      notice: (notice) => {
        if (notice.type !== 'listed') {
          this.#sink.notice(notice);
          return;
        }
        if (name === 'event') this.#listing.delete(slot);
        else {
          this.#listed.add(slot);
          this.#sink.listed(name);
        }
        this.#eventsMayBeListed();
      },
      error: (error) => {
        this.#listing.delete(slot);
        if (name !== 'resource' && canDoWithout(error)) this.#giveUp(slot, name, error);
        else this.#sink.failed(name, error);
      },
      malformed: (object, problem) => this.#malformed(name, object, problem),
    };
  }

  /**
   * A malformed object that may concern the tracker (by its name): the
   * resource itself cannot be judged — the track fails, naming the object,
   * the field and what it held; another (a pod of many, an Event) is skipped.
   */
  #malformed(watch: WatchName, object: KubeObject, problem: string): void {
    const objectName = typeof object.metadata?.name === 'string' ? object.metadata.name : '';
    const { name, type } = this.#plan;
    if (objectName !== name && !objectName.startsWith(`${name}-`) && !objectName.startsWith(`${name}.`))
      return;
    if (watch === 'resource') {
      if (objectName !== name) return;
      const what = `${type.kind.toLowerCase()}/${name}`;
      this.#sink.failed(watch, new KubeDecodeError(`${what}: the API server sent it malformed: ${problem}`));
      return;
    }
    const key = `${watch}/${objectName}`;
    if (this.#skipped.has(key)) return;
    this.#skipped.add(key);
    this.#sink.skipped(watch, objectName, problem);
  }

  /**
   * A watch the track does without: closed, never opened again, listed
   * for the model; the Events' as a whole (one refused, all are).
   */
  #giveUp(slot: Slot, name: Exclude<WatchName, 'resource'>, error: unknown): void {
    this.#open.get(slot)?.();
    this.#open.delete(slot);
    if (name === 'event') this.#closeEventWatches();
    else this.#listed.add(slot);
    if (!this.#givenUp.has(name)) {
      this.#givenUp.add(name);
      this.#sink.without(name, error);
    }
    this.#eventsMayBeListed();
  }

  /** Closes every Event watch, and opens none from now on. */
  #closeEventWatches(): void {
    for (const [slot, unsubscribe] of this.#open)
      if (slot === 'event' || slot.startsWith('event/')) {
        unsubscribe();
        this.#open.delete(slot);
      }
    this.#listing.clear();
    this.#eventsOf = undefined;
  }

  /** An object came on a watch: the resource's selector may be news; a pod's or revision's Events are wanted. */
  #saw(name: WatchName, object: KubeObject): void {
    if (name === 'resource' && this.#watchesPods()) this.#selectorSeen(object);
    const announced = this.#plan.strategy?.revisions?.announce === true;
    if (name === 'pod' || (name === 'revision' && announced && hasReplicas(object)))
      this.#watchEventsOf(object.metadata.name ?? '');
  }

  #watchesPods(): boolean {
    return this.#plan.names.some((name) => name === 'pod' || name === 'revision');
  }

  /** The resource's pods and revisions are watched with its selector, the namespace's when it has none. */
  #selectorSeen(resource: KubeObject): void {
    const selector = podSelectorOf(resource) ?? '';
    if (selector === this.#podSelector) return;
    this.#podSelector = selector;
    // Without a selector the pods are the namespace's: so are the Events.
    if (!selector) this.#eventsOfNamespace();
    for (const name of this.#plan.names)
      if ((name === 'pod' || name === 'revision') && !this.#givenUp.has(name))
        this.#subscribe(name, name, this.#selectorsOf(name));
  }

  /** Watches one object's Events, or the namespace's once that would take more than {@link EVENT_WATCHES}. */
  #watchEventsOf(name: string): void {
    const watched = this.#eventsOf;
    if (!watched || watched.has(name)) return;
    // Selected in the client, one object's Events cost no connection: no limit.
    if (this.#plan.scope === 'resource' && watched.size >= EVENT_WATCHES) {
      this.#eventsOfNamespace();
      return;
    }
    watched.add(name);
    this.#subscribe(eventsOf(name), 'event', { fieldSelector: `involvedObject.name=${name}` });
  }

  /** One watch of the namespace's Events instead of one per object (opened before those close: nothing is missed). */
  #eventsOfNamespace(): void {
    const watched = this.#eventsOf;
    if (!watched) return;
    this.#eventsOf = undefined;
    this.#subscribe('event', 'event', {});
    for (const name of watched) {
      const slot = eventsOf(name);
      this.#open.get(slot)?.();
      this.#open.delete(slot);
      this.#listing.delete(slot);
    }
    this.#eventsMayBeListed();
  }

  /**
   * The model hears the Events are listed once every Event watch open has
   * listed and the pods and revisions have too (each of their objects has
   * opened its Event watch by then).
   */
  #eventsMayBeListed(): void {
    if (this.#eventsListedSaid) return;
    const waiting = this.#listing.size > 0;
    const podsPending = (['pod', 'revision'] as const).some(
      (name) => this.#plan.names.includes(name) && !this.#listed.has(name),
    );
    if (waiting || (this.#eventsOf && podsPending)) return;
    this.#eventsListedSaid = true;
    this.#sink.listed('event');
  }
}

/** A ReplicaSet that runs or is to run pods: its Events are the rollout's. */
function hasReplicas(revision: KubeObject): boolean {
  const spec = revision.spec as { replicas?: number } | undefined;
  const status = revision.status as { replicas?: number } | undefined;
  return (spec?.replicas ?? 1) > 0 || (status?.replicas ?? 0) > 0;
}

import { changedAfter, createdAfter, hookStarted, recordSaysApplied } from '../../helm-record/applied.js';
import type { KubeObject, WatchEvent } from '../../kube/types.js';

/**
 * How the track of a Helm revision's resource counts what Helm does: a
 * resource is judged once Helm has applied the revision; a hook's object
 * left by an earlier run is not this run's, and a hook Helm deletes once it
 * succeeded (`hook-succeeded`) succeeded when it is deleted.
 */
export interface HelmRules {
  /** The name of the revision's record (on the `release` watch). */
  record: string;
  /** When the revision's record was created (ms since the epoch, whole seconds). */
  since?: number;
  hook?: {
    /** Helm deletes it once it succeeded: its deletion is its success. */
    deletedOnSuccess: boolean;
    /** What Helm recorded of its run when the track started: a hook not there then ends so. */
    ran?: 'Succeeded' | 'Failed';
  };
}

/**
 * What a tracker knows of the Helm revision its resource belongs to: the
 * revision's record, and what the resource was when first seen. Answers
 * whether an object is this revision's — for a resource, whether Helm
 * has applied the revision to it; for a hook, whether the object is this
 * run's — from evidence only, since timestamps have whole seconds.
 */
export class HelmGate {
  readonly #rules: HelmRules;
  readonly #kind: string;
  readonly #name: string;
  #record: KubeObject | undefined;
  /** The generation the resource had when first seen; -Infinity when it was created during the track. */
  #baseline: number | undefined;
  #applied = false;
  /** A hook's object not known to be this run's yet: taken up once the record says Helm started the hook. */
  #parked: KubeObject | undefined;

  constructor(rules: HelmRules, resource: { kind: string; name: string }) {
    this.#rules = rules;
    this.#kind = resource.kind;
    this.#name = resource.name;
  }

  get hook(): HelmRules['hook'] {
    return this.#rules.hook;
  }

  /**
   * An object of the resource's watch: whether it is to be tracked (false:
   * an earlier run's hook, parked). `listed`: the watch's first list is in,
   * so an object not seen before was created during the track.
   */
  admit(change: WatchEvent, listed: boolean): boolean {
    const { object } = change;
    if (this.#baseline === undefined && change.type !== 'DELETED')
      this.#baseline = listed ? Number.NEGATIVE_INFINITY : (object.metadata.generation ?? 0);
    if (!this.#rules.hook) return true;
    if (!this.#earlierRun(object)) {
      this.#parked = undefined;
      return true;
    }
    this.#parked = change.type === 'DELETED' ? undefined : object;
    return false;
  }

  /** The record changed; returns a parked hook object that is now known to be this run's. */
  observeRecord({ type, object }: WatchEvent): KubeObject | undefined {
    if (object.metadata.name !== this.#rules.record) return undefined;
    this.#record = type === 'DELETED' ? undefined : object;
    const parked = this.#parked;
    if (!parked || this.#earlierRun(parked)) return undefined;
    this.#parked = undefined;
    return parked;
  }

  /**
   * Whether Helm has applied the revision to the resource: the record says
   * so (no longer pending, or a `post-*` hook ran), or the resource changed
   * after the revision began — its spec's generation grew while tracked,
   * it was created during the track, or `managedFields` or its creation
   * are stamped a whole second after the record's creation.
   */
  applied(object: KubeObject): boolean {
    if (this.#rules.hook || this.#applied) return true;
    const since = this.#rules.since;
    this.#applied =
      (object.metadata.generation ?? 0) > (this.#baseline ?? Number.POSITIVE_INFINITY) ||
      (since !== undefined && changedAfter(object, since)) ||
      (this.#record !== undefined && recordSaysApplied(this.#record));
    return this.#applied;
  }

  /**
   * A hook's object from an earlier run: created before the record (or in
   * its second) while the record does not say Helm started this hook —
   * Helm deletes the earlier one before it records the start.
   */
  #earlierRun(object: KubeObject): boolean {
    const since = this.#rules.since;
    if (since === undefined || createdAfter(object, since)) return false;
    return !(this.#record && hookStarted(this.#record, this.#kind, this.#name));
  }
}

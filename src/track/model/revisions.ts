import type { KubeObject, WatchEvent } from '../../kube/types.js';
import type { VerdictContext } from '../../status/types.js';
import type { TrackEventInit } from '../events.js';
import type { ResourceRef } from '../resource-ref.js';
import type { CurrentRevision, PodStrategy } from '../strategies/index.js';
import { controllerUid, standInRevision } from '../strategies/strategy.js';

/**
 * Whether an object can be the resource's, judged by names alone (uids are
 * checked later): the shared watches deliver the whole namespace, and a
 * tracker keeps only what may concern it.
 */
export function mayConcern(object: KubeObject, name: string): boolean {
  const prefix = `${name}-`;
  const own = object.metadata.name ?? '';
  if (own === name || own.startsWith(prefix)) return true;
  return (object.metadata.ownerReferences ?? []).some((r) => r.name === name || r.name.startsWith(prefix));
}

/**
 * The objects between a resource and its pods (a Deployment's ReplicaSets,
 * a DaemonSet's ControllerRevisions), and what the kind's strategy makes of
 * them: which controllers' pods are the resource's, and which revision is
 * current. They may come before the resource itself; ownership is checked
 * once it is known.
 */
export class RevisionTracker {
  readonly #ref: ResourceRef;
  #strategy: PodStrategy;
  /** The revisions may not be read: stand-ins of this kind are made from the pods ({@link standInRevision}). */
  #standInKind: string | undefined;
  /** Then, one pod of each controller the pods name, by the controller's name. */
  readonly #referencedBy = new Map<string, KubeObject>();
  /** Objects that may be the resource's, by name. */
  readonly #candidates = new Map<string, KubeObject>();
  /** Those the resource controls, by uid. */
  #owned: Map<string, KubeObject> = new Map();
  readonly #announced = new Set<string>();
  #resource: KubeObject | undefined;
  /** The current revision, worked out again only when the resource or its revisions change. */
  #current: CurrentRevision | undefined;

  constructor(ref: ResourceRef, strategy: PodStrategy) {
    this.#ref = ref;
    this.#strategy = strategy;
  }

  /** The resource's name. */
  get name(): string {
    return this.#ref.name;
  }

  setResource(resource: KubeObject): void {
    this.#resource = resource;
    this.#refreshOwned();
  }

  /** Takes a change of a revision object; returns whether it may concern the resource. */
  observe({ type, object }: WatchEvent): boolean {
    if (!mayConcern(object, this.#ref.name)) return false;
    if (type === 'DELETED') this.#candidates.delete(object.metadata.name ?? '');
    else this.#candidates.set(object.metadata.name ?? '', object);
    this.#refreshOwned();
    return true;
  }

  /**
   * The revisions may not be read (403): the strategy's way without them,
   * if it has one, from now on.
   */
  withoutRevisions(): void {
    const { withoutRevisions, revisions } = this.#strategy;
    if (!withoutRevisions || !revisions) return;
    this.#strategy = withoutRevisions;
    this.#standInKind = revisions.kind;
    this.#candidates.clear();
    this.#refreshOwned();
  }

  /**
   * Takes a pod's word for its revision when the revisions may not be read
   * (its controller reference); returns whether that made a revision known.
   */
  observePod({ type, object: pod }: WatchEvent): boolean {
    const kind = this.#standInKind;
    const reference = pod.metadata.ownerReferences?.find((r) => r.controller);
    if (!kind || type === 'DELETED' || reference?.kind !== kind) return false;
    if (this.#referencedBy.has(reference.name)) return false;
    this.#referencedBy.set(reference.name, pod);
    this.#refreshOwned();
    return true;
  }

  /** The kind of the revisions made from the pods (they may not be read), if they are. */
  get standsIn(): string | undefined {
    return this.#standInKind;
  }

  isOwned(uid: string): boolean {
    return this.#owned.has(uid);
  }

  owned(): Iterable<KubeObject> {
    return this.#owned.values();
  }

  /** Uids of the controllers whose pods are the resource's. */
  owners(): Set<string> {
    return this.#resource ? new Set(this.#strategy.podOwners(this.#resource, this.#owned)) : new Set();
  }

  /** The current revision (see {@link PodStrategy.currentRevision}); undefined before the resource is known. */
  current(): CurrentRevision | undefined {
    return this.#current;
  }

  verdictContext(): Partial<VerdictContext> {
    if (!this.#resource || !this.#strategy.verdictContext) return {};
    return this.#strategy.verdictContext(this.#resource, this.#owned, this.current());
  }

  /**
   * Owned revisions not announced yet: a `replicaset` event each, where the
   * kind announces them. Returns them (their Events are the resource's now).
   */
  announceNew(emit: (event: TrackEventInit) => void): KubeObject[] {
    const fresh = [...this.#owned.values()].filter((r) => !this.#announced.has(r.metadata.uid ?? ''));
    const current = this.current();
    for (const revision of fresh) {
      this.#announced.add(revision.metadata.uid ?? '');
      if (this.#strategy.revisions?.announce)
        emit({
          type: 'replicaset',
          replicaSet: revision.metadata.name ?? '',
          new: revision.metadata.uid === current,
        });
    }
    return fresh;
  }

  #refreshOwned(): void {
    const resource = this.#resource;
    this.#owned = new Map();
    if (resource && this.#standInKind)
      for (const pod of this.#referencedBy.values()) {
        const revision = standInRevision(pod, this.#standInKind, resource);
        if (revision) this.#candidates.set(revision.metadata.name ?? '', revision);
      }
    for (const candidate of this.#candidates.values())
      if (resource?.metadata.uid !== undefined && controllerUid(candidate) === resource.metadata.uid)
        this.#owned.set(candidate.metadata.uid ?? '', candidate);
    this.#current = resource ? this.#strategy.currentRevision(resource, this.#owned) : undefined;
  }
}

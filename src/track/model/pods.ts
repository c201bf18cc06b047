import type { KubeObject } from '../../kube/types.js';
import type { Problem } from '../../status/types.js';

/** What a tracker knows of one pod it may care about. */
export interface PodEntry {
  name: string;
  uid: string | undefined;
  pod: KubeObject;
  /** The uid of its controller. */
  owner: string;
  /** Its revision, as the kind's strategy names revisions. */
  revision: string;
  /** It is the resource's: its controller is the resource (or one of its ReplicaSets). */
  belongs: boolean;
  /** It belongs to the revision being rolled out: judged, and followed from its start. */
  current: boolean;
  /** The phase last announced; undefined until the pod is announced. */
  announced: string | undefined;
  /** Its readiness was said (or it was ready when announced). */
  readySaid: boolean;
  /** The problems its status shows (current pods only). */
  problems: Problem[];
  /** Problems already reported (`container/reason/occurrences`), so each is said once. */
  reported: Set<string>;
}

/** A container's status, as the tracker reads it. */
export interface ContainerStatus {
  name: string;
  /** The runtime's container ID: a new one means the container was restarted. */
  containerID?: string;
  restartCount?: number;
  ready?: boolean;
  state?: { running?: { startedAt?: string }; terminated?: { exitCode?: number; startedAt?: string } };
  lastState?: { terminated?: { containerID?: string } };
}

/** A pod's container statuses, init containers first. */
export function containerStatuses(pod: KubeObject): ContainerStatus[] {
  const status = pod.status as
    | { initContainerStatuses?: ContainerStatus[]; containerStatuses?: ContainerStatus[] }
    | undefined;
  return [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])];
}

/**
 * The statuses of a pod's ephemeral containers (`kubectl debug`): their
 * logs are followed like any, but they are not judged — a debugging
 * session does not fail a workload.
 */
export function ephemeralStatuses(pod: KubeObject): ContainerStatus[] {
  return (
    (pod.status as { ephemeralContainerStatuses?: ContainerStatus[] } | undefined)
      ?.ephemeralContainerStatuses ?? []
  );
}

/** How the tracker classifies a pod: whether it is the resource's, and whether it is current. */
export type PodClassifier = (
  pod: KubeObject,
  owner: string,
  revision: string,
) => { belongs: boolean; current: boolean };

/**
 * The pods a tracker may care about, indexed by name, uid, controller and
 * revision, so that "which pods does this ReplicaSet own" and "which pods
 * are of this revision" are lookups, not scans (client-go's informer
 * indexes): the work per pod event does not grow with the number of pods.
 */
export class PodBook {
  readonly #byName = new Map<string, PodEntry>();
  readonly #byUid = new Map<string, PodEntry>();
  readonly #byOwner = new Map<string, Set<PodEntry>>();
  readonly #byRevision = new Map<string, Set<PodEntry>>();
  readonly #identify: (pod: KubeObject) => { owner: string; revision: string };

  constructor(identify: (pod: KubeObject) => { owner: string; revision: string }) {
    this.#identify = identify;
  }

  byName(name: string): PodEntry | undefined {
    return this.#byName.get(name);
  }

  byUid(uid: string): PodEntry | undefined {
    return this.#byUid.get(uid);
  }

  /** The entry of a new or changed pod, classified; `before` tells what it was. */
  upsert(
    pod: KubeObject,
    classify: PodClassifier,
  ): { entry: PodEntry; before: { belongs: boolean; current: boolean } } {
    const name = pod.metadata.name ?? '';
    const { owner, revision } = this.#identify(pod);
    let entry = this.#byName.get(name);
    if (entry && entry.uid !== pod.metadata.uid) {
      // Deleted and created again under the same name (a StatefulSet's pod): a new pod.
      this.remove(name);
      entry = undefined;
    }
    const before = { belongs: entry?.belongs ?? false, current: entry?.current ?? false };
    if (!entry) {
      entry = {
        name,
        uid: pod.metadata.uid,
        pod,
        owner,
        revision,
        belongs: false,
        current: false,
        announced: undefined,
        readySaid: false,
        problems: [],
        reported: new Set(),
      };
      this.#byName.set(name, entry);
      if (entry.uid) this.#byUid.set(entry.uid, entry);
    } else {
      this.#unindex(entry);
      entry.pod = pod;
      entry.owner = owner;
      entry.revision = revision;
    }
    this.#index(entry);
    this.#classify(entry, classify);
    return { entry, before };
  }

  /** Forgets a pod; returns what was known of it. */
  remove(name: string): PodEntry | undefined {
    const entry = this.#byName.get(name);
    if (!entry) return undefined;
    this.#byName.delete(name);
    if (entry.uid) this.#byUid.delete(entry.uid);
    this.#unindex(entry);
    return entry;
  }

  /** Classifies again the pods of these controllers or revisions; returns those whose standing changed. */
  reclassify(
    keys: { owners?: Iterable<string>; revisions?: Iterable<string>; all?: boolean },
    classify: PodClassifier,
  ): { entry: PodEntry; before: { belongs: boolean; current: boolean } }[] {
    const affected = new Set<PodEntry>();
    if (keys.all) for (const entry of this.#byName.values()) affected.add(entry);
    for (const owner of keys.owners ?? [])
      for (const entry of this.#byOwner.get(owner) ?? []) affected.add(entry);
    for (const revision of keys.revisions ?? [])
      for (const entry of this.#byRevision.get(revision) ?? []) affected.add(entry);
    const changed: { entry: PodEntry; before: { belongs: boolean; current: boolean } }[] = [];
    for (const entry of affected) {
      const before = { belongs: entry.belongs, current: entry.current };
      this.#classify(entry, classify);
      if (before.belongs !== entry.belongs || before.current !== entry.current)
        changed.push({ entry, before });
    }
    return changed;
  }

  /** The pods of the current revision, in the order they came. */
  *current(): Generator<PodEntry, void, undefined> {
    for (const entry of this.#byName.values()) if (entry.current) yield entry;
  }

  /** The pods that are the resource's. */
  *belonging(): Generator<PodEntry, void, undefined> {
    for (const entry of this.#byName.values()) if (entry.belongs) yield entry;
  }

  #classify(entry: PodEntry, classify: PodClassifier): void {
    const standing = classify(entry.pod, entry.owner, entry.revision);
    entry.belongs = standing.belongs;
    entry.current = standing.belongs && standing.current;
  }

  #index(entry: PodEntry): void {
    addTo(this.#byOwner, entry.owner, entry);
    addTo(this.#byRevision, entry.revision, entry);
  }

  #unindex(entry: PodEntry): void {
    removeFrom(this.#byOwner, entry.owner, entry);
    removeFrom(this.#byRevision, entry.revision, entry);
  }
}

function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(value);
}

function removeFrom<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  set?.delete(value);
  if (set?.size === 0) index.delete(key);
}

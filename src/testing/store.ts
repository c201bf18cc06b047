import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { apiVersionOf, type ResourceType } from '../kube/resources.js';
import {
  type FieldRequirement,
  type LabelRequirement,
  matchesFields,
  matchesLabels,
} from '../kube/selector.js';
import type { KubeObject } from '../kube/types.js';
import { statusError } from './status.js';

/**
 * The simulated API server's object store: objects as JSON, one cluster-wide
 * resourceVersion that only grows, a history of changes for watches that
 * resume from an older resourceVersion, and compaction that makes versions
 * older than the history answer `410 Gone` — the behaviour of etcd behind a
 * real API server.
 */

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  resourceVersion: number;
  type: ChangeType;
  typeKey: string;
  object: KubeObject;
  /** The object before the change, to tell when it entered or left a selector. */
  previous: KubeObject | undefined;
}

export interface Selection {
  namespace?: string | undefined;
  labels?: LabelRequirement[];
  fields?: FieldRequirement[];
}

export type Listener = (change: Change) => void;

const typeKeyOf = (type: ResourceType) => `${type.group}/${type.plural}`;
const objectKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

export class ObjectStore {
  #resourceVersion = 1000;
  #compactedThrough = 1000;
  readonly #objects = new Map<string, Map<string, KubeObject>>();
  readonly #history: Change[] = [];
  readonly #listeners = new Set<Listener>();
  /** `typeKey\0ownerUid` → keys of the objects that owner controls: controllers ask for their own often. */
  readonly #byOwner = new Map<string, Set<string>>();
  readonly #now: () => Date;
  readonly #suffix: () => string;
  readonly #uid: () => string;
  readonly #defaulters: ((type: ResourceType, object: KubeObject) => void)[] = [];
  /** History kept for resuming watches; older entries are compacted away. */
  readonly maxHistory: number;

  constructor(
    options: { now?: () => Date; maxHistory?: number; suffix?: () => string; uid?: () => string } = {},
  ) {
    this.#now = options.now ?? (() => new Date());
    this.#suffix = options.suffix ?? randomSuffix;
    this.#uid = options.uid ?? randomUUID;
    this.maxHistory = options.maxHistory ?? 10_000;
  }

  /** Adds a step that fills in defaults on create, as API server admission does (a Service's clusterIP). */
  addDefaulter(defaulter: (type: ResourceType, object: KubeObject) => void): void {
    this.#defaulters.push(defaulter);
  }

  get resourceVersion(): number {
    return this.#resourceVersion;
  }

  /** The oldest resourceVersion a watch can still resume from. */
  get compactedThrough(): number {
    return this.#compactedThrough;
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.#bucket(type).get(objectKey(type.namespaced ? namespace : undefined, name));
    return found ? structuredClone(found) : undefined;
  }

  list(type: ResourceType, selection: Selection = {}): { items: KubeObject[]; resourceVersion: number } {
    const items = [...this.#bucket(type).values()]
      .filter((o) => matches(o, selection))
      .sort((a, b) => sortKey(a).localeCompare(sortKey(b)))
      .map((o) => structuredClone(o));
    return { items, resourceVersion: this.#resourceVersion };
  }

  /** How many objects `list` would return, without copying them. */
  count(type: ResourceType, selection: Selection = {}): number {
    let n = 0;
    for (const object of this.#bucket(type).values()) if (matches(object, selection)) n++;
    return n;
  }

  create(type: ResourceType, input: KubeObject): KubeObject {
    const object = structuredClone(input);
    const meta = object.metadata ?? {};
    object.metadata = meta;
    // As the API server's name generator: the base is cut to 58 characters, so the name fits in 63.
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName.slice(0, 58)}${this.#suffix()}`;
    if (!meta.name)
      throw statusError(
        422,
        'Invalid',
        `${type.kind} in version "${type.version}" cannot be handled: metadata.name is required`,
      );
    if (!type.namespaced) delete meta.namespace;
    const key = objectKey(meta.namespace, meta.name);
    const bucket = this.#bucket(type);
    if (bucket.has(key)) {
      throw statusError(409, 'AlreadyExists', `${resourceName(type)} "${meta.name}" already exists`, {
        name: meta.name,
        kind: type.plural,
        group: type.group,
      });
    }
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
    meta.uid = this.#uid();
    meta.creationTimestamp = this.#now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    if (type.kind !== 'Event' && (object.spec !== undefined || type.group !== '')) meta.generation = 1;
    for (const defaulter of this.#defaulters) defaulter(type, object);
    return this.#commit(type, 'ADDED', object, undefined);
  }

  /** Replaces an object (PUT). With `subresource: 'status'` only the status changes; otherwise the status is kept. */
  update(type: ResourceType, input: KubeObject, options: { subresource?: 'status' } = {}): KubeObject {
    const name = input.metadata?.name ?? '';
    const current = this.#require(type, input.metadata?.namespace, name);
    const wanted = input.metadata?.resourceVersion;
    if (wanted && wanted !== current.metadata.resourceVersion) {
      throw statusError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${resourceName(type)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name, kind: type.plural, group: type.group },
      );
    }
    const next = structuredClone(input);
    if (options.subresource === 'status') {
      const merged = structuredClone(current);
      merged.status = next.status;
      return this.#commitIfChanged(type, merged, current);
    }
    next.apiVersion = current.apiVersion;
    next.kind = current.kind;
    next.metadata = {
      ...next.metadata,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      namespace: current.metadata.namespace,
    };
    if (current.status !== undefined) next.status = current.status;
    else delete next.status;
    if (current.metadata.generation !== undefined) {
      next.metadata.generation = current.metadata.generation + (specChanged(current, next) ? 1 : 0);
    }
    if (current.metadata.deletionTimestamp)
      next.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
    return this.#commitIfChanged(type, next, current);
  }

  /**
   * Stores an object as another API server holds it — its uid and timestamps
   * kept, the resourceVersion this store's own — creating or replacing it.
   * For copies of a real cluster's objects (the simulated nodes of the e2e tier).
   */
  mirror(type: ResourceType, object: KubeObject): KubeObject {
    const copy = structuredClone(object);
    const current = this.#bucket(type).get(objectKey(copy.metadata.namespace, copy.metadata.name ?? ''));
    if (current) return this.#commitIfChanged(type, copy, current);
    return this.#commit(type, 'ADDED', copy, undefined);
  }

  /** Replaces the whole status of an object, as a controller's status update does; no-op when equal. */
  replaceStatus(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    status: unknown,
  ): KubeObject {
    const current = this.#require(type, namespace, name);
    return this.#commitIfChanged(
      type,
      { ...structuredClone(current), status: structuredClone(status) },
      current,
    );
  }

  /** JSON merge patch (RFC 7386) of an object or of its status. */
  patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options: { subresource?: 'status' } = {},
  ): KubeObject {
    const current = this.#require(type, namespace, name);
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      throw statusError(400, 'BadRequest', 'the patch is not a JSON object');
    }
    const scoped =
      options.subresource === 'status'
        ? { status: (patch as { status?: unknown }).status }
        : (patch as Record<string, unknown>);
    const next = mergePatch(structuredClone(current), scoped) as KubeObject;
    if (options.subresource !== 'status') {
      if (current.status === undefined) delete next.status;
      else next.status = current.status;
    }
    next.metadata = {
      ...next.metadata,
      uid: current.metadata.uid,
      name: current.metadata.name,
      namespace: current.metadata.namespace,
    };
    if (current.metadata.generation !== undefined && options.subresource !== 'status') {
      next.metadata.generation = current.metadata.generation + (specChanged(current, next) ? 1 : 0);
    }
    return this.#commitIfChanged(type, next, current);
  }

  /**
   * Deletes an object; one with finalizers is only marked (its
   * deletionTimestamp set), as the API server does, and goes once an update
   * removes the last of them.
   */
  delete(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const current = this.#require(type, namespace, name);
    if (hasFinalizers(current)) {
      if (current.metadata.deletionTimestamp) return structuredClone(current);
      const marked = structuredClone(current);
      marked.metadata.deletionTimestamp = this.#now()
        .toISOString()
        .replace(/\.\d+Z$/, 'Z');
      return this.#commit(type, 'MODIFIED', marked, current);
    }
    return this.#remove(type, current);
  }

  #remove(type: ResourceType, current: KubeObject): KubeObject {
    this.#bucket(type).delete(objectKey(current.metadata.namespace, current.metadata.name ?? ''));
    return this.#commit(type, 'DELETED', structuredClone(current), current);
  }

  /** The objects of a type whose controller (ownerReference with `controller: true`) has this uid. */
  listOwned(type: ResourceType, ownerUid: string): KubeObject[] {
    const bucket = this.#bucket(type);
    const items: KubeObject[] = [];
    for (const key of this.#byOwner.get(`${typeKeyOf(type)}\0${ownerUid}`) ?? []) {
      const object = bucket.get(key);
      if (object) items.push(object);
    }
    return items.sort((a, b) => sortKey(a).localeCompare(sortKey(b))).map((o) => structuredClone(o));
  }

  /** Calls `listener` for every change from now on; returns the function that stops it. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Changes after `resourceVersion`, or a 410 error when they were compacted away. */
  changesSince(resourceVersion: number): Change[] {
    if (resourceVersion < this.#compactedThrough) {
      throw statusError(
        410,
        'Expired',
        `too old resource version: ${resourceVersion} (${this.#compactedThrough})`,
      );
    }
    return this.#history.filter((c) => c.resourceVersion > resourceVersion);
  }

  /** Forgets history up to `resourceVersion` (default: everything), as etcd compaction does. */
  compact(resourceVersion = this.#resourceVersion): void {
    const through = Math.min(resourceVersion, this.#resourceVersion);
    while (this.#history.length > 0 && (this.#history[0]?.resourceVersion ?? 0) <= through)
      this.#history.shift();
    this.#compactedThrough = Math.max(this.#compactedThrough, through);
  }

  #indexOwner(
    type: ResourceType,
    changeType: ChangeType,
    object: KubeObject,
    previous: KubeObject | undefined,
  ): void {
    const key = objectKey(object.metadata.namespace, object.metadata.name ?? '');
    const before = previous ? controllerUid(previous) : undefined;
    const after = changeType === 'DELETED' ? undefined : controllerUid(object);
    if (before === after) return;
    if (before !== undefined) {
      const indexKey = `${typeKeyOf(type)}\0${before}`;
      const keys = this.#byOwner.get(indexKey);
      keys?.delete(key);
      if (keys?.size === 0) this.#byOwner.delete(indexKey);
    }
    if (after !== undefined) {
      const indexKey = `${typeKeyOf(type)}\0${after}`;
      let keys = this.#byOwner.get(indexKey);
      if (!keys) {
        keys = new Set();
        this.#byOwner.set(indexKey, keys);
      }
      keys.add(key);
    }
  }

  #bucket(type: ResourceType): Map<string, KubeObject> {
    const typeKey = typeKeyOf(type);
    let bucket = this.#objects.get(typeKey);
    if (!bucket) {
      bucket = new Map();
      this.#objects.set(typeKey, bucket);
    }
    return bucket;
  }

  #require(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.#bucket(type).get(objectKey(type.namespaced ? namespace : undefined, name));
    if (!found) {
      throw statusError(404, 'NotFound', `${resourceName(type)} "${name}" not found`, {
        name,
        kind: type.plural,
        group: type.group,
      });
    }
    return found;
  }

  #commitIfChanged(type: ResourceType, next: KubeObject, current: KubeObject): KubeObject {
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (isDeepStrictEqual(next, current)) return structuredClone(current);
    // The last finalizer of an object being deleted was removed: it goes.
    if (current.metadata.deletionTimestamp && hasFinalizers(current) && !hasFinalizers(next)) {
      this.#commit(type, 'MODIFIED', next, current);
      return this.#remove(type, next);
    }
    return this.#commit(type, 'MODIFIED', next, current);
  }

  #commit(
    type: ResourceType,
    changeType: ChangeType,
    object: KubeObject,
    previous: KubeObject | undefined,
  ): KubeObject {
    this.#resourceVersion++;
    object.metadata.resourceVersion = String(this.#resourceVersion);
    this.#indexOwner(type, changeType, object, previous);
    if (changeType !== 'DELETED')
      this.#bucket(type).set(objectKey(object.metadata.namespace, object.metadata.name ?? ''), object);
    const change: Change = {
      resourceVersion: this.#resourceVersion,
      type: changeType,
      typeKey: typeKeyOf(type),
      object,
      previous,
    };
    this.#history.push(change);
    if (this.#history.length > this.maxHistory)
      this.compact(this.#history[this.#history.length - this.maxHistory]?.resourceVersion);
    for (const listener of this.#listeners) listener(change);
    return structuredClone(object);
  }
}

export { typeKeyOf };

export function matches(object: KubeObject, selection: Selection): boolean {
  if (
    selection.namespace !== undefined &&
    selection.namespace !== '' &&
    object.metadata.namespace !== selection.namespace
  ) {
    return false;
  }
  if (selection.labels && !matchesLabels(selection.labels, object.metadata.labels)) return false;
  if (selection.fields && !matchesFields(selection.fields, object)) return false;
  return true;
}

function controllerUid(object: KubeObject): string | undefined {
  return object.metadata.ownerReferences?.find((r) => r.controller)?.uid;
}

function sortKey(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

function resourceName(type: ResourceType): string {
  return type.group === '' ? type.plural : `${type.plural}.${type.group}`;
}

function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = ({ metadata: _m, status: _s, ...rest }: KubeObject) => rest;
  return !isDeepStrictEqual(strip(a), strip(b));
}

const hasFinalizers = (object: KubeObject) => ((object.metadata.finalizers as unknown[]) ?? []).length > 0;

/** RFC 7386: null deletes, objects merge recursively, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** The 5-character suffix the API server gives `generateName` objects. */
function randomSuffix(): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += ALPHANUMS[Math.floor(Math.random() * ALPHANUMS.length)];
  return suffix;
}

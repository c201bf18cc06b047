import { isDeepStrictEqual } from 'node:util';
import { isRecord, type KubeObject } from '../kube/types.js';

/**
 * Server-side apply as the simulated API server does it: enough of the
 * API server's field management for `kubectl apply --server-side` and
 * `KubeClient.apply` — who owns which field (`metadata.managedFields`,
 * FieldsV1), conflicts with other managers (a 409 naming them, unless
 * `force`), and fields a manager stops applying are removed. Simpler than
 * the real one in one way: lists are owned whole (no merge keys).
 * https://kubernetes.io/docs/reference/using-api/server-side-apply/
 */

/** A field, as the path of keys from the object's root: `["spec", "replicas"]`. */
type Path = string[];

/** Fields apply never owns: the object's identity, what the server writes, the status. */
const NOT_OWNED = new Set([
  'apiVersion',
  'kind',
  'status',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'metadata.resourceVersion',
  'metadata.generation',
  'metadata.creationTimestamp',
  'metadata.managedFields',
  'metadata.deletionTimestamp',
]);

interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
}

/** A field another manager owns and the apply would change. */
export interface Conflict {
  manager: string;
  /** `.spec.replicas` */
  field: string;
}

/** The fields an object sets: every leaf (a scalar, a list, an empty map), but those apply never owns. */
export function fieldsOf(object: unknown, prefix: Path = []): Path[] {
  if (!isRecord(object) || (Object.keys(object).length === 0 && prefix.length > 0)) return [prefix];
  const paths: Path[] = [];
  for (const [key, value] of Object.entries(object)) {
    const path = [...prefix, key];
    if (NOT_OWNED.has(path.join('.'))) continue;
    paths.push(...fieldsOf(value, path));
  }
  return paths;
}

const keyOf = (path: Path) => path.join('\u0000');
const dotted = (path: Path) => `.${path.join('.')}`;

function valueAt(object: unknown, path: Path): unknown {
  let current = object;
  for (const key of path) current = isRecord(current) ? current[key] : undefined;
  return current;
}

function setAt(object: Record<string, unknown>, path: Path, value: unknown): void {
  let current = object;
  for (const key of path.slice(0, -1)) {
    if (!isRecord(current[key])) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[path.at(-1) as string] = structuredClone(value);
}

function removeAt(object: Record<string, unknown>, path: Path): void {
  const parent = valueAt(object, path.slice(0, -1));
  if (isRecord(parent)) delete parent[path.at(-1) as string];
}

/** FieldsV1 (`{"f:spec":{"f:replicas":{}}}`) from paths, and back. */
export function toFieldsV1(paths: Path[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    let node = root;
    for (const key of path) {
      node[`f:${key}`] ??= {};
      node = node[`f:${key}`] as Record<string, unknown>;
    }
  }
  return root;
}

export function fromFieldsV1(fields: unknown, prefix: Path = []): Path[] {
  if (!isRecord(fields) || Object.keys(fields).length === 0) return prefix.length > 0 ? [prefix] : [];
  return Object.entries(fields).flatMap(([key, value]) =>
    key.startsWith('f:') ? fromFieldsV1(value, [...prefix, key.slice(2)]) : [],
  );
}

/** Who owns which field of an object now. */
function owners(object: KubeObject | undefined): Map<string, { entry: ManagedFieldsEntry; paths: Path[] }> {
  const managed = (object?.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  return new Map(managed.map((entry) => [entry.manager, { entry, paths: fromFieldsV1(entry.fieldsV1) }]));
}

/**
 * Applies `applied` on top of `current` (undefined: a new object) for
 * `manager`. Returns the object to store, or the conflicts when other
 * managers own fields it would change (`force` takes them over instead).
 */
export function serverSideApply(
  current: KubeObject | undefined,
  applied: KubeObject,
  options: { manager: string; force: boolean; now: Date },
): { object: KubeObject; conflicts: [] } | { object: undefined; conflicts: Conflict[] } {
  const fields = fieldsOf(applied);
  const managers = owners(current);
  const conflicts: Conflict[] = [];
  for (const [manager, { paths }] of managers) {
    if (manager === options.manager) continue;
    const theirs = new Set(paths.map(keyOf));
    for (const path of fields)
      if (theirs.has(keyOf(path)) && !isDeepStrictEqual(valueAt(current, path), valueAt(applied, path)))
        conflicts.push({ manager, field: dotted(path) });
  }
  if (conflicts.length > 0 && !options.force) return { object: undefined, conflicts };
  const next = structuredClone(
    current ?? {
      apiVersion: applied.apiVersion,
      kind: applied.kind,
      metadata: { name: applied.metadata.name, namespace: applied.metadata.namespace },
    },
  );
  // Fields this manager applied before and no longer does, and no one else owns, go.
  const applying = new Set(fields.map(keyOf));
  const ownedByOthers = new Set(
    [...managers].filter(([m]) => m !== options.manager).flatMap(([, o]) => o.paths.map(keyOf)),
  );
  for (const path of managers.get(options.manager)?.paths ?? [])
    if (!applying.has(keyOf(path)) && !ownedByOthers.has(keyOf(path))) removeAt(next, path);
  for (const path of fields) setAt(next, path, valueAt(applied, path));
  next.metadata.managedFields = managedFieldsAfter(managers, fields, conflicts, applied, options);
  return { object: next, conflicts: [] };
}

/**
 * The managedFields after an apply: the manager owns what it applied;
 * fields it took over by force leave their old owners, fields applied with
 * the value they had are shared.
 */
function managedFieldsAfter(
  managers: ReturnType<typeof owners>,
  fields: Path[],
  forced: Conflict[],
  applied: KubeObject,
  options: { manager: string; now: Date },
): ManagedFieldsEntry[] {
  const entries: ManagedFieldsEntry[] = [];
  for (const [manager, { entry, paths }] of managers) {
    if (manager === options.manager) continue;
    const taken = new Set(forced.filter((c) => c.manager === manager).map((c) => c.field));
    const kept = paths.filter((path) => !taken.has(dotted(path)));
    if (kept.length > 0) entries.push({ ...entry, fieldsV1: toFieldsV1(kept) });
  }
  entries.push({
    manager: options.manager,
    operation: 'Apply',
    ...(applied.apiVersion ? { apiVersion: applied.apiVersion } : {}),
    time: options.now.toISOString().replace(/\.\d+Z$/, 'Z'),
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(fields),
  });
  return entries;
}

/** The API server's words for a failed apply. */
export function conflictMessage(conflicts: Conflict[]): string {
  const count = `${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}`;
  return `Apply failed with ${count}: ${conflicts.map((c) => `conflict with "${c.manager}": ${c.field}`).join(', ')}`;
}

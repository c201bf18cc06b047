import {
  decodeRecord,
  type HelmStorage,
  recordSelector,
  recordVersion,
  STORAGE_KINDS,
} from '../helm-record/codec.js';
import { InvalidInputError } from '../kube/errors.js';
import { parseManifests } from '../kube/manifests.js';
import { isForbidden, withRule } from '../kube/rbac.js';
import type { KubeObject } from '../kube/types.js';
import type { TrackSource } from '../track/sources.js';
import { type HelmHook, hookOf } from './hooks.js';

/** What kubedog reads of one revision of a Helm 3 release. */
export interface HelmRelease {
  /** The release name (`helm install NAME`). */
  name: string;
  /** The release's namespace: objects without one are in it. */
  namespace: string;
  /** The revision (`helm history`), 1 for the first install. */
  version: number;
  /** Helm's status of the revision: `deployed`, `pending-install`, `pending-upgrade`, `failed`, `superseded`… */
  status: string;
  /** Helm's description of what happened (`Upgrade complete`, or why it failed). */
  description: string;
  /** What made the revision: `install`, `upgrade` or `rollback`; its hooks are that operation's. */
  operation: HelmOperation;
  /** The rendered manifests of the release, hooks excluded (as `helm get manifest`). */
  objects: KubeObject[];
  /** Its hooks, as Helm recorded them (every phase; {@link HelmHook}). */
  hooks: HelmHook[];
  /** The object the revision is stored in, and when the API server created it (before any of its hooks ran). */
  record: { kind: 'Secret' | 'ConfigMap'; name: string; createdAt: string | undefined };
}

/** The Helm operation that made a revision. */
export type HelmOperation = 'install' | 'upgrade' | 'rollback';

const PENDING: Record<string, HelmOperation> = {
  'pending-install': 'install',
  'pending-upgrade': 'upgrade',
  'pending-rollback': 'rollback',
};

/**
 * Which operation made a revision: its pending status says it while Helm
 * works; afterwards Helm's description (`Install complete`, `Upgrade
 * "shop" failed: …`, `Rollback to 2`); else the first revision is an install.
 */
function operationOf(status: string, description: string, version: number): HelmOperation {
  const pending = PENDING[status];
  if (pending) return pending;
  if (/^rollback\b/i.test(description)) return 'rollback';
  if (/^upgrade\b/i.test(description)) return 'upgrade';
  if (/^(install|release "[^"]*" failed)/i.test(description)) return 'install';
  return version <= 1 ? 'install' : 'upgrade';
}

/**
 * A release record (a Secret or ConfigMap Helm wrote) as a {@link HelmRelease}.
 * @throws {InvalidInputError} a record that does not hold a release, naming it
 */
export function releaseFromRecord(record: KubeObject): HelmRelease {
  const where = `${record.kind} ${record.metadata.namespace ?? ''}/${record.metadata.name ?? ''}`;
  let release: Record<string, unknown>;
  try {
    release = decodeRecord(record);
  } catch (error) {
    throw new InvalidInputError(`${where} is not a Helm release: ${(error as Error).message}`, where);
  }
  const info = (typeof release.info === 'object' && release.info !== null ? release.info : {}) as {
    status?: unknown;
    description?: unknown;
  };
  const name = typeof release.name === 'string' ? release.name : String(record.metadata.labels?.name);
  const namespace =
    typeof release.namespace === 'string' ? release.namespace : String(record.metadata.namespace);
  const version = Number(release.version ?? recordVersion(record));
  const status = typeof info.status === 'string' ? info.status : 'unknown';
  const description = typeof info.description === 'string' ? info.description : '';
  const manifest = typeof release.manifest === 'string' ? release.manifest : '';
  const inNamespace = (object: KubeObject): KubeObject => ({
    ...object,
    metadata: { ...object.metadata, namespace: object.metadata.namespace ?? namespace },
  });
  const hooks = Array.isArray(release.hooks) ? release.hooks : [];
  return {
    name,
    namespace,
    version,
    status,
    description,
    operation: operationOf(status, description, version),
    objects: parseManifests(manifest, `helm release ${name} v${version}`).map(inNamespace),
    hooks: hooks.map((hook, i) => hookOf(hook, `${where} hook ${i + 1}`, inNamespace)),
    record: {
      kind: record.kind as 'Secret' | 'ConfigMap',
      name: record.metadata.name ?? '',
      createdAt: record.metadata.creationTimestamp,
    },
  };
}

/** What reading a release needs: lists of its records (a {@link KubeClient} is one). */
export type RecordSource = Required<Pick<TrackSource, 'list' | 'namespace'>>;

/** Options of {@link readHelmRelease}. */
export interface ReadHelmReleaseOptions {
  /** @default the client's namespace */
  namespace?: string;
  /** Where Helm keeps the release (`HELM_DRIVER`). @default 'secret' */
  storage?: HelmStorage;
  /** Which revision. @default the newest */
  revision?: number;
  /** Ends the read: it rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Every stored revision of a release (its Secrets or ConfigMaps), newest first.
 * @throws {KubeApiError} they cannot be listed (a 403 without `list secrets`)
 */
export async function listRevisions(
  client: RecordSource,
  name: string,
  options: Omit<ReadHelmReleaseOptions, 'revision'> = {},
): Promise<KubeObject[]> {
  const storage = options.storage ?? 'secret';
  const { items } = await client
    .list(STORAGE_KINDS[storage], {
      namespace: options.namespace ?? client.namespace,
      labelSelector: recordSelector(name),
      ...(options.signal ? { signal: options.signal } : {}),
    })
    .catch((error: unknown) => {
      throw isForbidden(error) ? withRule(error, ['list']) : error;
    });
  return items
    .filter(
      (record) => storage === 'configmap' || (record as { type?: string }).type === 'helm.sh/release.v1',
    )
    .sort((a, b) => recordVersion(b) - recordVersion(a));
}

/**
 * Reads one revision of a Helm 3 release — the newest unless `revision`
 * says which: the one being installed or upgraded, or the last deployed —
 * with its manifests and hooks. The namespace is the client's unless given.
 * @throws {InvalidInputError} no such release or revision, or a record that does not hold one
 * @throws {KubeApiError} the records cannot be listed (a 403 without `list secrets`)
 * @example
 * import { readHelmRelease } from 'kubedog/helm';
 *
 * const release = await readHelmRelease(client, 'shop');
 * console.log(`${release.name} v${release.version} ${release.status}: ${release.objects.length} objects`);
 * // prints: shop v1 deployed: 1 objects
 */
export async function readHelmRelease(
  client: RecordSource,
  name: string,
  options: ReadHelmReleaseOptions = {},
): Promise<HelmRelease> {
  const namespace = options.namespace ?? client.namespace;
  const records = await listRevisions(client, name, options);
  const record =
    options.revision === undefined ? records[0] : records.find((r) => recordVersion(r) === options.revision);
  if (!record) throw new InvalidInputError(missing(name, namespace, options, records), name);
  return releaseFromRecord(record);
}

function missing(
  name: string,
  namespace: string,
  options: ReadHelmReleaseOptions,
  records: KubeObject[],
): string {
  const kind = STORAGE_KINDS[options.storage ?? 'secret'];
  if (records.length === 0)
    return `no Helm release "${name}" in namespace "${namespace}" (no ${kind} sh.helm.release.v1.${name}.vN)`;
  const versions = records.map(recordVersion).sort((a, b) => a - b);
  return `Helm release "${name}" in namespace "${namespace}" has no revision ${options.revision} (it has ${versions.join(', ')})`;
}

import type * as Zlib from 'node:zlib';
import type { KubeObject } from '../kube/types.js';
import { loadBuiltin } from '../vendor/load.js';

const zlib = () => loadBuiltin<typeof Zlib>('node:zlib');

/**
 * Where Helm 3 keeps a release's revisions (`HELM_DRIVER`): one Secret
 * (the default) or one ConfigMap per revision, named
 * `sh.helm.release.v1.NAME.vN`, labelled `owner=helm,name=NAME,version=N`.
 */
export type HelmStorage = 'secret' | 'configmap';

/** The kind of the objects a storage keeps revisions in. */
export const STORAGE_KINDS: Record<HelmStorage, 'Secret' | 'ConfigMap'> = {
  secret: 'Secret',
  configmap: 'ConfigMap',
};

/** The type Helm gives its release Secrets. */
export const RELEASE_SECRET_TYPE = 'helm.sh/release.v1';

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

/** The name of the object that holds one revision. */
export const recordName = (release: string, version: number): string =>
  `sh.helm.release.v1.${release}.v${version}`;

/** The label selector of every revision of a release. */
export const recordSelector = (release: string): string => `owner=helm,name=${release}`;

/** Whether an object is one of Helm's release records (Secret or ConfigMap). */
export function isReleaseRecord(object: KubeObject): boolean {
  if (object.kind === 'Secret') return (object as { type?: string }).type === RELEASE_SECRET_TYPE;
  // Any shape may come here (verdicts never throw): metadata may be missing.
  return object.kind === 'ConfigMap' && object.metadata?.labels?.owner === 'helm' && hasRelease(object);
}

const hasRelease = (object: KubeObject) =>
  typeof (object as { data?: { release?: unknown } }).data?.release === 'string';

/** The revision number a record's labels say. */
export const recordVersion = (object: KubeObject): number => Number(object.metadata?.labels?.version ?? 0);

/**
 * The release JSON a record holds. Helm writes base64(gzip(JSON)) (older
 * Helm: base64(JSON)); a Secret's data is base64 once more, as every
 * Secret's is. See helm's pkg/storage/driver/util.go.
 * @throws {Error} data that is not a release (the caller names the object)
 */
export function decodeRecord(object: KubeObject): Record<string, unknown> {
  const data = (object as { data?: { release?: unknown } }).data?.release;
  if (typeof data !== 'string' || data === '') throw new Error('it has no release data');
  const helmBase64 = object.kind === 'Secret' ? Buffer.from(data, 'base64').toString('latin1') : data;
  return decodeRelease(helmBase64);
}

/** What the trackers read of a record, again and again: Helm's status and what it recorded of its hooks. */
export type RecordSummary =
  | {
      readable: true;
      status: string;
      description: string;
      hooks: { kind: unknown; name: unknown; events: string[]; started: boolean }[];
    }
  | { readable: false; error: string };

/** One summary per record object: a verdict judged every quarter second decodes (gunzips) it once. */
const summaries = new WeakMap<KubeObject, RecordSummary>();

/** The {@link RecordSummary} of a record; one that does not decode says why. */
export function recordSummary(record: KubeObject): RecordSummary {
  let summary = summaries.get(record);
  if (!summary) {
    summary = summarize(record);
    summaries.set(record, summary);
  }
  return summary;
}

function summarize(record: KubeObject): RecordSummary {
  let release: Record<string, unknown>;
  try {
    release = decodeRecord(record);
  } catch (error) {
    return { readable: false, error: (error as Error).message };
  }
  const info = (typeof release.info === 'object' && release.info !== null ? release.info : {}) as {
    status?: unknown;
    description?: unknown;
  };
  const hooks = (Array.isArray(release.hooks) ? release.hooks : []) as Record<string, unknown>[];
  return {
    readable: true,
    status: typeof info.status === 'string' ? info.status : 'unknown',
    description: typeof info.description === 'string' ? info.description : '',
    hooks: hooks.map((hook) => {
      const phase = (hook.last_run as { phase?: unknown } | undefined)?.phase;
      const events = Array.isArray(hook.events) ? hook.events : [];
      return {
        kind: hook.kind,
        name: hook.name,
        events: events.filter((e): e is string => typeof e === 'string'),
        started: typeof phase === 'string' && phase !== '',
      };
    }),
  };
}

/** Helm's encoding of a release (base64 of gzip, or of plain JSON) to its JSON. */
export function decodeRelease(helmBase64: string): Record<string, unknown> {
  const bytes = Buffer.from(helmBase64, 'base64');
  const gzipped = GZIP_MAGIC.every((b, i) => bytes[i] === b);
  const json = (gzipped ? zlib().gunzipSync(bytes) : bytes).toString('utf8');
  const release: unknown = JSON.parse(json);
  if (typeof release !== 'object' || release === null || Array.isArray(release))
    throw new Error('its release data is not a JSON object');
  return release as Record<string, unknown>;
}

/** Encodes a release the way Helm 3 does: base64 of gzip of its JSON. */
export function encodeRelease(release: Record<string, unknown>): string {
  return zlib()
    .gzipSync(Buffer.from(JSON.stringify(release)))
    .toString('base64');
}

/**
 * A release record as Helm 3 writes it, for a storage: the Secret (type
 * `helm.sh/release.v1`, its data base64 once more) or the ConfigMap.
 */
export function releaseRecord(storage: HelmStorage, release: Record<string, unknown>): KubeObject {
  const name = String(release.name);
  const version = Number(release.version);
  const status = String((release.info as { status?: unknown } | undefined)?.status ?? 'unknown');
  const encoded = encodeRelease(release);
  const metadata = {
    name: recordName(name, version),
    namespace: String(release.namespace),
    labels: { name, owner: 'helm', status, version: String(version) },
  };
  if (storage === 'configmap')
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { release: encoded } } as KubeObject;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: RELEASE_SECRET_TYPE,
    metadata,
    data: { release: Buffer.from(encoded, 'latin1').toString('base64') },
  } as KubeObject;
}

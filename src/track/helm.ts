import { gunzipSync, gzipSync } from 'node:zlib';
import type { KubeClient } from '../kube/client.js';
import { InvalidInputError } from '../kube/errors.js';
import { parseManifests } from '../kube/manifests.js';
import type { KubeObject } from '../kube/types.js';

/** What kubedog reads of a Helm 3 release. */
export interface HelmRelease {
  /** The release name (`helm install NAME`). */
  name: string;
  /** The release's namespace: objects without one are in it. */
  namespace: string;
  /** The revision (`helm history`), 1 for the first install. */
  version: number;
  /** Helm's status of the revision: `deployed`, `pending-install`, `pending-upgrade`, `failed`, `superseded`… */
  status: string;
  /** The rendered manifests of the release (hooks excluded, as `helm get manifest`). */
  objects: KubeObject[];
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

/**
 * Decodes the `release` field of a Helm 3 release Secret
 * (`sh.helm.release.v1.NAME.vN`): base64 (Helm's own, inside the Secret's),
 * usually gzip, then JSON. See helm's pkg/storage/driver/util.go.
 */
export function decodeHelmRelease(data: string, source: string): Record<string, unknown> {
  const bytes = Buffer.from(Buffer.from(data, 'base64').toString('latin1'), 'base64');
  const gzipped = GZIP_MAGIC.every((b, i) => bytes[i] === b);
  try {
    const json = (gzipped ? gunzipSync(bytes) : bytes).toString('utf8');
    return JSON.parse(json) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidInputError(`${source} is not a Helm release: ${(error as Error).message}`, source);
  }
}

/**
 * Reads the newest revision of a Helm 3 release from its Secrets (label
 * `owner=helm,name=NAME`) — the one being installed or upgraded, or the last
 * deployed — and parses its manifest. The namespace is the client's unless
 * given.
 * @throws {InvalidInputError} no such release, or a Secret that does not hold one
 * @throws {KubeApiError} the Secrets cannot be listed (a 403 without `list secrets`)
 * @example
 * import { multitrack, readHelmRelease, specFromManifest } from 'kubedog';
 *
 * const release = await readHelmRelease(client, 'shop');
 * console.log(`${release.name} v${release.version} ${release.status}: ${release.objects.length} objects`);
 * // prints: shop v1 deployed: 1 objects
 * const specs = release.objects.map((object) => specFromManifest(object));
 * for await (const event of multitrack(client, specs)) if (event.type === 'summary') console.log(event.summary.outcome);
 */
export async function readHelmRelease(
  client: KubeClient,
  name: string,
  options: { namespace?: string; signal?: AbortSignal } = {},
): Promise<HelmRelease> {
  const namespace = options.namespace ?? client.namespace;
  const { items } = await client.list('Secret', {
    namespace,
    labelSelector: `owner=helm,name=${name}`,
    signal: options.signal,
  });
  const newest = items
    .filter((s) => (s as { type?: string }).type === 'helm.sh/release.v1')
    .sort((a, b) => Number(b.metadata.labels?.version ?? 0) - Number(a.metadata.labels?.version ?? 0))[0];
  if (!newest) {
    throw new InvalidInputError(
      `no Helm release "${name}" in namespace "${namespace}" (no Secret sh.helm.release.v1.${name}.vN)`,
      name,
    );
  }
  const source = `Secret ${namespace}/${newest.metadata.name}`;
  const data = (newest as { data?: { release?: string } }).data?.release;
  if (!data) throw new InvalidInputError(`${source} has no release data`, source);
  const release = decodeHelmRelease(data, source);
  const manifest = typeof release.manifest === 'string' ? release.manifest : '';
  const releaseNamespace = typeof release.namespace === 'string' ? release.namespace : namespace;
  const objects = parseManifests(manifest, `helm release ${name}`).map((object) => ({
    ...object,
    metadata: { ...object.metadata, namespace: object.metadata.namespace ?? releaseNamespace },
  }));
  return {
    name,
    namespace: releaseNamespace,
    version: Number(release.version ?? newest.metadata.labels?.version ?? 0),
    status: String((release.info as { status?: string } | undefined)?.status ?? 'unknown'),
    objects,
  };
}

/** Encodes a release the way Helm stores it in a Secret's `release` field (tests, the simulated cluster). */
export function encodeHelmRelease(release: Record<string, unknown>): string {
  const helmBase64 = gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
  return Buffer.from(helmBase64, 'latin1').toString('base64');
}

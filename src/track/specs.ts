import type { KubeClient } from '../kube/client.js';
import { groupOf, isKubernetesGroup } from '../kube/resources.js';
import type { KubeObject } from '../kube/types.js';
import { RULES } from '../status/index.js';
import type { TrackTarget } from './driver.js';
import type { LogOptions } from './logs.js';
import type { FailMode } from './outcome.js';

/** One resource of a multitrack, and how its track counts. */
export interface MultitrackSpec extends TrackTarget {
  /** What a failure of this resource does to the whole track. @default 'fail-whole-deploy' */
  failMode?: FailMode;
  /** `non-blocking`: tracked and shown, but not waited for. @default 'wait-until-ready' */
  trackTerminationMode?: 'wait-until-ready' | 'non-blocking';
  /** Failures tolerated per replica before it fails. @default the multitrack's, else 1 */
  failuresAllowedPerReplica?: number;
  /** Fail when nothing happens for this many milliseconds. @default the multitrack's, else 4 minutes */
  noActivityTimeout?: number;
  /** Its logs: `false` for none, or options that refine the multitrack's. */
  logs?: boolean | LogOptions;
}

const ANNOTATION_PREFIXES = ['kubedog.io/', 'werf.io/'];

const list = (value: string | undefined) =>
  value
    ? value
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)
    : undefined;

/** The logs a resource's annotations ask for (`skip-logs`, `show-logs-only-for-containers`, …). */
function logsFromAnnotations(
  annotation: (key: string) => string | undefined,
): boolean | LogOptions | undefined {
  if (annotation('skip-logs') === 'true') return false;
  const logs: LogOptions = {};
  const only = list(annotation('show-logs-only-for-containers'));
  if (only) logs.containers = only;
  const skip = list(annotation('skip-logs-for-containers'));
  if (skip) logs.excludeContainers = skip;
  const regex = annotation('log-regex');
  if (regex) logs.include = new RegExp(regex);
  return Object.keys(logs).length > 0 ? logs : undefined;
}

/**
 * Reads a spec from an object and its `kubedog.io/*` annotations (the same
 * keys under `werf.io/` work too, so charts written for werf work unchanged):
 * `fail-mode`, `track-termination-mode`, `failures-allowed-per-replica`,
 * `no-activity-timeout` (seconds), `skip-logs`, `show-logs-only-for-containers`,
 * `skip-logs-for-containers`, `log-regex`. The namespace is the object's, or
 * `defaultNamespace`, or (neither) the tracker's source's.
 * @example
 * import { specFromObject } from 'kubedog';
 *
 * const migrate = await client.get('Job', { name: 'migrate' });
 * migrate.metadata.annotations = { 'werf.io/fail-mode': 'hope-until-end' };
 * console.log(specFromObject(migrate));
 * // prints: failMode: 'hope-until-end'
 */
export function specFromObject(object: KubeObject, defaultNamespace?: string): MultitrackSpec {
  const annotation = (key: string) => {
    for (const prefix of ANNOTATION_PREFIXES) {
      const value = object.metadata.annotations?.[`${prefix}${key}`];
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const namespace = object.metadata.namespace ?? defaultNamespace;
  const spec: MultitrackSpec = {
    kind: object.kind ?? '',
    name: object.metadata.name ?? '',
    ...(namespace ? { namespace } : {}),
  };
  const failMode = annotation('fail-mode');
  if (failMode === 'fail-whole-deploy' || failMode === 'ignore' || failMode === 'hope-until-end')
    spec.failMode = failMode;
  const termination = annotation('track-termination-mode');
  if (termination === 'wait-until-ready' || termination === 'non-blocking')
    spec.trackTerminationMode = termination;
  const allowed = annotation('failures-allowed-per-replica');
  if (allowed !== undefined && /^\d+$/.test(allowed)) spec.failuresAllowedPerReplica = Number(allowed);
  const logs = logsFromAnnotations(annotation);
  if (logs !== undefined) spec.logs = logs;
  const idle = annotation('no-activity-timeout');
  if (idle && /^\d+$/.test(idle)) spec.noActivityTimeout = Number(idle) * 1000;
  return spec;
}

/** Kinds `--all` and `-l` pick up: what can become ready or fail. */
export const TRACKABLE_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'Service',
  'Ingress',
  'PersistentVolumeClaim',
] as const;

/**
 * Whether an object from a manifest is worth tracking: a kind with a
 * readiness rule (workloads, Service, Ingress, PVC, CRD, known custom
 * resources), or any custom resource (judged by its conditions). ConfigMaps,
 * Secrets, RBAC and the like are ready once they exist, so they are skipped.
 */
export function isTrackable(object: KubeObject): boolean {
  const group = groupOf(object);
  return RULES[`${group}/${object.kind ?? ''}`] !== undefined || !isKubernetesGroup(group);
}

/**
 * The spec of an object from a manifest ({@link specFromObject}); a custom
 * resource's kind carries its group (`Certificate.cert-manager.io`) so
 * discovery finds the right one.
 * @example
 * import { parseManifests, specFromManifest } from 'kubedog';
 *
 * const manifest = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: shop-tls}\n';
 * const [spec] = parseManifests(manifest, 'certificate.yaml').map((object) => specFromManifest(object, 'shop'));
 * console.log(spec);
 * // prints: kind: 'Certificate.cert-manager.io'
 */
export function specFromManifest(object: KubeObject, defaultNamespace?: string): MultitrackSpec {
  const spec = specFromObject(object, defaultNamespace);
  const group = groupOf(object);
  if (!isKubernetesGroup(group)) spec.kind = `${spec.kind}.${group}`;
  return spec;
}

/**
 * Specs for every trackable resource (Deployment, StatefulSet, DaemonSet,
 * Job, Service, Ingress, PersistentVolumeClaim) in a namespace (the
 * client's by default; `''`: all namespaces), optionally only those
 * matching a label selector, with their annotations — what
 * `kubedog rollout track -l` and `--all` track.
 * @throws {InvalidInputError} a malformed label selector
 * @example
 * import { multitrack, specsFromCluster } from 'kubedog';
 *
 * const specs = await specsFromCluster(client, { labelSelector: 'app=web' });
 * console.log(specs.map((spec) => `${spec.kind}/${spec.name}`).join(' '));
 * // prints: Deployment/web Service/web
 * for await (const event of multitrack(client, specs, { timeout: 300_000 }))
 *   if (event.type === 'summary') console.log(event.summary.outcome);
 */
export async function specsFromCluster(
  client: KubeClient,
  options: { namespace?: string; labelSelector?: string; signal?: AbortSignal } = {},
): Promise<MultitrackSpec[]> {
  const lists = await Promise.all(
    TRACKABLE_KINDS.map((kind) =>
      client.list(kind, {
        ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
        ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}),
        signal: options.signal,
      }),
    ),
  );
  return lists.flatMap((list, i) =>
    list.items.map((object) => specFromObject({ ...object, kind: TRACKABLE_KINDS[i] })),
  );
}

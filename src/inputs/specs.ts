import type { KubeApiError } from '../kube/errors.js';
import { isForbidden, withRule } from '../kube/rbac.js';
import { findBuiltinResource, groupOf, isKubernetesGroup } from '../kube/resources.js';
import type { KubeObject } from '../kube/types.js';
import { RULES } from '../status/index.js';
import { checkListOptions, checkTarget } from '../track/arguments.js';
import type { MultitrackSpec } from '../track/multitrack.js';
import type { TrackSource } from '../track/sources.js';
import { readAnnotations } from './annotations.js';

/**
 * Reads a spec from an object and its tracking annotations, werf's and the
 * Go kubedog's, with werf's values (`werf.io/KEY` or `kubedog.io/KEY`):
 * `fail-mode`, `track-termination-mode`, `failures-allowed-per-replica`,
 * `no-activity-timeout` (a duration like `8m30s`, or seconds), `skip-logs`,
 * `show-logs-only-for-containers`, `skip-logs-for-containers`, `log-regex`,
 * `log-regex-skip`, `log-regex-for-CONTAINER`, `log-regex-skip-for-CONTAINER`,
 * `ignore-readiness-probe-fails-for-CONTAINER`, `show-service-messages`
 * (docs/migrating-from-kubedog.md). A value that is not allowed goes into
 * the spec's `warnings`, which `multitrack` shows as notices. The namespace
 * is the object's, or `defaultNamespace`, or (neither) the tracker's source's.
 * @throws {InvalidInputError} an object without a kind or a name (naming which), or a log regular expression that does not compile, naming the annotation and the object
 * @example
 * import { specFromObject } from 'kubedog';
 *
 * const migrate = await client.get('Job', { name: 'migrate' });
 * migrate.metadata.annotations = { 'werf.io/fail-mode': 'hope-until-end' };
 * console.log(specFromObject(migrate));
 * // prints: failMode: 'hope-until-end'
 */
export function specFromObject(object: KubeObject, defaultNamespace?: string): MultitrackSpec {
  checkTarget(
    { kind: object?.kind, name: object?.metadata?.name, namespace: object?.metadata?.namespace ?? undefined },
    'object',
  );
  const namespace = object.metadata.namespace ?? defaultNamespace;
  const { warnings, ...tracking } = readAnnotations(object);
  return {
    kind: object.kind ?? '',
    name: object.metadata.name ?? '',
    ...(namespace ? { namespace } : {}),
    ...tracking,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
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
 * discovery finds the right one, and is waited for while the API server
 * does not serve it yet (`awaitKind`: its CRD may be in the same manifest).
 * @example
 * import { parseManifests, specFromManifest } from 'kubedog';
 *
 * const manifest = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: shop-tls}\n';
 * const [spec] = parseManifests(manifest, 'certificate.yaml').map((object) => specFromManifest(object, 'shop'));
 * console.log(spec?.kind, spec?.namespace, spec?.awaitKind);
 * // prints: Certificate.cert-manager.io shop true
 */
export function specFromManifest(object: KubeObject, defaultNamespace?: string): MultitrackSpec {
  const spec = specFromObject(object, defaultNamespace);
  spec.kind = spelledKind(spec.kind as string, groupOf(object));
  // The manifest may apply the kind's CustomResourceDefinition too: a kind not served yet is waited for.
  spec.awaitKind = true;
  return spec;
}

/**
 * A kind as a spec names it: with its group (`Certificate.cert-manager.io`,
 * `Gateway.gateway.networking.k8s.io`) unless it is one of the kinds
 * kubedog knows in that group — two groups may serve the same kind.
 */
const spelledKind = (kind: string, group: string) =>
  group === '' || findBuiltinResource(`${kind}.${group}`) ? kind : `${kind}.${group}`;

/** What finding resources in a cluster needs: kinds resolved, and lists (a {@link KubeClient} has both). */
export type ClusterSource = Pick<TrackSource, 'resolveType'> & Required<Pick<TrackSource, 'list'>>;

/**
 * Specs for every trackable resource (Deployment, StatefulSet, DaemonSet,
 * Job, Service, Ingress, PersistentVolumeClaim) in a namespace (the
 * client's by default; `''`: all namespaces), optionally only those
 * matching a label selector, with their annotations — what
 * `kubedog rollout track -l` and `--all` track. `kinds` lists other kinds
 * instead (kubectl's spellings: `pods`, `deploy`; `kubedog wait pod -l …`);
 * `fieldSelector` narrows them as kubectl's `--field-selector` does.
 * A trackable kind the account may not list (403) is not looked for: the
 * first spec's `warnings` say so, with the RBAC rule to add.
 * @throws {InvalidInputError} a malformed label selector
 * @throws {KubeApiError} a 403 listing a kind named in `kinds`, or any kind when nothing else was found
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
  client: ClusterSource,
  options: {
    namespace?: string;
    labelSelector?: string;
    fieldSelector?: string;
    kinds?: readonly string[];
    signal?: AbortSignal;
  } = {},
): Promise<MultitrackSpec[]> {
  checkListOptions(options);
  const { signal } = options;
  const types = await Promise.all(
    (options.kinds ?? TRACKABLE_KINDS).map((kind) => client.resolveType(kind, { signal })),
  );
  const refused: KubeApiError[] = [];
  // Each list becomes specs as soon as it is in: its objects are not kept while the others come.
  const specs = await Promise.all(
    types.map((type) =>
      client
        .list(type, {
          ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
          ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}),
          ...(options.fieldSelector ? { fieldSelector: options.fieldSelector } : {}),
          signal,
        })
        .then(({ items }) =>
          items.map((object) => ({
            ...specFromObject({ ...object, kind: type.kind }),
            kind: spelledKind(type.kind, type.group),
          })),
        )
        .catch((error: unknown) => {
          if (!isForbidden(error)) throw error;
          refused.push(withRule(error, ['list']));
          return [];
        }),
    ),
  );
  return withRefusals(specs.flat(), refused, options.kinds !== undefined);
}

/**
 * Kinds the account may not list: asked for by name, or nothing else
 * found, the first refusal is the error; among the trackable kinds, they
 * are not looked for, which the first spec's warnings say (`multitrack`
 * shows them).
 */
function withRefusals(specs: MultitrackSpec[], refused: KubeApiError[], asked: boolean): MultitrackSpec[] {
  const [first, ...others] = specs;
  if (refused[0] && (asked || !first)) throw refused[0];
  if (!first || refused.length === 0) return specs;
  const said = refused.map((error) => `not looked for: ${error.message}`);
  return [{ ...first, warnings: [...(first.warnings ?? []), ...said] }, ...others];
}

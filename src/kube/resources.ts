import { InvalidInputError } from './errors.js';

/** How to reach one kind of resource over REST. */
export interface ResourceType {
  kind: string;
  /** API group; `''` for the core group. */
  group: string;
  version: string;
  /** Plural resource name used in URLs (`deployments`). */
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
}

/** The kinds kubedog tracks or reads, so common work needs no discovery round-trip. */
export const BUILTIN_RESOURCES: readonly ResourceType[] = [
  { kind: 'Pod', group: '', version: 'v1', plural: 'pods', namespaced: true, shortNames: ['po'] },
  { kind: 'Service', group: '', version: 'v1', plural: 'services', namespaced: true, shortNames: ['svc'] },
  { kind: 'Event', group: '', version: 'v1', plural: 'events', namespaced: true, shortNames: ['ev'] },
  { kind: 'ConfigMap', group: '', version: 'v1', plural: 'configmaps', namespaced: true, shortNames: ['cm'] },
  { kind: 'Secret', group: '', version: 'v1', plural: 'secrets', namespaced: true },
  {
    kind: 'PersistentVolumeClaim',
    group: '',
    version: 'v1',
    plural: 'persistentvolumeclaims',
    namespaced: true,
    shortNames: ['pvc'],
  },
  {
    kind: 'ServiceAccount',
    group: '',
    version: 'v1',
    plural: 'serviceaccounts',
    namespaced: true,
    shortNames: ['sa'],
  },
  { kind: 'Endpoints', group: '', version: 'v1', plural: 'endpoints', namespaced: true, shortNames: ['ep'] },
  {
    kind: 'Namespace',
    group: '',
    version: 'v1',
    plural: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
  },
  { kind: 'Node', group: '', version: 'v1', plural: 'nodes', namespaced: false, shortNames: ['no'] },
  {
    kind: 'PersistentVolume',
    group: '',
    version: 'v1',
    plural: 'persistentvolumes',
    namespaced: false,
    shortNames: ['pv'],
  },
  {
    kind: 'Deployment',
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    namespaced: true,
    shortNames: ['deploy'],
  },
  {
    kind: 'ReplicaSet',
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    namespaced: true,
    shortNames: ['rs'],
  },
  {
    kind: 'StatefulSet',
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    namespaced: true,
    shortNames: ['sts'],
  },
  {
    kind: 'DaemonSet',
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    namespaced: true,
    shortNames: ['ds'],
  },
  {
    kind: 'ControllerRevision',
    group: 'apps',
    version: 'v1',
    plural: 'controllerrevisions',
    namespaced: true,
  },
  { kind: 'Job', group: 'batch', version: 'v1', plural: 'jobs', namespaced: true },
  {
    kind: 'CronJob',
    group: 'batch',
    version: 'v1',
    plural: 'cronjobs',
    namespaced: true,
    shortNames: ['cj'],
  },
  {
    kind: 'Ingress',
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingresses',
    namespaced: true,
    shortNames: ['ing'],
  },
  {
    kind: 'CustomResourceDefinition',
    group: 'apiextensions.k8s.io',
    version: 'v1',
    plural: 'customresourcedefinitions',
    namespaced: false,
    shortNames: ['crd', 'crds'],
  },
  { kind: 'Lease', group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true },
];

/** The API group of an object, from its apiVersion (`apps/v1` → `apps`, `v1` → the core group `''`). */
export function groupOf(object: { apiVersion?: unknown }): string {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  return apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
}

/**
 * Kubernetes' own API groups — the core group, the dot-less ones (apps,
 * batch, policy, autoscaling) and `*.k8s.io` — as against the groups of
 * custom resources.
 */
export function isKubernetesGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** Splits an apiVersion (`apps/v1`, `v1`) into group and version. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash === -1
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Every spelling kubectl accepts for a kind: `Deployment`, `deployment`, `deployments`, `deploy`. */
function spellings(type: ResourceType): string[] {
  const singular = type.kind.toLowerCase();
  return [singular, type.plural, ...(type.shortNames ?? [])];
}

/**
 * Finds a resource type by any kubectl spelling, optionally qualified by group
 * (`deployments.apps`, `deployment.apps`). Returns undefined when the name is
 * not a built-in; callers then ask API discovery.
 */
export function findBuiltinResource(name: string, types: readonly ResourceType[] = BUILTIN_RESOURCES) {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  const base = dot === -1 ? lower : lower.slice(0, dot);
  const group = dot === -1 ? undefined : lower.slice(dot + 1);
  return types.find((t) => spellings(t).includes(base) && (group === undefined || t.group === group));
}

/** Finds the type of an object from its apiVersion and kind. */
export function findResourceForObject(apiVersion: string, kind: string, types = BUILTIN_RESOURCES) {
  const { group, version } = parseApiVersion(apiVersion);
  return types.find((t) => t.kind === kind && t.group === group && t.version === version);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Lowercase letters, digits and `-`, neither first nor last: a namespace's name. */
export const isDnsLabel = (name: string): boolean => DNS_LABEL.test(name);

/** A name the API takes as a path segment: not empty, not `.` or `..`, no `/` or `%`. */
export const isPathName = (name: string): boolean =>
  name !== '' && name !== '.' && name !== '..' && !/[/%]/.test(name);

/**
 * The REST path of a collection or an object:
 * `/apis/apps/v1/namespaces/default/deployments/web[/status]`.
 * Without a namespace, a namespaced type addresses all namespaces (list/watch only).
 */
export function resourcePath(
  type: ResourceType,
  options: { namespace?: string; name?: string; subresource?: string } = {},
): string {
  const { namespace, name, subresource } = options;
  let path = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  if (type.namespaced && namespace !== undefined) {
    if (!isDnsLabel(namespace)) throw new InvalidInputError(`invalid namespace "${namespace}"`, namespace);
    path += `/namespaces/${namespace}`;
  }
  path += `/${type.plural}`;
  if (name !== undefined) {
    if (!isPathName(name)) {
      throw new InvalidInputError(`invalid ${type.kind} name "${name}"`, name);
    }
    path += `/${encodeURIComponent(name)}`;
    if (subresource !== undefined) path += `/${subresource}`;
  }
  return path;
}

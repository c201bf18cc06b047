import { InvalidInputError } from '../kube/errors.js';
import { parseManifests } from '../kube/manifests.js';
import type { KubeObject } from '../kube/types.js';
import type { HelmOperation } from './release.js';

/** A hook of a release as Helm recorded it (`helm.sh/hook` and its companions). */
export interface HelmHook {
  /** The hook object's name. */
  name: string;
  /** The hook object's kind (`Job`, `Pod`…). */
  kind: string;
  /** Its template in the chart (`shop/templates/migrate.yaml`). */
  path: string;
  /** When Helm runs it: `pre-install`, `post-upgrade`, `test`… (`helm.sh/hook`). */
  events: string[];
  /** Its order among the hooks of a phase (`helm.sh/hook-weight`). */
  weight: number;
  /** When Helm deletes it: `before-hook-creation` (Helm's default), `hook-succeeded`, `hook-failed`. */
  deletePolicies: string[];
  /** The object, from the hook's manifest (in the release's namespace unless it names one). */
  object: KubeObject | undefined;
  /** Helm's record of its run in this revision; undefined until Helm starts it. */
  lastRun?: {
    phase: 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    startedAt?: string;
    completedAt?: string;
  };
}

/** The hooks a phase of each operation runs, in order: Helm runs `pre-*` before the resources, `post-*` after. */
const PHASES: Record<HelmOperation, readonly string[]> = {
  install: ['pre-install', 'post-install'],
  upgrade: ['pre-upgrade', 'post-upgrade'],
  rollback: ['pre-rollback', 'post-rollback'],
};

/** Helm's install order of kinds (pkg/releaseutil/kind_sorter.go): it breaks ties between hooks. */
const INSTALL_ORDER = [
  'PriorityClass',
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

const kindRank = (kind: string) => {
  const rank = INSTALL_ORDER.indexOf(kind);
  return rank === -1 ? INSTALL_ORDER.length : rank;
};

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

const LAST_RUN_PHASES = new Set(['Running', 'Succeeded', 'Failed', 'Unknown']);

/** Helm's `last_run`: a phase it set (Go's zero time and an empty phase mean never run). */
function lastRunOf(value: unknown): HelmHook['lastRun'] {
  const run = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof run.phase !== 'string' || !LAST_RUN_PHASES.has(run.phase)) return undefined;
  const time = (t: unknown) => (typeof t === 'string' && !t.startsWith('0001-') ? t : undefined);
  const startedAt = time(run.started_at);
  const completedAt = time(run.completed_at);
  return {
    phase: run.phase as NonNullable<HelmHook['lastRun']>['phase'],
    ...(startedAt ? { startedAt } : {}),
    ...(completedAt ? { completedAt } : {}),
  };
}

/**
 * One hook of a release record's `hooks`, its manifest parsed.
 * @throws {InvalidInputError} a manifest that is not YAML, naming the record and the hook
 */
export function hookOf(value: unknown, where: string, place: (object: KubeObject) => KubeObject): HelmHook {
  const hook = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const path = typeof hook.path === 'string' ? hook.path : '';
  const manifest = typeof hook.manifest === 'string' ? hook.manifest : '';
  const source = `${where} (${path || 'no path'})`;
  const [object] = parseManifests(manifest, source);
  if (manifest.trim() !== '' && !object)
    throw new InvalidInputError(`${source}: no object in its manifest`, source);
  const lastRun = lastRunOf(hook.last_run);
  return {
    name: typeof hook.name === 'string' ? hook.name : (object?.metadata.name ?? ''),
    kind: typeof hook.kind === 'string' ? hook.kind : (object?.kind ?? ''),
    path,
    events: strings(hook.events),
    weight: Number.isInteger(hook.weight) ? (hook.weight as number) : 0,
    deletePolicies: strings(hook.delete_policies),
    object: object ? place(object) : undefined,
    ...(lastRun ? { lastRun } : {}),
  };
}

/** A hook the track follows, and the phase of this revision it runs in. */
export interface ScheduledHook {
  hook: HelmHook;
  phase: string;
}

/**
 * The hooks an operation runs, in Helm's order: by phase (`pre-*`, then
 * `post-*`, then `test` when asked), then weight, then name, then kind in
 * Helm's install order (helm's pkg/action/hooks.go sorts by weight and
 * name, stably over the kind order).
 */
export function scheduledHooks(
  hooks: readonly HelmHook[],
  operation: HelmOperation,
  options: { tests?: boolean } = {},
): ScheduledHook[] {
  return inHelmOrder(hooks, [...PHASES[operation], ...(options.tests ? ['test'] : [])]);
}

/** The hooks one phase runs (`pre-upgrade`, `test`), in the order Helm runs them. */
export const hooksOfPhase = (hooks: readonly HelmHook[], phase: string): HelmHook[] =>
  inHelmOrder(hooks, [phase]).map(({ hook }) => hook);

function inHelmOrder(hooks: readonly HelmHook[], phases: readonly string[]): ScheduledHook[] {
  const scheduled: (ScheduledHook & { rank: number })[] = [];
  for (const hook of hooks) {
    const rank = phases.findIndex((phase) => hook.events.includes(phase));
    if (rank !== -1) scheduled.push({ hook, phase: phases[rank] as string, rank });
  }
  return scheduled
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        a.hook.weight - b.hook.weight ||
        (a.hook.name < b.hook.name ? -1 : a.hook.name > b.hook.name ? 1 : 0) ||
        kindRank(a.hook.kind) - kindRank(b.hook.kind),
    )
    .map(({ hook, phase }) => ({ hook, phase }));
}

/** Helm's default when a hook names no delete policy. */
export const deletePoliciesOf = (hook: HelmHook): string[] =>
  hook.deletePolicies.length > 0 ? hook.deletePolicies : ['before-hook-creation'];

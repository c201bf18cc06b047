import type { ResourceType } from '../kube/resources.js';
import type { KubeObject } from '../kube/types.js';

/**
 * Server-side printing (the `meta.k8s.io/v1` Table that kubectl asks for with
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), with the columns
 * the real API server prints for the kinds kubedog tracks, so `kubectl get`
 * against the simulated cluster reads as it does against a real one.
 * Columns follow pkg/printers/internalversion/printers.go.
 */

type Cell = string | number;
interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  priority?: number;
  cell: (object: KubeObject, now: number) => Cell;
}

const get = (object: unknown, ...path: (string | number)[]): unknown => {
  let current = object;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
};
const n = (object: unknown, ...path: string[]) => Number(get(object, ...path) ?? 0) || 0;
const s = (object: unknown, ...path: string[]) => String(get(object, ...path) ?? '');
const list = (object: unknown, ...path: string[]) => {
  const value = get(object, ...path);
  return Array.isArray(value) ? value : [];
};

/** kubectl's human durations: 45s, 3m2s, 5h, 2d3h. */
export function age(created: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(created)) / 1000));
  if (Number.isNaN(seconds)) return '<unknown>';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return `${minutes}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

const name: Column = { name: 'Name', type: 'string', format: 'name', cell: (o) => o.metadata.name ?? '' };
const ageColumn: Column = {
  name: 'Age',
  type: 'string',
  cell: (o, now) => age(o.metadata.creationTimestamp ?? '', now),
};

function podStatus(pod: KubeObject): string {
  let reason = s(pod, 'status', 'reason') || s(pod, 'status', 'phase') || 'Pending';
  const init = list(pod, 'status', 'initContainerStatuses');
  for (const [i, c] of init.entries()) {
    const terminated = get(c, 'state', 'terminated');
    if (terminated && n(terminated, 'exitCode') === 0) continue;
    const waiting = s(c, 'state', 'waiting', 'reason');
    reason = waiting && waiting !== 'PodInitializing' ? `Init:${waiting}` : `Init:${i}/${init.length}`;
    return reason;
  }
  for (const c of list(pod, 'status', 'containerStatuses')) {
    const waiting = s(c, 'state', 'waiting', 'reason');
    const terminated = s(c, 'state', 'terminated', 'reason');
    if (waiting) reason = waiting;
    else if (terminated) reason = terminated;
  }
  if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  return reason;
}

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    name,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) =>
        `${list(o, 'status', 'containerStatuses').filter((c) => get(c, 'ready') === true).length}/${list(o, 'spec', 'containers').length}`,
    },
    { name: 'Status', type: 'string', cell: podStatus },
    {
      name: 'Restarts',
      type: 'string',
      cell: (o) =>
        String(list(o, 'status', 'containerStatuses').reduce((t, c) => t + n(c, 'restartCount'), 0)),
    },
    ageColumn,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => s(o, 'status', 'podIP') || '<none>' },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => s(o, 'spec', 'nodeName') || '<none>' },
  ],
  Deployment: [
    name,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => `${n(o, 'status', 'readyReplicas')}/${get(o, 'spec', 'replicas') ?? 1}`,
    },
    { name: 'Up-to-date', type: 'integer', cell: (o) => n(o, 'status', 'updatedReplicas') },
    { name: 'Available', type: 'integer', cell: (o) => n(o, 'status', 'availableReplicas') },
    ageColumn,
  ],
  ReplicaSet: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => n(o, 'spec', 'replicas') },
    { name: 'Current', type: 'integer', cell: (o) => n(o, 'status', 'replicas') },
    { name: 'Ready', type: 'integer', cell: (o) => n(o, 'status', 'readyReplicas') },
    ageColumn,
  ],
  StatefulSet: [
    name,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => `${n(o, 'status', 'readyReplicas')}/${get(o, 'spec', 'replicas') ?? 1}`,
    },
    ageColumn,
  ],
  DaemonSet: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => n(o, 'status', 'desiredNumberScheduled') },
    { name: 'Current', type: 'integer', cell: (o) => n(o, 'status', 'currentNumberScheduled') },
    { name: 'Ready', type: 'integer', cell: (o) => n(o, 'status', 'numberReady') },
    { name: 'Up-to-date', type: 'integer', cell: (o) => n(o, 'status', 'updatedNumberScheduled') },
    { name: 'Available', type: 'integer', cell: (o) => n(o, 'status', 'numberAvailable') },
    ageColumn,
  ],
  Job: [
    name,
    {
      name: 'Status',
      type: 'string',
      cell: (o) => {
        const conditions = list(o, 'status', 'conditions');
        const is = (type: string) =>
          conditions.some((c) => get(c, 'type') === type && get(c, 'status') === 'True');
        return is('Complete')
          ? 'Complete'
          : is('Failed')
            ? 'Failed'
            : get(o, 'spec', 'suspend') === true
              ? 'Suspended'
              : 'Running';
      },
    },
    {
      name: 'Completions',
      type: 'string',
      cell: (o) => `${n(o, 'status', 'succeeded')}/${get(o, 'spec', 'completions') ?? 1}`,
    },
    ageColumn,
  ],
  Service: [
    name,
    { name: 'Type', type: 'string', cell: (o) => s(o, 'spec', 'type') || 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', cell: (o) => s(o, 'spec', 'clusterIP') || '<none>' },
    {
      name: 'External-IP',
      type: 'string',
      cell: (o) =>
        list(o, 'status', 'loadBalancer', 'ingress')
          .map((i) => s(i, 'ip') || s(i, 'hostname'))
          .join(',') || (s(o, 'spec', 'type') === 'LoadBalancer' ? '<pending>' : '<none>'),
    },
    {
      name: 'Port(s)',
      type: 'string',
      cell: (o) =>
        list(o, 'spec', 'ports')
          .map(
            (p) =>
              `${n(p, 'port')}${n(p, 'nodePort') ? `:${n(p, 'nodePort')}` : ''}/${s(p, 'protocol') || 'TCP'}`,
          )
          .join(',') || '<none>',
    },
    ageColumn,
  ],
  Node: [
    name,
    {
      name: 'Status',
      type: 'string',
      cell: (o) => {
        const readyNode = list(o, 'status', 'conditions').some(
          (c) => get(c, 'type') === 'Ready' && get(c, 'status') === 'True',
        );
        return `${readyNode ? 'Ready' : 'NotReady'}${get(o, 'spec', 'unschedulable') === true ? ',SchedulingDisabled' : ''}`;
      },
    },
    { name: 'Roles', type: 'string', cell: () => 'worker' },
    ageColumn,
    { name: 'Version', type: 'string', cell: (o) => s(o, 'status', 'nodeInfo', 'kubeletVersion') },
  ],
  Event: [
    {
      name: 'Last Seen',
      type: 'string',
      cell: (o, now) => age(s(o, 'lastTimestamp') || (o.metadata.creationTimestamp ?? ''), now),
    },
    { name: 'Type', type: 'string', cell: (o) => s(o, 'type') },
    { name: 'Reason', type: 'string', cell: (o) => s(o, 'reason') },
    {
      name: 'Object',
      type: 'string',
      cell: (o) => `${s(o, 'involvedObject', 'kind').toLowerCase()}/${s(o, 'involvedObject', 'name')}`,
    },
    { name: 'Message', type: 'string', cell: (o) => s(o, 'message') },
  ],
};

/** The Table for a list of objects of one type. */
export function toTable(
  type: ResourceType,
  objects: KubeObject[],
  resourceVersion: string,
  now: number,
): unknown {
  const columns = COLUMNS[type.kind] ?? [name, ageColumn];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: '',
      priority: c.priority ?? 0,
    })),
    rows: objects.map((object) => ({
      cells: columns.map((c) => c.cell(object, now)),
      object: {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: object.metadata,
      },
    })),
  };
}

/** Whether the client asked for server-side printing. */
export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '');
}

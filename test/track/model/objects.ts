/**
 * Kubernetes objects as the API server sends them, for model tests: a
 * Deployment, its ReplicaSets and pods, StatefulSets, DaemonSets, Jobs and
 * Events, built from the few fields a scenario is about.
 */
import type { KubeObject } from '../../../src/kube/types.js';
import type { ModelAction, ModelInput, WatchName } from '../../../src/track/model/model.js';

/** The start of every scenario's clock. */
export const T0 = Date.parse('2026-12-01T10:00:00Z');
/** A time `seconds` after T0. */
export const at = (seconds: number) => new Date(T0 + seconds * 1000);
const stamp = (seconds: number) =>
  at(seconds)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z');

const template = (image: string) => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image }] },
});

export function deployment(
  o: {
    name?: string;
    image?: string;
    replicas?: number;
    generation?: number;
    observed?: number;
    updated?: number;
    ready?: number;
    available?: number;
    total?: number;
    revision?: number;
    conditions?: Record<string, unknown>[];
  } = {},
): KubeObject {
  const replicas = o.replicas ?? 2;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: o.name ?? 'web',
      namespace: 'default',
      uid: `uid-${o.name ?? 'web'}`,
      generation: o.generation ?? 1,
      annotations: { 'deployment.kubernetes.io/revision': String(o.revision ?? 1) },
    },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: template(o.image ?? 'web:v1') },
    status: {
      observedGeneration: o.observed ?? o.generation ?? 1,
      replicas: o.total ?? o.updated ?? 0,
      updatedReplicas: o.updated ?? 0,
      readyReplicas: o.ready ?? 0,
      availableReplicas: o.available ?? 0,
      ...(o.conditions ? { conditions: o.conditions } : {}),
    },
  };
}

/** A ReplicaSet of the Deployment `web` (uid `uid-web`), running `image`. */
export function replicaSet(
  name: string,
  o: { image?: string; revision?: number; owner?: string } = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      annotations: { 'deployment.kubernetes.io/revision': String(o.revision ?? 1) },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'web',
          uid: o.owner ?? 'uid-web',
          controller: true,
        },
      ],
    },
    spec: {
      template: {
        ...template(o.image ?? 'web:v1'),
        metadata: { labels: { app: 'web', 'pod-template-hash': name.split('-').at(-1) } },
      },
    },
    status: {},
  };
}

export interface PodState {
  /** Its controller: `kind/name` (uid `uid-name`). */
  owner?: string;
  phase?: string;
  /** All containers ready (and the Ready condition True). */
  ready?: boolean;
  /** The container is waiting with this reason. */
  waiting?: { reason: string; message?: string };
  terminated?: { exitCode: number; reason?: string };
  restarts?: number;
  /** The last instance's termination, with its container ID. */
  last?: { exitCode: number; reason?: string; containerID?: string };
  containerID?: string;
  labels?: Record<string, string>;
  unschedulableSince?: number;
  restartPolicy?: string;
  uid?: string;
  /** When its running container started (seconds from T0). @default 0 */
  started?: number;
}

/** A pod with one container, `app`. */
export function pod(name: string, o: PodState = {}): KubeObject {
  const [ownerKind = 'ReplicaSet', ownerName = 'web-v1'] = (o.owner ?? 'ReplicaSet/web-v1').split('/');
  const state = o.waiting
    ? { waiting: o.waiting }
    : o.terminated
      ? { terminated: { ...o.terminated, containerID: o.containerID ?? `cri://${name}-1` } }
      : o.phase === 'Pending' || o.phase === undefined
        ? { waiting: { reason: 'ContainerCreating' } }
        : { running: { startedAt: stamp(o.started ?? 0) } };
  const started = 'running' in state || 'terminated' in state;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: o.uid ?? `uid-${name}`,
      creationTimestamp: stamp(0),
      labels: { app: 'web', ...o.labels },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: ownerKind,
          name: ownerName,
          uid: `uid-${ownerName}`,
          controller: true,
        },
      ],
    },
    spec: { restartPolicy: o.restartPolicy ?? 'Always', containers: [{ name: 'app', image: 'web:v1' }] },
    status: {
      phase: o.phase ?? 'Pending',
      startTime: stamp(0),
      conditions: [
        { type: 'Ready', status: o.ready ? 'True' : 'False' },
        ...(o.unschedulableSince !== undefined
          ? [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: 'Unschedulable',
                message: '0/3 nodes are available',
                lastTransitionTime: stamp(o.unschedulableSince),
              },
            ]
          : []),
      ],
      containerStatuses: [
        {
          name: 'app',
          image: 'web:v1',
          ready: o.ready ?? false,
          restartCount: o.restarts ?? 0,
          state,
          ...(started || o.containerID ? { containerID: o.containerID ?? `cri://${name}-1` } : {}),
          ...(o.last ? { lastState: { terminated: { ...o.last } } } : {}),
        },
      ],
    },
  };
}

/** A core/v1 Event about an object (`Kind/name`, uid `uid-name`), last seen at `seconds`. */
export function event(
  about: string,
  reason: string,
  o: { type?: 'Normal' | 'Warning'; message?: string; seconds?: number; count?: number; uid?: string } = {},
): KubeObject {
  const [kind = 'Pod', name = ''] = about.split('/');
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${name}.${reason}`, namespace: 'default', uid: o.uid ?? `event-${name}-${reason}` },
    involvedObject: { kind, name, namespace: 'default', uid: `uid-${name}` },
    type: o.type ?? 'Normal',
    reason,
    message: o.message ?? reason,
    count: o.count ?? 1,
    firstTimestamp: stamp(o.seconds ?? 0),
    lastTimestamp: stamp(o.seconds ?? 0),
  };
}

type Watched = { type: WatchName };

/** Inputs, as the watches deliver them. */
export const added = (type: Watched['type'], object: KubeObject): ModelInput => ({
  type,
  change: { type: 'ADDED', object },
});
export const modified = (type: Watched['type'], object: KubeObject): ModelInput => ({
  type,
  change: { type: 'MODIFIED', object },
});
export const deleted = (type: Watched['type'], object: KubeObject): ModelInput => ({
  type,
  change: { type: 'DELETED', object },
});
export const tick: ModelInput = { type: 'tick' };
export const listed = (watch: WatchName): ModelInput => ({ type: 'listed', watch });
/** The API server refused the watch (403): the track goes on without it. */
export const denied = (watch: Exclude<WatchName, 'resource'>): ModelInput => ({ type: 'denied', watch });

/** One line per action, as the scenario tables write them. */
export function describe(action: ModelAction): string {
  switch (action.type) {
    case 'emit':
      return describeEvent(action.event);
    case 'follow':
      return `follow ${action.tail.pod}/${action.tail.container}${action.tail.from ? ' from now' : action.tail.history ? ' (ran before the track)' : ''}`;
    case 'previous':
      return `previous ${action.pod}/${action.container}`;
    case 'unfollow':
      return `unfollow ${action.pod}`;
    case 'fail':
      return `fail ${action.failure.event.reason}: ${action.failure.event.message}`;
    case 'drain':
      return 'drain';
    case 'settle':
    case 'end':
      return action.type;
  }
}

function describeEvent(event: import('../../../src/track/events.js').TrackEvent): string {
  switch (event.type) {
    case 'added':
      return `added ${event.verdict.state}: ${event.verdict.message}`;
    case 'status':
      return `status ${event.verdict.state}: ${event.verdict.message}`;
    case 'ready':
      return 'ready';
    case 'deleted':
      return `deleted: ${event.message}`;
    case 'event':
      return `event ${event.eventType} ${event.reason} ${event.involvedObject}`;
    case 'replicaset':
      return `replicaset ${event.replicaSet}${event.new ? ' new' : ''}`;
    case 'pod':
      return `pod ${event.change} ${event.pod} ${event.phase}${event.current ? '' : ' (old)'}`;
    case 'pod-error':
      return `pod-error ${event.pod} ${event.container ?? '-'} ${event.reason} ×${event.failures}`;
    default:
      return event.type;
  }
}

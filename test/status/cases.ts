import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../src/kube/types.js';
import { computeVerdict } from '../../src/status/index.js';
import type { VerdictContext, VerdictState } from '../../src/status/types.js';

export const NOW = new Date('2026-06-01T12:00:00Z');
/** An RFC 3339 time `seconds` before NOW. */
export const ago = (seconds: number) =>
  new Date(NOW.getTime() - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

export interface Case {
  name: string;
  object: KubeObject;
  context?: Partial<VerdictContext>;
  state: VerdictState;
  reason?: string;
  /** Exact message, or a pattern. */
  message?: string | RegExp;
  hint?: RegExp;
  progress?: Record<string, number>;
}

/** One runner for every table: asserts state and reason, and the message and hint where the case gives them. */
export function runCases(cases: Case[]): void {
  for (const c of cases) {
    test(c.name, () => {
      const verdict = computeVerdict(c.object, { now: NOW, ...c.context });
      assert.equal(verdict.state, c.state, `state: ${JSON.stringify(verdict)}`);
      if (c.reason !== undefined)
        assert.equal(verdict.reason, c.reason, `reason: ${JSON.stringify(verdict)}`);
      if (typeof c.message === 'string') assert.equal(verdict.message, c.message);
      else if (c.message) assert.match(verdict.message, c.message);
      if (c.hint) assert.match(verdict.hint ?? '', c.hint, `hint: ${JSON.stringify(verdict)}`);
      if (c.progress) assert.deepEqual(verdict.progress, c.progress);
    });
  }
}

// -- fixture builders ----------------------------------------------------------------------

type Conditions = {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}[];

export function deployment(
  o: {
    name?: string;
    replicas?: number;
    generation?: number;
    observed?: number;
    status?: { replicas?: number; updated?: number; ready?: number; available?: number };
    conditions?: Conditions;
    paused?: boolean;
    deleting?: boolean;
  } = {},
): KubeObject {
  const s = o.status ?? {};
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: o.name ?? 'web',
      namespace: 'default',
      generation: o.generation ?? 2,
      ...(o.deleting ? { deletionTimestamp: ago(1) } : {}),
    },
    spec: { replicas: o.replicas ?? 3, ...(o.paused ? { paused: true } : {}) },
    status: {
      observedGeneration: o.observed ?? o.generation ?? 2,
      replicas: s.replicas ?? 3,
      updatedReplicas: s.updated ?? 3,
      readyReplicas: s.ready ?? 3,
      availableReplicas: s.available ?? 3,
      conditions: o.conditions ?? [],
    },
  };
}

export interface ContainerState {
  name?: string;
  ready?: boolean;
  restarts?: number;
  waiting?: { reason: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode: number; reason?: string };
  last?: { exitCode: number; reason?: string };
  image?: string;
  readinessProbe?: Record<string, number>;
  startupProbe?: Record<string, number>;
  memoryLimit?: string;
  containerID?: string;
  /** An init container with restartPolicy Always (a native sidecar). */
  sidecar?: boolean;
  /** The kubelet's `started` (a sidecar counts as initialized once it is true). */
  started?: boolean;
}

export function pod(
  o: {
    name?: string;
    phase?: string;
    ready?: boolean;
    containers?: ContainerState[];
    init?: ContainerState[];
    restartPolicy?: string;
    conditions?: Conditions;
    reason?: string;
    message?: string;
    owned?: boolean;
    deleting?: boolean;
    created?: string;
  } = {},
): KubeObject {
  const containers = o.containers ?? [{ ready: o.ready ?? true, running: {} }];
  const toStatus = (c: ContainerState, i: number, prefix: string) => ({
    name: c.name ?? `${prefix}${i}`,
    ready: c.ready ?? false,
    ...(c.started !== undefined ? { started: c.started } : {}),
    restartCount: c.restarts ?? 0,
    image: c.image ?? 'registry.local/web:v2',
    ...(c.containerID ? { containerID: c.containerID } : {}),
    state: c.waiting
      ? { waiting: c.waiting }
      : c.terminated
        ? { terminated: c.terminated }
        : { running: c.running ?? { startedAt: ago(60) } },
    ...(c.last ? { lastState: { terminated: c.last } } : {}),
  });
  const toSpec = (c: ContainerState, i: number, prefix: string) => ({
    name: c.name ?? `${prefix}${i}`,
    image: c.image ?? 'registry.local/web:v2',
    ...(c.readinessProbe ? { readinessProbe: c.readinessProbe } : {}),
    ...(c.startupProbe ? { startupProbe: c.startupProbe } : {}),
    ...(c.memoryLimit ? { resources: { limits: { memory: c.memoryLimit } } } : {}),
    ...(c.sidecar ? { restartPolicy: 'Always' } : {}),
  });
  const phase = o.phase ?? 'Running';
  const readyStatus = o.ready ?? containers.every((c) => c.ready);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name ?? 'web-1',
      namespace: 'default',
      creationTimestamp: o.created ?? ago(120),
      ...(o.owned
        ? {
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'u', controller: true },
            ],
          }
        : {}),
      ...(o.deleting ? { deletionTimestamp: ago(1) } : {}),
    },
    spec: {
      restartPolicy: o.restartPolicy ?? 'Always',
      containers: containers.map((c, i) => toSpec(c, i, 'app')),
      ...(o.init ? { initContainers: o.init.map((c, i) => toSpec(c, i, 'init')) } : {}),
    },
    status: {
      phase,
      startTime: o.created ?? ago(120),
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.message ? { message: o.message } : {}),
      conditions: o.conditions ?? [
        { type: 'Ready', status: readyStatus && phase === 'Running' ? 'True' : 'False' },
      ],
      containerStatuses: containers.map((c, i) => toStatus(c, i, 'app')),
      ...(o.init ? { initContainerStatuses: o.init.map((c, i) => toStatus(c, i, 'init')) } : {}),
    },
  };
}

export function event(o: {
  reason: string;
  message: string;
  type?: string;
  kind?: string;
  name?: string;
  last?: string;
  first?: string;
  count?: number;
  fieldPath?: string;
}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${o.name ?? 'web-1'}.${o.reason}`, namespace: 'default' },
    type: o.type ?? 'Warning',
    reason: o.reason,
    message: o.message,
    count: o.count ?? 1,
    firstTimestamp: o.first ?? o.last ?? ago(5),
    lastTimestamp: o.last ?? ago(5),
    involvedObject: {
      kind: o.kind ?? 'Pod',
      name: o.name ?? 'web-1',
      namespace: 'default',
      ...(o.fieldPath ? { fieldPath: o.fieldPath } : {}),
    },
  };
}

export function object(
  apiVersion: string,
  kind: string,
  status: unknown,
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: { name: 'x', namespace: 'default', ...((extra.metadata as object) ?? {}) },
    ...extra,
    status,
  } as KubeObject;
}

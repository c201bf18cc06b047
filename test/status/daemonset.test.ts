import { describe } from 'node:test';
import type { KubeObject } from '../../src/kube/types.js';
import { type Case, pod, runCases } from './cases.js';

function ds(o: {
  desired?: number;
  updated?: number;
  available?: number;
  strategy?: string;
  observed?: number | null;
  generation?: number;
}): KubeObject {
  const desired = o.desired ?? 3;
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', generation: o.generation ?? 1 },
    spec: { updateStrategy: { type: o.strategy ?? 'RollingUpdate' } },
    status: {
      ...(o.observed === null ? {} : { observedGeneration: o.observed ?? o.generation ?? 1 }),
      desiredNumberScheduled: desired,
      currentNumberScheduled: desired,
      numberReady: o.available ?? desired,
      updatedNumberScheduled: o.updated ?? desired,
      numberAvailable: o.available ?? desired,
    },
  };
}

const cases: Case[] = [
  {
    name: 'all updated and available',
    object: ds({}),
    state: 'ready',
    message: 'daemon set "agent" successfully rolled out',
    progress: { desired: 3, updated: 3, ready: 3, available: 3 },
  },
  {
    name: 'updating',
    object: ds({ updated: 1 }),
    state: 'progressing',
    reason: 'UpdatingReplicas',
    message: 'Waiting for daemon set "agent" rollout to finish: 1 out of 3 new pods have been updated...',
  },
  {
    name: 'updated but not available',
    object: ds({ available: 2 }),
    state: 'progressing',
    reason: 'WaitingForAvailable',
    message: 'Waiting for daemon set "agent" rollout to finish: 2 of 3 updated pods are available...',
  },
  {
    name: 'spec not observed',
    object: ds({ generation: 2, observed: 1 }),
    state: 'progressing',
    message: 'Waiting for daemon set spec update to be observed...',
  },
  {
    name: 'counters not written yet',
    object: { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, status: {} },
    state: 'progressing',
    reason: 'SpecNotObserved',
  },
  {
    name: 'no observedGeneration yet',
    object: ds({ observed: null }),
    state: 'progressing',
    reason: 'SpecNotObserved',
  },
  { name: 'no nodes to run on', object: ds({ desired: 0 }), state: 'ready' },
  {
    name: 'OnDelete with old pods: ready with a hint',
    object: ds({ strategy: 'OnDelete', updated: 1 }),
    state: 'ready',
    message: 'daemon set "agent": 3 pods available, 1 of 3 updated',
    hint: /OnDelete/,
  },
  {
    name: 'OnDelete with pods not available',
    object: ds({ strategy: 'OnDelete', updated: 1, available: 2 }),
    state: 'progressing',
    message: /2 of 3 pods are available/,
  },
  {
    name: 'a pod that cannot pull its image fails it',
    object: ds({ desired: 1, available: 0 }),
    context: { pods: [pod({ containers: [{ waiting: { reason: 'InvalidImageName' } }] })] },
    state: 'failed',
    reason: 'InvalidImageName',
  },
];

describe('DaemonSet verdicts', () => runCases(cases));

import { describe } from 'node:test';
import type { KubeObject } from '../../src/kube/types.js';
import { type Case, runCases } from './cases.js';

function rs(o: {
  replicas?: number;
  ready?: number;
  available?: number;
  labeled?: number;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}): KubeObject {
  const replicas = o.replicas ?? 2;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-7f9c4', generation: 1 },
    spec: { replicas },
    status: {
      observedGeneration: 1,
      replicas,
      readyReplicas: o.ready ?? replicas,
      availableReplicas: o.available ?? replicas,
      fullyLabeledReplicas: o.labeled ?? replicas,
      conditions: o.conditions ?? [],
    },
  };
}

const cases: Case[] = [
  {
    name: 'available, ready and fully labeled',
    object: rs({}),
    state: 'ready',
    message: 'replicaset "web-7f9c4" has 2 available replicas',
  },
  {
    name: 'not ready',
    object: rs({ ready: 1, available: 1 }),
    state: 'progressing',
    message: 'Waiting for replicaset "web-7f9c4": 1 of 2 replicas are ready...',
  },
  {
    name: 'ready but not yet available (minReadySeconds)',
    object: rs({ available: 1 }),
    state: 'progressing',
    message: 'Waiting for replicaset "web-7f9c4": 1 of 2 replicas are available...',
  },
  { name: 'not fully labeled', object: rs({ labeled: 1 }), state: 'progressing' },
  {
    name: 'ReplicaFailure',
    object: rs({
      ready: 0,
      available: 0,
      conditions: [
        { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'exceeded quota' },
      ],
    }),
    state: 'failed',
    reason: 'ReplicaFailure',
  },
  { name: 'zero replicas', object: rs({ replicas: 0 }), state: 'ready' },
];

describe('ReplicaSet verdicts', () => runCases(cases));

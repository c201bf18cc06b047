import { describe } from 'node:test';
import type { KubeObject } from '../../src/kube/types.js';
import { type Case, pod, runCases } from './cases.js';

function sts(o: {
  replicas?: number;
  ready?: number;
  updated?: number;
  current?: number;
  currentRevision?: string;
  updateRevision?: string;
  strategy?: 'RollingUpdate' | 'OnDelete';
  partition?: number;
  observed?: number;
  generation?: number;
  rollingUpdateBlock?: boolean;
}): KubeObject {
  const replicas = o.replicas ?? 3;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', generation: o.generation ?? 1 },
    spec: {
      replicas,
      updateStrategy: {
        type: o.strategy ?? 'RollingUpdate',
        ...(o.partition !== undefined || o.rollingUpdateBlock
          ? { rollingUpdate: { partition: o.partition ?? 0 } }
          : {}),
      },
    },
    status: {
      observedGeneration: o.observed ?? o.generation ?? 1,
      replicas,
      readyReplicas: o.ready ?? replicas,
      availableReplicas: o.ready ?? replicas,
      updatedReplicas: o.updated ?? replicas,
      currentReplicas: o.current ?? replicas,
      currentRevision: o.currentRevision ?? 'db-7c9f',
      updateRevision: o.updateRevision ?? o.currentRevision ?? 'db-7c9f',
    },
  };
}

const cases: Case[] = [
  {
    name: 'all ready at one revision',
    object: sts({}),
    state: 'ready',
    message: 'statefulset rolling update complete 3 pods at revision db-7c9f...',
  },
  {
    name: 'observedGeneration 0 is not observed yet (kubectl)',
    object: sts({ observed: 0 }),
    state: 'progressing',
    reason: 'SpecNotObserved',
    message: 'Waiting for statefulset spec update to be observed...',
  },
  {
    name: 'generation ahead of observedGeneration',
    object: sts({ generation: 3, observed: 2 }),
    state: 'progressing',
    reason: 'SpecNotObserved',
  },
  {
    name: 'pods not ready',
    object: sts({ ready: 1 }),
    state: 'progressing',
    reason: 'WaitingForReady',
    message: 'Waiting for 2 pods to be ready...',
  },
  {
    name: 'rolling update in progress: revisions differ',
    object: sts({ updated: 1, current: 2, currentRevision: 'db-1', updateRevision: 'db-2' }),
    state: 'progressing',
    reason: 'RevisionUpdate',
    message: 'waiting for statefulset rolling update to complete 1 pods at revision db-2...',
  },
  {
    // kubectl only compares revisions; we also require every replica updated.
    name: 'a rollingUpdate block with partition 0 behaves like no partition',
    object: sts({
      rollingUpdateBlock: true,
      partition: 0,
      updated: 2,
      currentRevision: 'db-1',
      updateRevision: 'db-2',
    }),
    state: 'progressing',
    reason: 'RevisionUpdate',
  },
  {
    name: 'partition 0 and revisions equal: complete',
    object: sts({ rollingUpdateBlock: true, partition: 0 }),
    state: 'ready',
  },
  {
    name: 'partition 2 of 5: waiting for 3 updated pods',
    object: sts({ replicas: 5, partition: 2, updated: 1, currentRevision: 'db-1', updateRevision: 'db-2' }),
    state: 'progressing',
    reason: 'PartitionedRollout',
    message: 'Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...',
  },
  {
    name: 'partition 2 of 5 with 3 updated: complete (revisions may still differ)',
    object: sts({ replicas: 5, partition: 2, updated: 3, currentRevision: 'db-1', updateRevision: 'db-2' }),
    state: 'ready',
    message: 'partitioned roll out complete: 3 new pods have been updated...',
  },
  {
    name: 'partition above replicas: nothing to update',
    object: sts({ replicas: 2, partition: 5, updated: 0, updateRevision: 'db-2', currentRevision: 'db-1' }),
    state: 'ready',
  },
  {
    name: 'OnDelete: ready when all pods are ready, with the hint to delete old pods',
    object: sts({ strategy: 'OnDelete', updated: 1, currentRevision: 'db-1', updateRevision: 'db-2' }),
    state: 'ready',
    message: 'statefulset "db": 3 pods ready, 1 of 3 updated',
    hint: /OnDelete: delete the old pods by hand/,
  },
  {
    name: 'OnDelete with pods not ready',
    object: sts({ strategy: 'OnDelete', ready: 2 }),
    state: 'progressing',
    reason: 'WaitingForReady',
  },
  {
    name: 'a crash-looping pod of the update revision fails it',
    object: sts({ replicas: 1, ready: 0 }),
    context: {
      pods: [
        pod({
          name: 'db-0',
          containers: [{ waiting: { reason: 'CrashLoopBackOff' }, restarts: 4, last: { exitCode: 1 } }],
        }),
      ],
    },
    state: 'failed',
    reason: 'CrashLoopBackOff',
  },
  { name: 'scaled to zero', object: sts({ replicas: 0 }), state: 'ready' },
];

describe('StatefulSet verdicts', () => runCases(cases));

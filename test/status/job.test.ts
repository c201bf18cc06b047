import { describe } from 'node:test';
import type { KubeObject } from '../../src/kube/types.js';
import { type Case, pod, runCases } from './cases.js';

function job(o: {
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  active?: number;
  succeeded?: number;
  failed?: number;
  started?: boolean;
  suspend?: boolean;
  completions?: number;
  /** Indexed with this spec.backoffLimitPerIndex. */
  backoffLimitPerIndex?: number;
  failedIndexes?: string;
  successPolicy?: Record<string, unknown>;
}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', generation: 1 },
    spec: {
      ...(o.suspend ? { suspend: true } : {}),
      ...(o.completions !== undefined ? { completions: o.completions } : {}),
      ...(o.backoffLimitPerIndex !== undefined
        ? { completionMode: 'Indexed', backoffLimitPerIndex: o.backoffLimitPerIndex }
        : { backoffLimit: 2 }),
      ...(o.successPolicy ? { successPolicy: o.successPolicy } : {}),
    },
    status: {
      ...(o.started === false ? {} : { startTime: '2026-06-01T11:59:00Z' }),
      ...(o.active !== undefined ? { active: o.active } : {}),
      ...(o.succeeded !== undefined ? { succeeded: o.succeeded } : {}),
      ...(o.failed !== undefined ? { failed: o.failed } : {}),
      ...(o.failedIndexes !== undefined ? { failedIndexes: o.failedIndexes } : {}),
      conditions: o.conditions ?? [],
    },
  };
}

const cases: Case[] = [
  {
    name: 'SuccessCriteriaMet: succeeded, while its lingering pods are still being stopped',
    object: job({
      active: 0,
      succeeded: 1,
      completions: 3,
      conditions: [
        {
          type: 'SuccessCriteriaMet',
          status: 'True',
          reason: 'SuccessPolicy',
          message: 'Matched rules at index 0',
        },
      ],
    }),
    state: 'ready',
    reason: 'JobComplete',
    message: 'job "migrate" succeeded: SuccessPolicy: Matched rules at index 0',
  },
  {
    name: 'an index lost to backoffLimitPerIndex: failed at once, not when the other indexes finish',
    object: job({ active: 2, failed: 2, completions: 3, backoffLimitPerIndex: 1, failedIndexes: '1' }),
    state: 'failed',
    reason: 'FailedIndexes',
    message:
      'job "migrate" will fail: index 1 failed (more than backoffLimitPerIndex 1 failures); it fails with FailedIndexes once its other indexes finish',
    hint: /backoffLimitPerIndex/,
  },
  {
    name: 'no failed index yet (the controller writes an empty failedIndexes): running',
    object: job({ active: 3, completions: 3, backoffLimitPerIndex: 1, failedIndexes: '' }),
    state: 'progressing',
    reason: 'JobRunning',
  },
  {
    name: 'a failed index with a successPolicy: the policy may still be met, so it is left to the conditions',
    object: job({
      active: 2,
      failed: 2,
      completions: 3,
      backoffLimitPerIndex: 1,
      failedIndexes: '1',
      successPolicy: { rules: [{ succeededIndexes: '0' }] },
    }),
    state: 'progressing',
    reason: 'JobRunning',
  },
  {
    name: 'complete',
    object: job({ succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }),
    state: 'ready',
    reason: 'JobComplete',
    message: 'job "migrate" completed: 1 succeeded',
  },
  {
    name: 'BackoffLimitExceeded',
    object: job({
      failed: 3,
      conditions: [
        {
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
        },
      ],
    }),
    state: 'failed',
    reason: 'BackoffLimitExceeded',
    message: 'job "migrate" failed: BackoffLimitExceeded: Job has reached the specified backoff limit',
    hint: /backoffLimit/,
    progress: { active: 0, succeeded: 0, failed: 3 },
  },
  {
    name: 'DeadlineExceeded',
    object: job({ conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded' }] }),
    state: 'failed',
    reason: 'DeadlineExceeded',
    hint: /activeDeadlineSeconds/,
  },
  {
    name: 'PodFailurePolicy',
    object: job({ conditions: [{ type: 'Failed', status: 'True', reason: 'PodFailurePolicy' }] }),
    state: 'failed',
    reason: 'PodFailurePolicy',
    hint: /podFailurePolicy/,
  },
  {
    name: 'MaxFailedIndexesExceeded',
    object: job({ conditions: [{ type: 'Failed', status: 'True', reason: 'MaxFailedIndexesExceeded' }] }),
    state: 'failed',
    reason: 'MaxFailedIndexesExceeded',
  },
  {
    name: 'FailureTarget (1.31+) fails before the final condition',
    object: job({ conditions: [{ type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded' }] }),
    state: 'failed',
    reason: 'BackoffLimitExceeded',
  },
  {
    name: 'suspended',
    object: job({ suspend: true, started: false }),
    state: 'progressing',
    reason: 'JobSuspended',
    hint: /suspend/,
  },
  {
    name: 'not started',
    object: job({ started: false }),
    state: 'progressing',
    reason: 'JobNotStarted',
    message: 'job "migrate" has not started yet',
  },
  {
    // kstatus calls a running Job Current; for CI a running migration is not done.
    name: 'running is not ready',
    object: job({ active: 1, completions: 3, succeeded: 1 }),
    state: 'progressing',
    reason: 'JobRunning',
    message: 'job "migrate" is running: 1 active, 1 of 3 succeeded, 0 failed',
  },
  {
    name: 'a pod failing with an error exit is left to backoffLimit',
    object: job({ active: 1, failed: 1 }),
    context: {
      pods: [
        pod({
          restartPolicy: 'Never',
          phase: 'Failed',
          containers: [{ terminated: { exitCode: 1, reason: 'Error' } }],
        }),
      ],
    },
    state: 'progressing',
    reason: 'JobRunning',
  },
  {
    name: 'a pod that cannot pull its image fails the Job early',
    object: job({ active: 1 }),
    context: {
      pods: [
        pod({
          restartPolicy: 'Never',
          phase: 'Pending',
          containers: [{ waiting: { reason: 'ImagePullBackOff' } }],
        }),
      ],
    },
    state: 'failed',
    reason: 'ImagePullBackOff',
  },
  {
    name: 'Complete=False is not complete',
    object: job({ active: 1, conditions: [{ type: 'Complete', status: 'False' }] }),
    state: 'progressing',
  },
];

describe('Job verdicts', () => runCases(cases));

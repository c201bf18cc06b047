import { describe } from 'node:test';
import { type Case, object, runCases } from './cases.js';

const widget = (status: unknown, metadata: Record<string, unknown> = {}) =>
  object('example.com/v1', 'Widget', status, { metadata: { name: 'w', ...metadata } });

const cases: Case[] = [
  { name: 'Ready=True', object: widget({ conditions: [{ type: 'Ready', status: 'True' }] }), state: 'ready' },
  {
    name: 'Ready=False is progressing with its reason and message',
    object: widget({
      conditions: [
        { type: 'Ready', status: 'False', reason: 'Provisioning', message: 'waiting for the bucket' },
      ],
    }),
    state: 'progressing',
    reason: 'Provisioning',
    message: 'widget "w": Ready is False: Provisioning: waiting for the bucket',
  },
  {
    name: 'Available=True',
    object: widget({ conditions: [{ type: 'Available', status: 'True' }] }),
    state: 'ready',
  },
  {
    name: 'Succeeded=True',
    object: widget({ conditions: [{ type: 'Succeeded', status: 'True' }] }),
    state: 'ready',
  },
  {
    name: 'Complete=True',
    object: widget({ conditions: [{ type: 'Complete', status: 'True' }] }),
    state: 'ready',
  },
  {
    name: 'Ready=Unknown',
    object: widget({ conditions: [{ type: 'Ready', status: 'Unknown' }] }),
    state: 'progressing',
    reason: 'ConditionFalse',
  },
  { name: 'phase Running', object: widget({ phase: 'Running' }), state: 'ready' },
  { name: 'phase Succeeded', object: widget({ phase: 'Succeeded' }), state: 'ready' },
  {
    name: 'phase Failed with a message',
    object: widget({ phase: 'Failed', message: 'quota' }),
    state: 'failed',
    reason: 'PhaseFailed',
    message: 'widget "w" is Failed: quota',
  },
  { name: 'phase Error', object: widget({ phase: 'Error' }), state: 'failed' },
  {
    name: 'an Argo Rollout Degraded while Available=True: the failure wins',
    object: widget({
      phase: 'Degraded',
      message: 'ProgressDeadlineExceeded: ReplicaSet "web-6d4f" has timed out progressing.',
      conditions: [
        { type: 'Available', status: 'True', reason: 'AvailableReason' },
        { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' },
      ],
    }),
    state: 'failed',
    reason: 'PhaseFailed',
    message:
      'widget "w" is Degraded: ProgressDeadlineExceeded: ReplicaSet "web-6d4f" has timed out progressing.',
  },
  {
    name: 'Progressing=False because the deadline passed, with Available=True and no phase: failed',
    object: widget({
      conditions: [
        { type: 'Available', status: 'True' },
        { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'timed out' },
      ],
    }),
    state: 'failed',
    reason: 'ProgressDeadlineExceeded',
  },
  {
    name: 'Succeeded=False (a Tekton PipelineRun that failed)',
    object: widget({
      conditions: [
        { type: 'Succeeded', status: 'False', reason: 'Failed', message: 'Tasks Completed: 1 (Failed: 1)' },
      ],
    }),
    state: 'failed',
    reason: 'Failed',
  },
  { name: 'status.state Error', object: widget({ state: 'Error' }), state: 'failed', reason: 'PhaseFailed' },
  {
    name: 'observedGeneration written as a string behind generation (Argo Rollouts)',
    object: widget(
      { observedGeneration: '2', conditions: [{ type: 'Ready', status: 'True' }] },
      { generation: 3 },
    ),
    state: 'progressing',
    reason: 'SpecNotObserved',
  },
  {
    name: 'observedGeneration written as a string, current',
    object: widget(
      { observedGeneration: '3', conditions: [{ type: 'Ready', status: 'True' }] },
      { generation: 3 },
    ),
    state: 'ready',
  },
  { name: 'phase Provisioning', object: widget({ phase: 'Provisioning' }), state: 'progressing' },
  { name: 'no status: ready once it exists', object: widget(undefined), state: 'ready', reason: 'Exists' },
  {
    name: 'a ConfigMap exists',
    object: object('v1', 'ConfigMap', undefined, { data: {} }),
    state: 'ready',
    reason: 'Exists',
  },
  {
    name: 'observedGeneration behind generation',
    object: widget(
      { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True' }] },
      { generation: 2 },
    ),
    state: 'progressing',
    reason: 'SpecNotObserved',
  },
  {
    name: 'being deleted',
    object: widget(
      { conditions: [{ type: 'Ready', status: 'True' }] },
      { deletionTimestamp: '2026-06-01T11:00:00Z' },
    ),
    state: 'progressing',
    reason: 'Terminating',
  },
  {
    name: 'Stalled=True fails any kind',
    object: widget({ conditions: [{ type: 'Stalled', status: 'True', reason: 'Invalid' }] }),
    state: 'failed',
    reason: 'Stalled',
  },
  {
    name: 'Reconciling=True',
    object: widget({
      conditions: [
        { type: 'Reconciling', status: 'True' },
        { type: 'Ready', status: 'True' },
      ],
    }),
    state: 'progressing',
    reason: 'Reconciling',
  },
  {
    name: 'malformed conditions are ignored',
    object: widget({ conditions: [null, 5, { type: 3 }, { type: 'Ready', status: 'True' }] }),
    state: 'ready',
  },
];

describe('verdicts of any other kind', () => runCases(cases));

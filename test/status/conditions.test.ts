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

/** The word lists of the fallback, for kinds nobody described (the Go kubedog's generic tracker). */
const words: Case[] = [
  { name: 'status.status "Healthy"', object: widget({ status: 'Healthy' }), state: 'ready' },
  { name: 'status.currentPhase "Completed"', object: widget({ currentPhase: 'Completed' }), state: 'ready' },
  { name: 'status.health "green"', object: widget({ health: 'green' }), state: 'ready' },
  {
    name: 'status.state "In Progress", however it is spelled',
    object: widget({ state: 'IN_PROGRESS' }),
    state: 'progressing',
  },
  { name: 'status.state "reconciling"', object: widget({ state: 'reconciling' }), state: 'progressing' },
  {
    name: 'status.currentStatus "CrashLoopBackOff": failed',
    object: widget({ currentStatus: 'CrashLoopBackOff' }),
    state: 'failed',
    reason: 'PhaseFailed',
  },
  {
    name: 'status.health "degraded" fails even with a ready phase beside it',
    object: widget({ phase: 'Running', health: 'degraded' }),
    state: 'failed',
  },
  {
    name: 'a condition named by a ready word (Healthy=True) is ready',
    object: widget({ conditions: [{ type: 'Healthy', status: 'True' }] }),
    state: 'ready',
  },
  {
    name: 'every readiness condition must be True: Ready=True with Synced=False waits',
    object: widget({
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'Synced', status: 'False', reason: 'Syncing' },
      ],
    }),
    state: 'progressing',
    reason: 'Syncing',
  },
  {
    name: 'a condition named by a failure word (Degraded=True) fails',
    object: widget({
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'Degraded', status: 'True', reason: 'NoQuorum', message: '1 of 3 members' },
      ],
    }),
    state: 'failed',
    reason: 'NoQuorum',
  },
  {
    name: 'Ready=False for a failure reason (ReconcileError) fails',
    object: widget({
      conditions: [
        { type: 'Ready', status: 'False', reason: 'ReconcileError', message: 'bucket name taken' },
      ],
    }),
    state: 'failed',
    reason: 'ReconcileError',
    message: 'widget "w": Ready is False: ReconcileError: bucket name taken',
  },
  {
    name: 'Ready=False waiting on a dependency is not a failure',
    object: widget({ conditions: [{ type: 'Ready', status: 'False', reason: 'DependencyNotReady' }] }),
    state: 'progressing',
  },
  {
    name: 'a condition out of date (its observedGeneration behind) waits for the controller',
    object: widget(
      { conditions: [{ type: 'Ready', status: 'True', observedGeneration: 1 }] },
      { generation: 2 },
    ),
    state: 'progressing',
    reason: 'SpecNotObserved',
    message: 'Waiting for widget spec update to be observed... (condition Ready is older)',
  },
  {
    name: 'an empty status is no status: it exists',
    object: widget({}),
    state: 'ready',
    reason: 'Exists',
    message: 'widget "w" exists (it reports no status)',
  },
  {
    name: 'no status while its controller is expected to report one (a new object, or a kind declaring a status): waiting for it',
    object: widget(undefined),
    context: { statusExpected: true },
    state: 'progressing',
    reason: 'AwaitingStatus',
    message: 'widget "w": waiting for its controller to report a status',
    hint: /check that the operator of example\.com is running/,
  },
  {
    name: 'an empty status while its controller is expected to report: waiting too',
    object: widget({}),
    context: { statusExpected: true },
    state: 'progressing',
    reason: 'AwaitingStatus',
  },
  {
    name: 'a status once its controller reported is judged as usual, also where one was expected',
    object: widget({
      conditions: [{ type: 'Ready', status: 'False', reason: 'Failed', message: 'bad spec' }],
    }),
    context: { statusExpected: true },
    state: 'failed',
  },
  {
    name: "Kubernetes' own kinds never wait for a status they do not have",
    object: object('v1', 'ConfigMap', undefined, { metadata: { name: 'settings' } }),
    context: { statusExpected: true },
    state: 'ready',
    reason: 'Exists',
  },
  {
    name: 'a status with nothing else to read, whose controller observed the spec: ready',
    object: widget({ observedGeneration: 4, replicas: 3 }, { generation: 4 }),
    state: 'ready',
    reason: 'Observed',
  },
  {
    name: 'a custom resource whose status says nothing kubedog can read waits, and says how to describe it',
    object: widget({ lastSync: '2026-06-01T11:00:00Z', endpoint: 'db:5432' }),
    state: 'progressing',
    reason: 'UnknownStatus',
    message: 'widget "w": no readiness signal in its status (status.lastSync, status.endpoint)',
    hint: /--rules/,
  },
  {
    name: "one of Kubernetes' own kinds without a rule (a HorizontalPodAutoscaler) exists",
    object: object('autoscaling/v2', 'HorizontalPodAutoscaler', { currentReplicas: 2, desiredReplicas: 2 }),
    state: 'ready',
    reason: 'Exists',
  },
  {
    name: 'a status word kubedog does not know waits',
    object: widget({ phase: 'Hibernating' }),
    state: 'progressing',
    message: 'widget "w" is Hibernating',
  },
];

describe('verdicts of any other kind', () => runCases(cases));
describe('the status words of any other kind', () => runCases(words));

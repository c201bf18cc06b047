import { describe } from 'node:test';
import { ago, type Case, deployment, event, pod, runCases } from './cases.js';

const crashing = (restarts: number, reason = 'Error') =>
  pod({
    owned: true,
    containers: [
      {
        waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' },
        restarts,
        last: { exitCode: reason === 'OOMKilled' ? 137 : 1, reason },
        memoryLimit: '128Mi',
      },
    ],
  });

/** A ready Deployment at revision `revision` (its deployment.kubernetes.io/revision). */
const atRevision = (revision: string | undefined) => {
  const object = deployment();
  if (revision !== undefined) object.metadata.annotations = { 'deployment.kubernetes.io/revision': revision };
  return object;
};

const cases: Case[] = [
  {
    name: 'pinned to its revision (rollout status --revision): judged as usual',
    object: atRevision('3'),
    context: { deploymentRevision: 3 },
    state: 'ready',
    reason: 'Ready',
  },
  {
    name: "revision 0, kubectl's default: the newest, not pinned",
    object: atRevision('4'),
    context: { deploymentRevision: 0 },
    state: 'ready',
    reason: 'Ready',
  },
  {
    name: "pinned to a revision it has not reached: waiting for it, not kubectl's error",
    object: atRevision('2'),
    context: { deploymentRevision: 3 },
    state: 'progressing',
    reason: 'RevisionPending',
    message: 'waiting for deployment "web" to reach revision 3 (it is at revision 2)',
  },
  {
    name: 'pinned, and not numbered yet by its controller: waiting',
    object: atRevision(undefined),
    context: { deploymentRevision: 1 },
    state: 'progressing',
    reason: 'RevisionPending',
    message: 'waiting for deployment "web" to reach revision 1 (it is at no revision yet)',
  },
  {
    name: 'pinned to a revision a newer rollout replaced: failed, in kubectl words',
    object: atRevision('4'),
    context: { deploymentRevision: 3 },
    state: 'failed',
    reason: 'RevisionReplaced',
    message: 'deployment "web": desired revision (3) is different from the running revision (4)',
    hint: /kubectl rollout history deployment\/web/,
  },
  {
    name: 'every replica updated and available: ready, in kubectl words',
    object: deployment(),
    state: 'ready',
    reason: 'Ready',
    message: 'deployment "web" successfully rolled out',
    progress: { desired: 3, updated: 3, ready: 3, available: 3 },
  },
  {
    name: 'updated < desired',
    object: deployment({ status: { replicas: 4, updated: 1, available: 3 } }),
    state: 'progressing',
    reason: 'UpdatingReplicas',
    message: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
  },
  {
    name: 'old replicas pending termination',
    object: deployment({ status: { replicas: 4, updated: 3, available: 3 } }),
    state: 'progressing',
    reason: 'OldReplicasPending',
    message: 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
  },
  {
    name: 'available < updated',
    object: deployment({ status: { replicas: 3, updated: 3, available: 1, ready: 1 } }),
    state: 'progressing',
    reason: 'WaitingForAvailable',
    message: 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...',
  },
  {
    name: 'spec not yet observed',
    object: deployment({ generation: 3, observed: 2 }),
    state: 'progressing',
    reason: 'SpecNotObserved',
    message: 'Waiting for deployment spec update to be observed...',
  },
  {
    name: 'being deleted',
    object: deployment({ deleting: true }),
    state: 'progressing',
    reason: 'Terminating',
    message: 'deployment "web" is terminating',
  },
  {
    name: 'ProgressDeadlineExceeded fails with kubectl words',
    object: deployment({
      status: { updated: 1, available: 0 },
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: 'ReplicaSet "web-1" has timed out progressing.',
        },
      ],
    }),
    state: 'failed',
    reason: 'ProgressDeadlineExceeded',
    message: 'deployment "web" exceeded its progress deadline',
    hint: /progressDeadlineSeconds/,
  },
  {
    name: 'Progressing=True NewReplicaSetAvailable with all replicas available',
    object: deployment({
      conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }],
    }),
    state: 'ready',
  },
  {
    name: 'ReplicaFailure on a one-replica deployment fails at once',
    object: deployment({
      replicas: 1,
      status: { replicas: 0, updated: 0, available: 0, ready: 0 },
      conditions: [
        {
          type: 'ReplicaFailure',
          status: 'True',
          reason: 'FailedCreate',
          message: 'pods "web-1" is forbidden: exceeded quota: compute, requested: cpu=2',
        },
      ],
    }),
    state: 'failed',
    reason: 'ReplicaFailure',
    message: /cannot create pods: FailedCreate: pods "web-1" is forbidden: exceeded quota: compute/,
    hint: /ResourceQuota/,
  },
  {
    name: 'ReplicaFailure on the new ReplicaSet within the allowance of 3 replicas: progressing',
    object: deployment({ status: { replicas: 2, updated: 1, available: 1 } }),
    context: {
      newReplicaSet: {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'web-2' },
        status: {
          conditions: [
            {
              type: 'ReplicaFailure',
              status: 'True',
              reason: 'FailedCreate',
              message: 'admission webhook denied',
            },
          ],
        },
      },
    },
    state: 'progressing',
    reason: 'ReplicaFailure',
  },
  {
    name: 'quota FailedCreate events beyond the allowance fail, naming the quota',
    object: deployment({ status: { replicas: 3, updated: 1, available: 1 } }),
    context: {
      events: [
        event({
          kind: 'ReplicaSet',
          name: 'web-2',
          reason: 'FailedCreate',
          message: 'Error creating: pods "web-2-x" is forbidden: exceeded quota: team-quota',
          count: 4,
        }),
      ],
    },
    state: 'failed',
    reason: 'FailedCreate',
    hint: /ResourceQuota "team-quota"/,
  },
  {
    name: 'FailedCreate events from before tracking started are ignored',
    object: deployment({ status: { replicas: 3, updated: 1, available: 1 } }),
    context: {
      trackingSince: new Date(Date.parse(ago(10))),
      events: [
        event({
          kind: 'ReplicaSet',
          name: 'web-2',
          reason: 'FailedCreate',
          message: 'exceeded quota: q',
          count: 9,
          last: ago(60),
        }),
      ],
    },
    state: 'progressing',
    reason: 'UpdatingReplicas',
  },
  {
    name: 'paused: progressing with a hint that says so',
    object: deployment({ paused: true, status: { updated: 1, replicas: 3, available: 3 } }),
    state: 'progressing',
    reason: 'Paused',
    message: 'deployment "web" is paused: 1 of 3 replicas updated',
    hint: /paused: resume it with kubectl rollout resume/,
  },
  { name: 'paused after a finished rollout is ready', object: deployment({ paused: true }), state: 'ready' },
  {
    name: 'scaled to zero',
    object: deployment({ replicas: 0, status: { replicas: 0, updated: 0, available: 0, ready: 0 } }),
    state: 'ready',
  },
  {
    name: 'Stalled condition (kstatus) fails',
    object: deployment({
      conditions: [{ type: 'Stalled', status: 'True', reason: 'Blocked', message: 'cannot proceed' }],
    }),
    state: 'failed',
    reason: 'Stalled',
    message: 'deployment "web" is stalled: Blocked: cannot proceed',
  },
  {
    name: 'Reconciling condition is progressing',
    object: deployment({ conditions: [{ type: 'Reconciling', status: 'True', reason: 'Scaling' }] }),
    state: 'progressing',
    reason: 'Reconciling',
  },
  {
    name: 'ImagePullBackOff on the only replica fails (ErrImagePull + BackOff exceed 1 allowed)',
    object: deployment({ replicas: 1, status: { replicas: 1, updated: 1, available: 0, ready: 0 } }),
    context: {
      pods: [
        pod({
          owned: true,
          containers: [
            {
              waiting: {
                reason: 'ImagePullBackOff',
                message: 'Back-off pulling image "registry.local/web:v2"',
              },
            },
          ],
        }),
      ],
    },
    state: 'failed',
    reason: 'ImagePullBackOff',
    message:
      /container app0: ImagePullBackOff: Back-off pulling image "registry.local\/web:v2" \(2 failures, 1 allowed\)/,
    hint: /image name and tag \("registry.local\/web:v2"\).*imagePullSecrets/,
  },
  {
    name: 'first ErrImagePull is within the allowance: progressing with the reason in the message',
    object: deployment({ replicas: 1, status: { replicas: 1, updated: 1, available: 0, ready: 0 } }),
    context: {
      pods: [
        pod({ owned: true, containers: [{ waiting: { reason: 'ErrImagePull', message: 'not found' } }] }),
      ],
    },
    state: 'progressing',
    reason: 'WaitingForAvailable',
    message: /0 of 1 updated replicas are available\.\.\. \(container app0: ErrImagePull: not found\)/,
    hint: /imagePullSecrets/,
  },
  {
    name: 'failuresAllowedPerReplica 0 fails on the first ErrImagePull',
    object: deployment({ replicas: 1, status: { replicas: 1, updated: 1, available: 0 } }),
    context: {
      failuresAllowedPerReplica: 0,
      pods: [pod({ owned: true, containers: [{ waiting: { reason: 'ErrImagePull' } }] })],
    },
    state: 'failed',
    reason: 'ErrImagePull',
  },
  {
    name: 'three replicas with one ErrImagePull each stay within 3 allowed',
    object: deployment({ status: { replicas: 3, updated: 3, available: 0, ready: 0 } }),
    context: {
      pods: [1, 2, 3].map((i) =>
        pod({ name: `web-${i}`, owned: true, containers: [{ waiting: { reason: 'ErrImagePull' } }] }),
      ),
    },
    state: 'progressing',
  },
  {
    name: 'InvalidImageName fails at once',
    object: deployment({ status: { updated: 1, available: 0 } }),
    context: {
      pods: [
        pod({
          owned: true,
          containers: [
            {
              image: 'Registry/Web:V2',
              waiting: { reason: 'InvalidImageName', message: 'Failed to apply default image tag' },
            },
          ],
        }),
      ],
    },
    state: 'failed',
    reason: 'InvalidImageName',
    hint: /"Registry\/Web:V2" is not valid/,
  },
  {
    name: 'CrashLoopBackOff after one restart is two crashes: within an allowance of two',
    object: deployment({ replicas: 1, status: { replicas: 1, updated: 1, available: 0 } }),
    context: { pods: [crashing(1)], failuresAllowedPerReplica: 2 },
    state: 'progressing',
    message: /keeps crashing/,
  },
  {
    name: 'CrashLoopBackOff after one restart is two crashes: over the default allowance of one, at once (not after the 10 s back-off)',
    object: deployment({ replicas: 1, status: { replicas: 1, updated: 1, available: 0 } }),
    context: { pods: [crashing(1)] },
    state: 'failed',
    reason: 'CrashLoopBackOff',
    message:
      'container app0 keeps crashing (terminated (exit code 1, Error)), restarted 1 times (2 failures, 1 allowed)',
  },
  {
    name: 'CrashLoopBackOff with three restarts fails, with the exit code',
    object: deployment({ replicas: 1, status: { replicas: 1, updated: 1, available: 0 } }),
    context: { pods: [crashing(3)] },
    state: 'failed',
    reason: 'CrashLoopBackOff',
    message:
      'container app0 keeps crashing (terminated (exit code 1, Error)), restarted 3 times (4 failures, 1 allowed)',
    hint: /last log lines/,
  },
  {
    name: 'OOMKilled crash loop names the memory limit',
    object: deployment({ replicas: 1, status: { replicas: 1, updated: 1, available: 0 } }),
    context: { pods: [crashing(2, 'OOMKilled')] },
    state: 'failed',
    reason: 'OOMKilled',
    hint: /limit 128Mi/,
  },
  {
    name: 'CreateContainerConfigError within its grace window: progressing with the missing ConfigMap',
    object: deployment({ replicas: 1, status: { replicas: 1, updated: 1, available: 0 } }),
    context: {
      pods: [
        pod({
          owned: true,
          created: ago(10),
          containers: [
            {
              waiting: { reason: 'CreateContainerConfigError', message: 'configmap "app-config" not found' },
            },
          ],
        }),
      ],
    },
    state: 'progressing',
    hint: /create the ConfigMap "app-config"/,
  },
  {
    name: 'CreateContainerConfigError past its grace window fails',
    object: deployment({ replicas: 1, status: { replicas: 1, updated: 1, available: 0 } }),
    context: {
      pods: [
        pod({
          owned: true,
          created: ago(120),
          containers: [
            { waiting: { reason: 'CreateContainerConfigError', message: 'secret "db-password" not found' } },
          ],
        }),
      ],
    },
    state: 'failed',
    reason: 'CreateContainerConfigError',
    message: /secret "db-password" not found \(for 120s\)/,
    hint: /create the Secret "db-password"/,
  },
  {
    name: 'Unschedulable for 10 s: still progressing',
    object: deployment({ replicas: 1, status: { replicas: 1, updated: 1, available: 0 } }),
    context: {
      pods: [
        pod({
          owned: true,
          phase: 'Pending',
          containers: [],
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/3 nodes are available: 3 Insufficient cpu.',
              lastTransitionTime: ago(10),
            },
          ],
        }),
      ],
    },
    state: 'progressing',
    message: /0\/3 nodes are available: 3 Insufficient cpu/,
  },
  {
    name: 'Unschedulable past the 30 s grace: failed with the scheduler message',
    object: deployment({ replicas: 1, status: { replicas: 1, updated: 1, available: 0 } }),
    context: {
      pods: [
        pod({
          owned: true,
          phase: 'Pending',
          containers: [],
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/3 nodes are available: 3 Insufficient cpu.',
              lastTransitionTime: ago(45),
            },
          ],
        }),
      ],
    },
    state: 'failed',
    reason: 'Unschedulable',
    hint: /resource requests/,
  },
  {
    name: 'a longer unschedulable grace keeps it progressing',
    object: deployment({ replicas: 1, status: { replicas: 1, updated: 1, available: 0 } }),
    context: {
      unschedulableGraceMs: 120_000,
      pods: [
        pod({
          owned: true,
          phase: 'Pending',
          containers: [],
          conditions: [
            { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', lastTransitionTime: ago(45) },
          ],
        }),
      ],
    },
    state: 'progressing',
  },
  {
    name: 'missing status: nothing updated yet',
    object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } },
    state: 'progressing',
    reason: 'UpdatingReplicas',
    message: 'Waiting for deployment "web" rollout to finish: 0 out of 2 new replicas have been updated...',
  },
  {
    name: 'spec.replicas missing means 1',
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {},
      status: { replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
    },
    state: 'ready',
  },
];

describe('Deployment verdicts', () => runCases(cases));

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { podProblems, readinessWindowMs } from '../../src/status/pod.js';
import { ago, type Case, event, NOW, pod, runCases } from './cases.js';

const readinessEvent = event({
  reason: 'Unhealthy',
  message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
});

/** The kubelet's Event for failed pulls of the image, last two minutes ago. */
const pullEvent = (o: { count: number; fieldPath: string }) =>
  event({
    reason: 'Failed',
    message: 'Failed to pull image "registry.local/web:v2": not found',
    last: ago(120),
    first: ago(600),
    ...o,
  });

const cases: Case[] = [
  {
    name: 'running and ready',
    object: pod(),
    state: 'ready',
    reason: 'Ready',
    message: 'pod "web-1" is running and ready',
  },
  {
    name: 'succeeded (run to completion) is ready',
    object: pod({ phase: 'Succeeded', containers: [{ terminated: { exitCode: 0, reason: 'Completed' } }] }),
    state: 'ready',
    reason: 'PodSucceeded',
  },
  {
    name: 'failed phase with the pod message',
    object: pod({
      phase: 'Failed',
      restartPolicy: 'Never',
      message: 'Pod was active on the node longer than the specified deadline',
      reason: 'DeadlineExceeded',
      containers: [{ terminated: { exitCode: 137 } }],
    }),
    state: 'failed',
    reason: 'DeadlineExceeded',
    message: 'pod "web-1" failed: Pod was active on the node longer than the specified deadline',
  },
  {
    name: 'failed phase from a terminated container',
    object: pod({
      phase: 'Failed',
      restartPolicy: 'Never',
      containers: [{ terminated: { exitCode: 3, reason: 'Error' } }],
    }),
    state: 'failed',
    reason: 'Error',
    message: 'pod "web-1" failed: container app0 terminated (exit code 3, Error)',
    hint: /exited with code 3/,
  },
  {
    name: 'restartPolicy Never: a non-zero exit fails at once, even before the phase says so',
    object: pod({
      phase: 'Running',
      restartPolicy: 'Never',
      containers: [{ terminated: { exitCode: 1, reason: 'Error' } }],
    }),
    state: 'failed',
    reason: 'Error',
  },
  {
    name: 'restartPolicy Never: OOMKilled fails at once with the memory hint',
    object: pod({
      restartPolicy: 'Never',
      containers: [{ terminated: { exitCode: 137, reason: 'OOMKilled' }, memoryLimit: '64Mi' }],
    }),
    state: 'failed',
    reason: 'OOMKilled',
    hint: /limit 64Mi/,
  },
  {
    name: 'restartPolicy Always: one error exit is within the allowance',
    object: pod({ containers: [{ terminated: { exitCode: 1, reason: 'Error' }, restarts: 0 }] }),
    state: 'progressing',
    reason: 'Error',
  },
  {
    name: 'restartPolicy Always: error exits beyond the allowance fail',
    object: pod({ containers: [{ terminated: { exitCode: 1, reason: 'Error' }, restarts: 2 }] }),
    state: 'failed',
    reason: 'Error',
  },
  {
    name: 'ContainerCannotRun with restartPolicy Never',
    object: pod({
      restartPolicy: 'Never',
      containers: [{ terminated: { exitCode: 128, reason: 'ContainerCannotRun' } }],
    }),
    state: 'failed',
    reason: 'ContainerCannotRun',
  },
  {
    name: 'pending with ContainerCreating',
    object: pod({ phase: 'Pending', containers: [{ waiting: { reason: 'ContainerCreating' } }] }),
    state: 'progressing',
    reason: 'PodPending',
    message: 'pod "web-1" is pending: ContainerCreating',
  },
  {
    name: 'pending without statuses',
    object: pod({ phase: 'Pending', containers: [] }),
    state: 'progressing',
    reason: 'PodPending',
    message: 'pod "web-1" is pending',
  },
  {
    name: 'running but not ready, no probe evidence',
    object: pod({
      containers: [
        { name: 'app', ready: false, running: {} },
        { name: 'sidecar', ready: true, running: {} },
      ],
    }),
    state: 'progressing',
    reason: 'PodNotReady',
    message: 'pod "web-1" is running but not ready: containers not ready: app',
  },
  {
    name: 'init containers shown as Init:N/M',
    object: pod({
      phase: 'Pending',
      init: [{ terminated: { exitCode: 0, reason: 'Completed' } }, { running: {} }],
      containers: [{ waiting: { reason: 'PodInitializing' } }],
    }),
    state: 'progressing',
    reason: 'PodInitializing',
    message: 'pod "web-1": Init:1/2',
  },
  {
    name: 'a native sidecar counts as initialized once it has started, as kubectl counts it',
    object: pod({
      phase: 'Pending',
      init: [{ name: 'proxy', sidecar: true, started: true, running: {} }, { running: {} }],
      containers: [{ waiting: { reason: 'PodInitializing' } }],
    }),
    state: 'progressing',
    reason: 'PodInitializing',
    message: 'pod "web-1": Init:1/2',
  },
  {
    name: 'a pod is not ready while its native sidecar is not',
    object: pod({
      ready: false,
      init: [{ name: 'proxy', sidecar: true, started: true, ready: false, running: {} }],
      containers: [{ name: 'app', ready: true, running: {} }],
      conditions: [{ type: 'Ready', status: 'False' }],
    }),
    state: 'progressing',
    reason: 'PodNotReady',
    message: 'pod "web-1" is running but not ready: containers not ready: proxy',
  },
  {
    name: 'a pod with a ready native sidecar and ready containers is ready',
    object: pod({
      init: [{ name: 'proxy', sidecar: true, started: true, ready: true, running: {} }],
      containers: [{ name: 'app', ready: true, running: {} }],
    }),
    state: 'ready',
  },
  {
    name: 'a native sidecar that crashes is restarted whatever the pod restartPolicy: judged against the allowance, not at once',
    object: pod({
      restartPolicy: 'Never',
      init: [{ name: 'proxy', sidecar: true, terminated: { exitCode: 1, reason: 'Error' } }],
      containers: [{ name: 'main', ready: true, running: {} }],
      conditions: [{ type: 'Ready', status: 'False' }],
    }),
    context: { failuresAllowedPerReplica: 2 },
    state: 'progressing',
  },
  {
    name: "how the kubelet stopped the sidecar of a finished pod is not the pod's result",
    object: pod({
      phase: 'Succeeded',
      restartPolicy: 'Never',
      init: [{ name: 'proxy', sidecar: true, terminated: { exitCode: 143, reason: 'Error' } }],
      containers: [{ name: 'main', terminated: { exitCode: 0, reason: 'Completed' } }],
      conditions: [{ type: 'Ready', status: 'False', reason: 'PodCompleted' }],
    }),
    state: 'ready',
  },
  {
    name: 'an init container that fails under restartPolicy Never fails the pod',
    object: pod({
      phase: 'Pending',
      restartPolicy: 'Never',
      init: [{ terminated: { exitCode: 1, reason: 'Error' } }],
      containers: [{ waiting: { reason: 'PodInitializing' } }],
    }),
    state: 'failed',
    reason: 'Error',
    message: /container init0 terminated \(exit code 1, Error\)/,
  },
  {
    name: 'an init container in a crash loop shows in Init:N/M while within the allowance',
    object: pod({
      phase: 'Pending',
      init: [
        { waiting: { reason: 'CrashLoopBackOff' }, restarts: 1, last: { exitCode: 1, reason: 'Error' } },
      ],
      containers: [{ waiting: { reason: 'PodInitializing' } }],
    }),
    context: { failuresAllowedPerReplica: 2 },
    state: 'progressing',
    message: /Init:0\/1: container init0 keeps crashing/,
  },
  {
    name: 'ErrImageNeverPull fails at once',
    object: pod({ containers: [{ waiting: { reason: 'ErrImageNeverPull' } }] }),
    state: 'failed',
    reason: 'ErrImageNeverPull',
    hint: /imagePullPolicy is Never/,
  },
  {
    name: 'ImagePullBackOff fails a bare pod',
    object: pod({ containers: [{ waiting: { reason: 'ImagePullBackOff' } }] }),
    state: 'failed',
    reason: 'ImagePullBackOff',
  },
  {
    name: 'ErrImagePull alone is one failure, within the allowance',
    object: pod({ containers: [{ waiting: { reason: 'ErrImagePull' } }] }),
    state: 'progressing',
    reason: 'ErrImagePull',
  },
  {
    name: 'ErrImagePull after eight failed pulls (the Events count them, however old): failed',
    object: pod({ containers: [{ waiting: { reason: 'ErrImagePull' } }] }),
    context: {
      trackingSince: new Date(Date.parse(ago(1))),
      events: [
        pullEvent({ count: 8, fieldPath: 'spec.containers{app0}' }),
        // Another container's pulls, and the kubelet's "Error: ErrImagePull" echo, are not this container's.
        pullEvent({ count: 5, fieldPath: 'spec.containers{sidecar}' }),
        event({ reason: 'Failed', message: 'Error: ErrImagePull', count: 8, last: ago(120) }),
      ],
    },
    state: 'failed',
    reason: 'ErrImagePull',
    message: /\(8 failures, 1 allowed\)$/,
  },
  {
    name: 'CreateContainerError counts against the allowance',
    object: pod({
      containers: [{ waiting: { reason: 'CreateContainerError', message: 'no command specified' } }],
    }),
    state: 'progressing',
    message: /CreateContainerError: no command specified/,
    hint: /command, args/,
  },
  {
    name: 'RunContainerError after a restart fails',
    object: pod({
      containers: [
        { waiting: { reason: 'RunContainerError', message: 'exec: "/app": permission denied' }, restarts: 1 },
      ],
    }),
    state: 'failed',
    reason: 'RunContainerError',
  },
  {
    name: 'restarted by a liveness probe and running again: counted',
    object: pod({
      containers: [{ ready: true, running: {}, restarts: 2, last: { exitCode: 137, reason: 'Error' } }],
      ready: false,
    }),
    state: 'failed',
    reason: 'Restarted',
    hint: /liveness/,
  },
  {
    name: 'a restarted container that is ready again makes a ready pod',
    object: pod({
      containers: [{ ready: true, running: {}, restarts: 5, last: { exitCode: 1, reason: 'Error' } }],
    }),
    state: 'ready',
  },
  {
    name: 'readiness probe failing within its window: progressing',
    object: pod({
      containers: [
        {
          ready: false,
          running: { startedAt: ago(20) },
          readinessProbe: { periodSeconds: 10, failureThreshold: 3 },
        },
      ],
    }),
    context: { events: [readinessEvent] },
    state: 'progressing',
    reason: 'ReadinessProbeFailing',
  },
  {
    name: 'readiness probe failing past its window (0 + 10 × 3 s): failed',
    object: pod({
      containers: [
        {
          ready: false,
          running: { startedAt: ago(45) },
          readinessProbe: { periodSeconds: 10, failureThreshold: 3 },
        },
      ],
    }),
    context: { events: [readinessEvent] },
    state: 'failed',
    reason: 'ReadinessProbeFailing',
    hint: /budget \(30s\)/,
  },
  {
    name: "past the probe's window, within the container's own grace (werf's ignore-readiness-probe-fails-for-app0: 2m): progressing",
    object: pod({
      containers: [
        {
          ready: false,
          running: { startedAt: ago(45) },
          readinessProbe: { periodSeconds: 10, failureThreshold: 3 },
        },
      ],
    }),
    context: { events: [readinessEvent], readinessProbeGraceMs: { app0: 120_000 } },
    state: 'progressing',
    reason: 'ReadinessProbeFailing',
  },
  {
    name: "past the container's own grace: failed",
    object: pod({
      containers: [
        {
          ready: false,
          running: { startedAt: ago(130) },
          readinessProbe: { periodSeconds: 10, failureThreshold: 3 },
        },
      ],
    }),
    context: { events: [readinessEvent], readinessProbeGraceMs: { app0: 120_000 } },
    state: 'failed',
    reason: 'ReadinessProbeFailing',
  },
  {
    name: 'a startup probe adds its budget to the window',
    object: pod({
      containers: [
        {
          ready: false,
          running: { startedAt: ago(45) },
          readinessProbe: { periodSeconds: 10, failureThreshold: 3 },
          startupProbe: { periodSeconds: 5, failureThreshold: 10 },
        },
      ],
    }),
    context: { events: [readinessEvent] },
    state: 'progressing',
  },
  {
    name: 'ignoreReadinessProbeFailures keeps it progressing',
    object: pod({ containers: [{ ready: false, running: { startedAt: ago(300) }, readinessProbe: {} }] }),
    context: { events: [readinessEvent], ignoreReadinessProbeFailures: true },
    state: 'progressing',
  },
  {
    name: 'Unschedulable within the grace window',
    object: pod({
      phase: 'Pending',
      containers: [],
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity.",
          lastTransitionTime: ago(5),
        },
      ],
    }),
    state: 'progressing',
    reason: 'Unschedulable',
  },
  {
    name: 'Unschedulable past the grace window',
    object: pod({
      phase: 'Pending',
      containers: [],
      conditions: [
        { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', lastTransitionTime: ago(31) },
      ],
    }),
    state: 'failed',
    reason: 'Unschedulable',
    message: /cannot be scheduled.*\(for 31s\)/,
  },
  {
    name: "the pod's Unschedulable condition is preferred to its FailedScheduling Event, whichever is older",
    object: pod({
      phase: 'Pending',
      containers: [],
      conditions: [
        { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', lastTransitionTime: ago(5) },
      ],
    }),
    context: {
      events: [
        event({
          reason: 'FailedScheduling',
          message: '0/3 nodes are available: 3 Insufficient cpu.',
          first: ago(90),
          last: ago(2),
        }),
      ],
    },
    state: 'progressing',
    reason: 'Unschedulable',
  },
  {
    name: 'an evicted bare pod fails',
    object: pod({
      phase: 'Failed',
      reason: 'Evicted',
      message: 'The node was low on resource: memory.',
      containers: [{ terminated: { exitCode: 137 } }],
    }),
    state: 'failed',
    reason: 'Evicted',
  },
  {
    name: 'FailedMount past the grace window fails',
    object: pod({ phase: 'Pending', containers: [{ waiting: { reason: 'ContainerCreating' } }] }),
    context: {
      events: [
        event({
          reason: 'FailedMount',
          message: 'MountVolume.SetUp failed for volume "data" : persistentvolumeclaim "data" not found',
          first: ago(90),
          last: ago(2),
        }),
      ],
    },
    state: 'failed',
    reason: 'FailedMount',
    hint: /PersistentVolumeClaim/,
  },
  {
    name: 'FailedMount within the grace window',
    object: pod({ phase: 'Pending', containers: [{ waiting: { reason: 'ContainerCreating' } }] }),
    context: {
      events: [event({ reason: 'FailedMount', message: 'configmap "x" not found', first: ago(10) })],
    },
    state: 'progressing',
    reason: 'FailedMount',
  },
  {
    name: 'a pod being deleted is terminating',
    object: pod({ deleting: true }),
    state: 'progressing',
    reason: 'Terminating',
  },
  {
    name: 'no status at all',
    object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } },
    state: 'progressing',
    reason: 'PodPending',
  },
];

describe('Pod verdicts', () => runCases(cases));

describe('pod problems', () => {
  test('credentials in kubelet messages are removed', () => {
    const problems = podProblems(
      pod({
        containers: [
          {
            waiting: {
              reason: 'ErrImagePull',
              message:
                'failed to pull "https://bob:hunter2@registry.local/web:v2": token=abc123 unauthorized',
            },
          },
        ],
      }),
      { now: NOW },
    );
    assert.equal(
      problems[0]?.message,
      'container app0: ErrImagePull: failed to pull "https://***@registry.local/web:v2": token=*** unauthorized',
    );
  });

  test("a failed pull comes to the runtime error's cause; other messages stay as they are", () => {
    const message = (reason: string, text: string) =>
      podProblems(pod({ containers: [{ waiting: { reason, message: text } }] }), { now: NOW })[0]?.message;
    const notFound =
      'rpc error: code = NotFound desc = failed to pull and unpack image "registry.local/web:v2": failed to resolve reference "registry.local/web:v2": not found';
    assert.match(
      message('ErrImagePull', notFound) ?? '',
      /^container app0: ErrImagePull: image "[^"]+": not found$/,
    );
    // A v1.34 kubelet's back-off message carries the failed pull's error.
    assert.match(
      message(
        'ImagePullBackOff',
        `Back-off pulling image "registry.local/web:v2": ErrImagePull: ${notFound}`,
      ) ?? '',
      /^container app0: ImagePullBackOff: image "[^"]+": not found$/,
    );
    assert.match(
      message(
        'ErrImagePull',
        'rpc error: code = Unknown desc = failed to pull and unpack image "registry.local/web:v2": failed to resolve reference "registry.local/web:v2": unexpected status from HEAD request to https://registry.local/v2/web/manifests/v2: 401 Unauthorized',
      ) ?? '',
      /: image "[^"]+": 401 Unauthorized$/,
    );
    assert.match(
      message('ErrImagePull', 'rpc error: code = Unavailable desc = connection refused') ?? '',
      /: image "[^"]+": connection refused$/,
    );
    assert.equal(
      message('ImagePullBackOff', 'Back-off pulling image "registry.local/web:v2"'),
      'container app0: ImagePullBackOff: Back-off pulling image "registry.local/web:v2"',
    );
  });

  test('readiness window: initialDelaySeconds + periodSeconds × failureThreshold (+ startup probe)', () => {
    assert.equal(readinessWindowMs({}), undefined);
    assert.equal(readinessWindowMs({ readinessProbe: {} }), 30_000);
    assert.equal(
      readinessWindowMs({
        readinessProbe: { initialDelaySeconds: 5, periodSeconds: 2, failureThreshold: 5 },
      }),
      15_000,
    );
    assert.equal(
      readinessWindowMs({ readinessProbe: {}, startupProbe: { failureThreshold: 30, periodSeconds: 10 } }),
      330_000,
    );
  });

  test('Job pods: error exits are left to backoffLimit, image problems are not', () => {
    const erroring = pod({
      restartPolicy: 'Never',
      containers: [{ terminated: { exitCode: 1, reason: 'Error' } }],
    });
    assert.equal(podProblems(erroring, { now: NOW }, { countExitFailures: false }).length, 0);
    const pulling = pod({
      restartPolicy: 'Never',
      containers: [{ waiting: { reason: 'ImagePullBackOff' } }],
    });
    assert.equal(
      podProblems(pulling, { now: NOW }, { countExitFailures: false })[0]?.reason,
      'ImagePullBackOff',
    );
  });
});

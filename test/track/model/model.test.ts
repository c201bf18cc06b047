import assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { findBuiltinResource, type ResourceType } from '../../../src/kube/resources.js';
import type { KubeObject } from '../../../src/kube/types.js';
import type { ModelInput, ModelOptions } from '../../../src/track/model/model.js';
import { TrackModel } from '../../../src/track/model/model.js';
import { podStrategyFor } from '../../../src/track/strategies/index.js';
import {
  added,
  at,
  deleted,
  denied,
  deployment,
  describe,
  event,
  listed,
  modified,
  type PodState,
  pod,
  replicaSet,
  tick,
} from './objects.js';

/** One step of a scenario: at `seconds`, this input, and the actions it must give (in order). */
type Step = [seconds: number, input: ModelInput, actions: string[]];

function modelFor(kind: string, options: Partial<ModelOptions> = {}, name = 'web'): TrackModel {
  const type = findBuiltinResource(kind) as ResourceType;
  const ref = { kind: type.kind, namespace: type.namespaced ? 'default' : '', name };
  return new TrackModel(ref, podStrategyFor(type), {
    verdict: {},
    until: 'ready',
    failureEnds: true,
    logs: {},
    noActivityMs: 240_000,
    startedAt: at(0),
    ...options,
  });
}

/** Plays the steps; each must give exactly its actions. */
function play(model: TrackModel, steps: Step[]): void {
  for (const [index, [seconds, input, expected]] of steps.entries()) {
    const actions = model.step(input, at(seconds)).map(describe);
    assert.deepEqual(actions, expected, `step ${index + 1} (${input.type} at ${seconds}s)`);
  }
}

const waiting = (text: string) => `Waiting for deployment "web" rollout to finish: ${text}`;
const running: PodState = { phase: 'Running', ready: true };

suite('the tracker model: a Deployment', () => {
  test('created after the track began: added, its ReplicaSet, pods, Events and logs, then ready ends the track', () => {
    play(modelFor('Deployment'), [
      [
        0.5,
        added('resource', deployment()),
        [`added progressing: ${waiting('0 out of 2 new replicas have been updated...')}`],
      ],
      [1, added('revision', replicaSet('web-v1')), ['replicaset web-v1 new']],
      [1, added('pod', pod('web-v1-a')), ['pod added web-v1-a Pending']],
      [
        1,
        added('event', event('ReplicaSet/web-v1', 'SuccessfulCreate', { seconds: 1 })),
        ['event Normal SuccessfulCreate ReplicaSet/web-v1'],
      ],
      [
        2,
        modified('pod', pod('web-v1-a', running)),
        ['pod phase web-v1-a Running', 'pod ready web-v1-a Running', 'follow web-v1-a/app'],
      ],
      [2, modified('pod', pod('web-v1-a', running)), []],
      [
        3,
        modified('resource', deployment({ updated: 2, total: 2 })),
        [`status progressing: ${waiting('0 of 2 updated replicas are available...')}`],
      ],
      [
        4,
        modified('resource', deployment({ updated: 2, total: 2, ready: 2, available: 2 })),
        ['status ready: deployment "web" successfully rolled out', 'settle', 'ready', 'end'],
      ],
      [5, modified('resource', deployment({ updated: 1 })), []],
    ]);
  });

  test('what the other watches brought first comes after `added`: ReplicaSets, pods, their Events', () => {
    play(modelFor('Deployment'), [
      [0, added('event', event('Pod/web-v1-a', 'Scheduled', { seconds: 0 })), []],
      [0, added('pod', pod('web-v1-a', running)), []],
      [0, added('revision', replicaSet('web-v1')), []],
      [
        1,
        added('resource', deployment({ updated: 2, total: 2 })),
        [
          `added progressing: ${waiting('0 of 2 updated replicas are available...')}`,
          'replicaset web-v1 new',
          'pod added web-v1-a Running',
          'event Normal Scheduled Pod/web-v1-a',
          'follow web-v1-a/app',
        ],
      ],
    ]);
  });

  test('started late: the resource is judged only once its pods are listed, so an available Deployment whose pod crashes is not ready', () => {
    const lists = ['resource', 'revision', 'pod', 'event'] as const;
    const crashed = pod('web-v1-a', {
      phase: 'Running',
      ready: true,
      restarts: 6,
      last: { exitCode: 1, reason: 'Error', containerID: 'cri://crash-6' },
    });
    const available = deployment({ replicas: 1, updated: 1, total: 1, ready: 1, available: 1 });
    const createdMinutesAgo = {
      ...available,
      metadata: { ...available.metadata, creationTimestamp: at(-300).toISOString() },
    };
    play(modelFor('Deployment', { lists }), [
      // The Deployment's status says available: its pod is up, between two crashes.
      [0, added('resource', createdMinutesAgo), []],
      [0, listed('resource'), []],
      [0, added('revision', replicaSet('web-v1')), []],
      [0, listed('revision'), []],
      [0, listed('event'), []],
      [0, added('pod', crashed), []],
      [
        0,
        listed('pod'),
        [
          'added failed: container app restarted 6 times (last: terminated (exit code 1, Error)) (6 failures before tracking started, 1 allowed)',
          // Its pods are shown before what the verdict means: the report then names them.
          'replicaset web-v1 new',
          'pod added web-v1-a Running',
          'previous web-v1-a/app',
          'follow web-v1-a/app',
          'pod-error web-v1-a app Restarted ×6',
          'fail Restarted: container app restarted 6 times (last: terminated (exit code 1, Error)) (6 failures before tracking started, 1 allowed)',
          'end',
        ],
      ],
    ]);
  });

  test('ready at first sight: its pods are announced and their logs followed (without their history) before the track ends ready', () => {
    const lists = ['resource', 'revision', 'pod'] as const;
    const available = deployment({ replicas: 1, updated: 1, total: 1, ready: 1, available: 1 });
    play(modelFor('Deployment', { lists }), [
      [0, added('resource', available), []],
      [0, listed('resource'), []],
      [0, added('revision', replicaSet('web-v1')), []],
      [0, listed('revision'), []],
      [0, added('pod', pod('web-v1-a', { phase: 'Running', ready: true, started: -3600 })), []],
      [
        0,
        listed('pod'),
        [
          'added ready: deployment "web" successfully rolled out',
          'replicaset web-v1 new',
          'pod added web-v1-a Running',
          'follow web-v1-a/app (ran before the track)',
          'settle',
          'ready',
          'end',
        ],
      ],
    ]);
  });

  test('Events from before the track are history: not announced, not judged', () => {
    play(modelFor('Deployment'), [
      [
        0,
        added('resource', deployment()),
        [`added progressing: ${waiting('0 out of 2 new replicas have been updated...')}`],
      ],
      [0, added('revision', replicaSet('web-v1')), ['replicaset web-v1 new']],
      [0, added('pod', pod('web-v1-a')), ['pod added web-v1-a Pending']],
      [0, added('event', event('Pod/web-v1-a', 'FailedMount', { type: 'Warning', seconds: -60 })), []],
      [
        1,
        added('event', event('Pod/web-v1-a', 'Pulling', { seconds: 1 })),
        ['event Normal Pulling Pod/web-v1-a'],
      ],
      // The same Event again: announced only when its count grows.
      [2, modified('event', event('Pod/web-v1-a', 'Pulling', { seconds: 2 })), []],
      [
        3,
        modified('event', event('Pod/web-v1-a', 'Pulling', { seconds: 3, count: 2 })),
        ['event Normal Pulling Pod/web-v1-a'],
      ],
    ]);
  });

  test('a bad image: the pod error at once, the failure once it is over the allowance, with a report', () => {
    const model = modelFor('Deployment');
    play(model, [
      [
        0,
        added('resource', deployment({ replicas: 1 })),
        [`added progressing: ${waiting('0 out of 1 new replicas have been updated...')}`],
      ],
      [0, added('revision', replicaSet('web-v1')), ['replicaset web-v1 new']],
      [
        1,
        added(
          'pod',
          pod('web-v1-a', {
            waiting: {
              reason: 'ErrImagePull',
              message: 'rpc error: code = NotFound desc = failed to pull: not found',
            },
          }),
        ),
        [
          'pod added web-v1-a Pending',
          'pod-error web-v1-a app ErrImagePull ×1',
          `status progressing: ${waiting('0 out of 1 new replicas have been updated... (container app: ErrImagePull: image "web:v1": not found)')}`,
        ],
      ],
      [
        1,
        added(
          'event',
          event('Pod/web-v1-a', 'Failed', {
            type: 'Warning',
            seconds: 1,
            message: 'Failed to pull image "web:v1"',
          }),
        ),
        ['event Warning Failed Pod/web-v1-a'],
      ],
      [
        2,
        modified(
          'pod',
          pod('web-v1-a', {
            waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "web:v1"' },
          }),
        ),
        [
          'pod-error web-v1-a app ImagePullBackOff ×2',
          'status failed: container app: ImagePullBackOff: Back-off pulling image "web:v1" (2 failures, 1 allowed)',
          'fail ImagePullBackOff: container app: ImagePullBackOff: Back-off pulling image "web:v1" (2 failures, 1 allowed)',
          'end',
        ],
      ],
    ]);
  });

  test('the report names the Warning Events and the failing containers (a crashed one: its previous instance first)', () => {
    const model = modelFor('Deployment', { verdict: { failuresAllowedPerReplica: 0 } });
    for (const input of [
      added('resource', deployment({ replicas: 1 })),
      added('revision', replicaSet('web-v1')),
      added('event', event('Pod/web-v1-a', 'BackOff', { type: 'Warning', seconds: 1 })),
      added('event', event('Pod/other-x', 'BackOff', { type: 'Warning', seconds: 1 })),
    ])
      model.step(input, at(1));
    const crashed = pod('web-v1-a', {
      phase: 'Running',
      restarts: 1,
      last: { exitCode: 2, reason: 'Error' },
      ...{},
    });
    const actions = model.step(added('pod', crashed), at(2));
    const fail = actions.find((a) => a.type === 'fail');
    assert.ok(fail?.type === 'fail');
    assert.deepEqual(fail.failure.warnings, [
      { involvedObject: 'Pod/web-v1-a', reason: 'BackOff', message: 'BackOff', count: 1 },
    ]);
    assert.deepEqual(fail.failure.containers, [
      { pod: 'web-v1-a', container: 'app', sources: ['previous', 'current'] },
    ]);
    assert.equal(fail.failure.event.reason, 'Restarted');
    assert.equal(fail.failure.event.resource.name, 'web');
  });

  test('a new revision: its pods are current and followed from their start; the old ones from now, until they go', () => {
    const v2 = { image: 'web:v2', revision: 2, generation: 2 };
    play(modelFor('Deployment'), [
      [0, added('revision', replicaSet('web-v1')), []],
      [0, added('pod', pod('web-v1-a', running)), []],
      [
        0,
        added('resource', deployment({ ...v2, observed: 1, updated: 0, total: 1, ready: 1, available: 1 })),
        [
          'added progressing: Waiting for deployment spec update to be observed...',
          'replicaset web-v1',
          'pod added web-v1-a Running (old)',
          'follow web-v1-a/app from now',
        ],
      ],
      [
        1,
        added('revision', replicaSet('web-v2', { image: 'web:v2', revision: 2 })),
        ['replicaset web-v2 new'],
      ],
      [
        1,
        added('pod', pod('web-v2-a', { owner: 'ReplicaSet/web-v2', ...running })),
        ['pod added web-v2-a Running', 'follow web-v2-a/app'],
      ],
      [
        2,
        modified('resource', deployment({ ...v2, updated: 2, total: 3, ready: 3, available: 3 })),
        [`status progressing: ${waiting('1 old replicas are pending termination...')}`],
      ],
      [
        3,
        deleted('pod', pod('web-v1-a', running)),
        ['pod deleted web-v1-a Running (old)', 'unfollow web-v1-a'],
      ],
      [
        4,
        modified('resource', deployment({ ...v2, updated: 2, total: 2, ready: 2, available: 2 })),
        ['status ready: deployment "web" successfully rolled out', 'settle', 'ready', 'end'],
      ],
    ]);
  });

  test('pods whose names the API server truncated belong through their ReplicaSet', () => {
    const name = 'a-deployment-with-a-rather-long-name-for-the-truncation-tests';
    const model = modelFor('Deployment', {}, name);
    model.step(added('resource', deployment({ name })), at(0));
    model.step(added('revision', replicaSet(`${name}-7f9c`, { owner: `uid-${name}` })), at(0));
    const truncated = pod('a-deployment-with-a-rather-long-name-for-the-truncation-xk2p9', {
      owner: `ReplicaSet/${name}-7f9c`,
    });
    assert.deepEqual(model.step(added('pod', truncated), at(1)).map(describe), [
      'pod added a-deployment-with-a-rather-long-name-for-the-truncation-xk2p9 Pending',
    ]);
  });

  test('a container that crashed before the track began: its previous instance is read, once', () => {
    const crashing = (restarts: number) =>
      pod('web-v1-a', {
        waiting: { reason: 'CrashLoopBackOff' },
        restarts,
        last: { exitCode: 1, reason: 'Error', containerID: `cri://crash-${restarts}` },
        containerID: `cri://crash-${restarts}`,
      });
    play(modelFor('Deployment', { verdict: { failuresAllowedPerReplica: 10 } }), [
      [
        0,
        added('resource', deployment({ replicas: 1 })),
        [`added progressing: ${waiting('0 out of 1 new replicas have been updated...')}`],
      ],
      [0, added('revision', replicaSet('web-v1')), ['replicaset web-v1 new']],
      [
        1,
        added('pod', crashing(2)),
        [
          'pod added web-v1-a Pending',
          'previous web-v1-a/app',
          'pod-error web-v1-a app CrashLoopBackOff ×3',
          `status progressing: ${waiting('0 out of 1 new replicas have been updated... (container app keeps crashing (terminated (exit code 1, Error)), restarted 2 times)')}`,
        ],
      ],
      [2, modified('pod', crashing(2)), []],
    ]);
  });

  test('a FailedCreate Warning on its ReplicaSet counts like a failing pod', () => {
    play(modelFor('Deployment'), [
      [
        0,
        added('resource', deployment({ replicas: 1 })),
        [`added progressing: ${waiting('0 out of 1 new replicas have been updated...')}`],
      ],
      [0, added('revision', replicaSet('web-v1')), ['replicaset web-v1 new']],
      [
        1,
        added(
          'event',
          event('ReplicaSet/web-v1', 'FailedCreate', {
            type: 'Warning',
            seconds: 1,
            count: 3,
            message: 'pods "web-v1-" is forbidden: exceeded quota: pods',
          }),
        ),
        [
          'event Warning FailedCreate ReplicaSet/web-v1',
          'status failed: replicaset web-v1: pods "web-v1-" is forbidden: exceeded quota: pods (3 failures, 1 allowed)',
          'fail FailedCreate: replicaset web-v1: pods "web-v1-" is forbidden: exceeded quota: pods (3 failures, 1 allowed)',
          'end',
        ],
      ],
    ]);
  });
});

suite('the tracker model: the clock, deletion and modes', () => {
  const slow = () => [
    added('resource', deployment({ replicas: 1 })),
    added('revision', replicaSet('web-v1')),
    added('pod', pod('web-v1-a', { phase: 'Running' })),
  ];

  test('the timeout: failed with reason Timeout, saying what it still waited for', () => {
    const model = modelFor('Deployment', { deadline: { at: at(90).getTime(), timeoutMs: 90_000 } });
    for (const input of slow()) model.step(input, at(0));
    assert.equal(model.nextTick(at(89.9)), 100, 'the timer fires at the deadline, not a tick later');
    play(model, [
      [30, tick, []],
      [
        90,
        tick,
        [
          `fail Timeout: not ready after 1m30s: ${waiting('0 out of 1 new replicas have been updated...')}`,
          'end',
        ],
      ],
    ]);
  });

  test('the timeout of a resource that never came: it does not exist once its watch has listed', () => {
    play(modelFor('Deployment', { deadline: { at: at(5).getTime(), timeoutMs: 5000 } }), [
      [1, listed('resource'), []],
      [5, tick, ['fail Timeout: not ready after 5s: deployment/web does not exist', 'end']],
    ]);
  });

  test('the timeout before the API server answered the list: it is not said not to exist', () => {
    play(modelFor('Deployment', { deadline: { at: at(5).getTime(), timeoutMs: 5000 } }), [
      [
        5,
        tick,
        ['fail Timeout: not ready after 5s: no answer from the API server about deployment/web yet', 'end'],
      ],
    ]);
  });

  test('following, a ready resource just ends at the timeout', () => {
    const model = modelFor('Deployment', {
      until: 'never',
      deadline: { at: at(10).getTime(), timeoutMs: 10_000 },
    });
    model.step(
      added('resource', deployment({ replicas: 1, updated: 1, total: 1, ready: 1, available: 1 })),
      at(0),
    );
    play(model, [[10, tick, ['end']]]);
  });

  test('nothing at all for the no-activity timeout: failed, NoActivity', () => {
    const model = modelFor('Deployment', { noActivityMs: 60_000 });
    for (const input of slow()) model.step(input, at(0));
    play(model, [
      [30, { type: 'activity' }, []],
      [89, tick, []],
      [
        90,
        tick,
        [
          `fail NoActivity: nothing happened for 1m while waiting for: ${waiting('0 out of 1 new replicas have been updated...')}`,
          'end',
        ],
      ],
    ]);
  });

  test('deleted during a rollout: deleted, then failed (it will never be ready)', () => {
    const model = modelFor('Deployment');
    for (const input of slow()) model.step(input, at(0));
    play(model, [
      [
        1,
        deleted('resource', deployment()),
        [
          'deleted: deployment "web" was deleted',
          'fail Deleted: deployment/web was deleted before it became ready',
          'end',
        ],
      ],
    ]);
  });

  test('following: a deletion ends the track; failures end nothing', () => {
    const model = modelFor('Deployment', { until: 'never', verdict: { failuresAllowedPerReplica: 0 } });
    for (const input of slow()) model.step(input, at(0));
    const crashed = pod('web-v1-a', { phase: 'Running', terminated: { exitCode: 1, reason: 'Error' } });
    play(model, [
      [
        1,
        modified('pod', crashed),
        [
          'pod-error web-v1-a app Error ×1',
          'status failed: container app terminated (exit code 1, Error) (1 failures, 0 allowed)',
          'fail Error: container app terminated (exit code 1, Error) (1 failures, 0 allowed)',
        ],
      ],
      [2, deleted('resource', deployment()), ['deleted: deployment "web" was deleted', 'end']],
    ]);
  });

  test('a failure that does not end the track (hope-until-end) can still turn into ready', () => {
    const model = modelFor('Deployment', { failureEnds: false, verdict: { failuresAllowedPerReplica: 0 } });
    for (const input of slow()) model.step(input, at(0));
    const crashed = pod('web-v1-a', { phase: 'Running', terminated: { exitCode: 1 } });
    const actions = model.step(modified('pod', crashed), at(1)).map(describe);
    assert.ok(actions.some((a) => a.startsWith('fail ')) && !actions.includes('end'), actions.join('\n'));
    play(model, [
      [
        2,
        modified('pod', pod('web-v1-a', { ...running, restarts: 0 })),
        [
          'pod ready web-v1-a Running',
          `status progressing: ${waiting('0 out of 1 new replicas have been updated...')}`,
        ],
      ],
      [
        3,
        modified('resource', deployment({ replicas: 1, updated: 1, total: 1, ready: 1, available: 1 })),
        ['status ready: deployment "web" successfully rolled out', 'settle', 'ready', 'end'],
      ],
    ]);
  });

  test('an unschedulable pod fails once its grace has run out, judged again as time passes', () => {
    const model = modelFor('Deployment', { verdict: { unschedulableGraceMs: 30_000 } });
    model.step(added('resource', deployment({ replicas: 1 })), at(0));
    model.step(added('revision', replicaSet('web-v1')), at(0));
    model.step(added('pod', pod('web-v1-a', { unschedulableSince: 0 })), at(0));
    play(model, [
      [20, tick, []],
      [
        31,
        tick,
        [
          'status failed: pod web-v1-a cannot be scheduled: 0/3 nodes are available (for 31s)',
          'fail Unschedulable: pod web-v1-a cannot be scheduled: 0/3 nodes are available (for 31s)',
          'end',
        ],
      ],
    ]);
  });
});

suite('the tracker model: waiting for a deletion or a creation', () => {
  const deleting = (object: KubeObject, finalizers: string[]): KubeObject => ({
    ...object,
    metadata: { ...object.metadata, deletionTimestamp: at(-2).toISOString(), finalizers },
  });
  const lists = ['resource', 'revision', 'pod', 'event'] as const;

  test('until deleted: a resource not there once listed is gone already', () => {
    play(modelFor('Deployment', { until: 'deleted', lists }), [
      [0, listed('resource'), ['deleted: deployment "web" does not exist', 'end']],
    ]);
  });

  test('until deleted: it says why it is not gone (not being deleted, a finalizer), then ends when it is', () => {
    const model = modelFor('Deployment', { until: 'deleted', lists, logs: false });
    for (const input of lists.map(listed).slice(1)) model.step(input, at(0));
    play(model, [
      [0, added('resource', deployment()), []],
      [0, listed('resource'), ['added progressing: deployment "web" exists and is not being deleted']],
      [
        1,
        modified('resource', deleting(deployment(), ['example.com/cleanup'])),
        [
          'status progressing: deployment "web" is being deleted; waiting for its finalizer: example.com/cleanup',
        ],
      ],
      [2, deleted('resource', deployment()), ['deleted: deployment "web" was deleted', 'end']],
    ]);
  });

  test('until deleted, foreground deletion: what is left of its dependents, as they go', () => {
    const model = modelFor('Deployment', { until: 'deleted', lists, logs: false });
    const foreground = deleting(deployment(), ['foregroundDeletion']);
    const terminating = pod('web-v1-a', running);
    terminating.metadata.deletionTimestamp = at(30).toISOString();
    play(model, [
      [0, added('resource', foreground), []],
      [0, added('revision', replicaSet('web-v1')), []],
      [0, added('pod', terminating), []],
      ...lists.map((watch): Step => [0, listed(watch), []]).slice(0, 3),
      [
        0,
        listed('event'),
        [
          'added progressing: deployment "web": deleting its dependents first (foreground deletion): 1 ReplicaSet, 1 pod (1 terminating) left',
          'replicaset web-v1 new',
          'pod added web-v1-a Running',
        ],
      ],
      [
        1,
        deleted('pod', terminating),
        [
          'pod deleted web-v1-a Running',
          'unfollow web-v1-a',
          'status progressing: deployment "web": deleting its dependents first (foreground deletion): 1 ReplicaSet left',
        ],
      ],
    ]);
  });

  test('until deleted, at the timeout: not deleted, why, and what to do about it', () => {
    const model = modelFor('Deployment', {
      until: 'deleted',
      lists,
      deadline: { at: at(30).getTime(), timeoutMs: 30_000 },
    });
    for (const input of [
      added('resource', deleting(deployment(), ['example.com/cleanup'])),
      ...lists.map(listed),
    ])
      model.step(input, at(0));
    const [fail, end] = model.step(tick, at(30));
    assert.equal(end?.type, 'end');
    assert.ok(fail?.type === 'fail');
    assert.equal(
      fail.failure.event.message,
      'not deleted after 30s: deployment "web" is being deleted; waiting for its finalizer: example.com/cleanup',
    );
    assert.match(fail.failure.event.hint ?? '', /removed by the controller that added it/);
  });

  test('once (follow --no-follow): what there is now, its pods and logs read to their end, then the end', () => {
    const lists = ['resource', 'revision', 'pod'] as const;
    play(modelFor('Deployment', { until: 'once', lists }), [
      [0, added('resource', deployment({ updated: 2, total: 2 })), []],
      [0, added('revision', replicaSet('web-v1')), []],
      [0, added('pod', pod('web-v1-a', running)), []],
      [0, listed('resource'), []],
      [0, listed('revision'), []],
      [
        0,
        listed('pod'),
        [
          `added progressing: ${waiting('0 of 2 updated replicas are available...')}`,
          'replicaset web-v1 new',
          'pod added web-v1-a Running',
          'follow web-v1-a/app',
          'drain',
          'end',
        ],
      ],
    ]);
    play(modelFor('Deployment', { until: 'once', lists }), [[0, listed('resource'), ['end']]]);
  });

  test('until exists: nothing while it does not exist; it comes, and the track ends', () => {
    play(modelFor('Deployment', { until: 'exists', lists: ['resource'] }), [
      [0, listed('resource'), []],
      [
        3,
        added('resource', deployment()),
        [`added progressing: ${waiting('0 out of 2 new replicas have been updated...')}`, 'end'],
      ],
    ]);
  });

  test('until exists, at the timeout: not created', () => {
    const model = modelFor('Deployment', {
      until: 'exists',
      lists: ['resource'],
      deadline: { at: at(30).getTime(), timeoutMs: 30_000 },
    });
    model.step(listed('resource'), at(0));
    assert.deepEqual(model.step(tick, at(30)).map(describe), [
      'fail Timeout: not created after 30s: deployment/web does not exist',
      'end',
    ]);
  });
});

suite('the tracker model: other kinds', () => {
  const sts = (o: {
    updateRevision?: string;
    generation?: number;
    observed?: number;
    ready?: number;
    updated?: number;
  }) => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-web', generation: o.generation ?? 1 },
    spec: { replicas: 2, serviceName: 'web', template: {} },
    status: {
      observedGeneration: o.observed ?? o.generation ?? 1,
      readyReplicas: o.ready ?? 0,
      updatedReplicas: o.updated ?? 0,
      currentRevision: 'web-r1',
      updateRevision: o.updateRevision ?? 'web-r1',
    },
  });
  const stsPod = (name: string, revision: string, state: PodState = {}) =>
    pod(name, { owner: 'StatefulSet/web', labels: { 'controller-revision-hash': revision }, ...state });

  test('StatefulSet: pods of the update revision are current; none is until the new spec is observed', () => {
    play(modelFor('StatefulSet', { verdict: { failuresAllowedPerReplica: 0 } }), [
      [0, added('pod', stsPod('web-0', 'web-r1', { terminated: { exitCode: 1 } })), []],
      [
        0,
        added('resource', sts({ generation: 2, observed: 1 })),
        [
          'added progressing: Waiting for statefulset spec update to be observed...',
          'pod added web-0 Pending (old)',
          'follow web-0/app from now',
        ],
      ],
      [
        1,
        modified('resource', sts({ generation: 2, updateRevision: 'web-r2' })),
        ['status progressing: Waiting for 2 pods to be ready...'],
      ],
      [2, added('pod', stsPod('web-1', 'web-r2', running)), ['pod added web-1 Running', 'follow web-1/app']],
    ]);
  });

  test('DaemonSet: pods of its newest ControllerRevision are current; without one, every pod is', () => {
    const ds = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'web', namespace: 'default', uid: 'uid-web', generation: 2 },
      spec: { template: {} },
      status: {
        observedGeneration: 2,
        desiredNumberScheduled: 2,
        updatedNumberScheduled: 1,
        numberAvailable: 1,
        numberReady: 1,
      },
    };
    const revision = (hash: string, number: number) => ({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: `web-${hash}`,
        namespace: 'default',
        uid: `uid-web-${hash}`,
        labels: { 'controller-revision-hash': hash },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'web', uid: 'uid-web', controller: true },
        ],
      },
      revision: number,
    });
    const dsPod = (name: string, hash: string) =>
      pod(name, { owner: 'DaemonSet/web', labels: { 'controller-revision-hash': hash }, ...running });
    play(modelFor('DaemonSet'), [
      [
        0,
        added('resource', ds),
        [
          'added progressing: Waiting for daemon set "web" rollout to finish: 1 out of 2 new pods have been updated...',
        ],
      ],
      [0, added('pod', dsPod('web-old', 'h1')), ['pod added web-old Running', 'follow web-old/app']],
      [1, added('revision', revision('h1', 1)), []],
      [1, added('revision', revision('h2', 2)), []],
      [2, added('pod', dsPod('web-new', 'h2')), ['pod added web-new Running', 'follow web-new/app']],
    ]);
  });

  test('Job: failed pods are its backoffLimit’s business; its failure reports their last lines', () => {
    const job = (conditions: Record<string, unknown>[] = [], failed = 0) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'web', namespace: 'default', uid: 'uid-web' },
      spec: { backoffLimit: 1 },
      status: { startTime: '2026-12-01T10:00:00Z', active: 1, failed, conditions },
    });
    const attempt = (name: string) =>
      pod(name, {
        owner: 'Job/web',
        phase: 'Failed',
        restartPolicy: 'Never',
        terminated: { exitCode: 1, reason: 'Error' },
      });
    const model = modelFor('Job');
    play(model, [
      [
        0,
        added('resource', job()),
        ['added progressing: job "web" is running: 1 active, 0 succeeded, 0 failed'],
      ],
      [1, added('pod', attempt('web-a')), ['pod added web-a Failed', 'follow web-a/app']],
      [2, added('pod', attempt('web-b')), ['pod added web-b Failed', 'follow web-b/app']],
    ]);
    const actions = model.step(
      modified(
        'resource',
        job(
          [
            {
              type: 'Failed',
              status: 'True',
              reason: 'BackoffLimitExceeded',
              message: 'Job has reached the specified backoff limit',
            },
          ],
          2,
        ),
      ),
      at(3),
    );
    const fail = actions.find((a) => a.type === 'fail');
    assert.ok(fail?.type === 'fail');
    assert.equal(fail.failure.event.reason, 'BackoffLimitExceeded');
    assert.deepEqual(
      fail.failure.containers.map((c) => `${c.pod}/${c.container} ${c.sources.join(',')}`),
      ['web-a/app current', 'web-b/app current'],
    );
  });

  test("Job: failed before its pod's exit came (another watch): the report still reads its pod's lines", () => {
    const job = (conditions: Record<string, unknown>[] = []) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'web', namespace: 'default', uid: 'uid-web' },
      spec: { backoffLimit: 0 },
      status: { startTime: '2026-12-01T10:00:00Z', active: 1, conditions },
    });
    const model = modelFor('Job');
    play(model, [
      [
        0,
        added('resource', job()),
        ['added progressing: job "web" is running: 1 active, 0 succeeded, 0 failed'],
      ],
      [1, added('pod', pod('web-a', { owner: 'Job/web', phase: 'Pending' })), ['pod added web-a Pending']],
    ]);
    const failedJob = job([{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }]);
    const fail = model.step(modified('resource', failedJob), at(2)).find((a) => a.type === 'fail');
    assert.ok(fail?.type === 'fail');
    assert.deepEqual(
      fail.failure.containers.map((c) => `${c.pod}/${c.container} ${c.sources.join(',')}`),
      ['web-a/app current'],
    );
  });

  test('a bare Pod is its own pod: its phases, logs and errors', () => {
    play(modelFor('Pod', { verdict: { failuresAllowedPerReplica: 0 } }), [
      [
        0,
        added('resource', pod('web', { owner: 'ReplicaSet/none' })),
        ['added progressing: pod "web" is pending: ContainerCreating', 'pod added web Pending'],
      ],
      [
        1,
        modified(
          'resource',
          pod('web', {
            owner: 'ReplicaSet/none',
            phase: 'Running',
            terminated: { exitCode: 3, reason: 'Error' },
          }),
        ),
        [
          'pod phase web Running',
          'follow web/app',
          'pod-error web app Error ×1',
          'status failed: container app terminated (exit code 3, Error) (1 failures, 0 allowed)',
          'fail Error: container app terminated (exit code 3, Error) (1 failures, 0 allowed)',
          'end',
        ],
      ],
    ]);
  });

  test('a Service has no pods: its verdict and Events only', () => {
    const service = (ingress: unknown[] = []) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default', uid: 'uid-web' },
      spec: { type: 'LoadBalancer', clusterIP: '10.96.0.10', ports: [{ port: 80 }] },
      status: { loadBalancer: { ingress } },
    });
    play(modelFor('Service'), [
      [0, added('pod', pod('web-x')), []],
      [
        0,
        added('resource', service()),
        ['added progressing: service "web" is waiting for a load balancer address'],
      ],
      [
        1,
        added('event', event('Service/web', 'EnsuringLoadBalancer', { seconds: 1 })),
        ['event Normal EnsuringLoadBalancer Service/web'],
      ],
      [
        2,
        modified('resource', service([{ ip: '10.0.0.1' }])),
        ['status ready: service "web" is reachable at 10.0.0.1', 'settle', 'ready', 'end'],
      ],
    ]);
  });
});

suite('the tracker model: many pods', () => {
  test('10,000 pods: one failing pod among them fails the rollout', () => {
    const model = modelFor('Deployment', { logs: false });
    model.step(added('resource', deployment({ replicas: 10_000 })), at(0));
    model.step(added('revision', replicaSet('web-v1')), at(0));
    for (let i = 0; i < 10_000; i++) model.step(added('pod', pod(`web-v1-${i}`, running)), at(1));
    const bad = pod('web-v1-5000', { waiting: { reason: 'InvalidImageName' } });
    const actions = model.step(modified('pod', bad), at(2)).map(describe);
    assert.ok(
      actions.includes('fail InvalidImageName: container app: invalid image name "web:v1"'),
      actions.join('\n'),
    );
  });
});

suite('the tracker model: reads the API server refuses', () => {
  const progressingWith = (replicaSetName: string) => [
    {
      type: 'Progressing',
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${replicaSetName}" is progressing.`,
    },
  ];
  const lists = ['resource', 'revision', 'pod', 'event'] as const;
  const crashingPod = (name: string, owner: string) =>
    pod(name, {
      owner,
      phase: 'Running',
      restarts: 3,
      waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container' },
      last: { exitCode: 1, reason: 'Error', containerID: 'cri://crash-3' },
    });
  const crashed =
    'container app keeps crashing (terminated (exit code 1, Error)), restarted 3 times (4 failures, 1 allowed)';
  /** The message of the `ready` or `failed` the actions hold. */
  const endMessage = (actions: ReturnType<TrackModel['step']>) => {
    for (const action of actions) {
      if (action.type === 'fail') return action.failure.event.message;
      if (action.type === 'emit' && action.event.type === 'ready') return action.event.message;
    }
    return undefined;
  };

  test('ReplicaSets refused: pods belong through their controller references, the ReplicaSet the Progressing condition names is current', () => {
    const model = modelFor('Deployment', { lists });
    const rollingOut = deployment({
      replicas: 1,
      revision: 2,
      updated: 1,
      total: 2,
      conditions: progressingWith('web-v2'),
    });
    const crashing = crashingPod('web-v2-a', 'ReplicaSet/web-v2');
    play(model, [
      [0, added('resource', rollingOut), []],
      [0, listed('resource'), []],
      [0, denied('revision'), []],
      [0, listed('event'), []],
      // An old pod: its controller is the Deployment's old ReplicaSet; shown, not judged.
      [0, added('pod', pod('web-v1-a', { owner: 'ReplicaSet/web-v1', ...running })), []],
      // Another Deployment's pod that its selector also matches (web-canary-…): not the resource's.
      [0, added('pod', pod('web-canary-x1-a', { owner: 'ReplicaSet/web-canary-x1', ...running })), []],
      [0, added('pod', crashing), []],
    ]);
    const actions = model.step(listed('pod'), at(0));
    assert.deepEqual(actions.map(describe).slice(0, 4), [
      `added failed: ${crashed}`,
      'pod added web-v1-a Running (old)',
      'follow web-v1-a/app from now',
      'pod added web-v2-a Running',
    ]);
    assert.match(
      endMessage(actions) ?? '',
      /\(judged from its status and its pods by selector: its ReplicaSets may not be read\)$/,
    );
  });

  test('ReplicaSets refused and no ReplicaSet named yet: every pod of the Deployment is judged', () => {
    const model = modelFor('Deployment', { lists });
    play(model, [
      [0, added('resource', deployment({ updated: 2, total: 2, ready: 2, available: 2 })), []],
      [0, listed('resource'), []],
      [0, denied('revision'), []],
      [0, listed('event'), []],
      [0, added('pod', pod('web-v1-a', running)), []],
    ]);
    const actions = model.step(listed('pod'), at(1));
    assert.ok(actions.map(describe).includes('pod added web-v1-a Running'), actions.map(describe).join('\n'));
    assert.equal(
      endMessage(actions),
      'deployment "web" successfully rolled out (judged from its status and its pods by selector: its ReplicaSets may not be read)',
    );
  });

  test('pods refused: judged from its status alone, and the verdict says so', () => {
    const model = modelFor('Deployment', { lists });
    play(model, [
      [0, added('resource', deployment({ updated: 2, total: 2, ready: 2, available: 2 })), []],
      [0, listed('resource'), []],
      [0, listed('revision'), []],
      [0, listed('event'), []],
    ]);
    const actions = model.step(denied('pod'), at(1));
    assert.deepEqual(actions.map(describe), [
      'added ready: deployment "web" successfully rolled out',
      'settle',
      'ready',
      'end',
    ]);
    assert.equal(
      endMessage(actions),
      'deployment "web" successfully rolled out (judged from its status alone: its pods may not be read)',
    );
  });

  test('Events refused: the pods still fail the rollout from their statuses', () => {
    const model = modelFor('Deployment', { lists });
    play(model, [
      [0, added('resource', deployment({ replicas: 1, updated: 1, total: 1 })), []],
      [0, listed('resource'), []],
      [0, added('revision', replicaSet('web-v1')), []],
      [0, listed('revision'), []],
      [0, added('pod', crashingPod('web-v1-a', 'ReplicaSet/web-v1')), []],
      [0, listed('pod'), []],
    ]);
    const actions = model.step(denied('event'), at(1)).map(describe);
    assert.equal(actions[0], `added failed: ${crashed}`);
    assert.ok(actions.includes(`fail CrashLoopBackOff: ${crashed}`), actions.join('\n'));
  });
});

suite('the tracker model: a custom resource whose controller has not spoken yet', () => {
  const storefront = (created: number, status?: Record<string, unknown>): KubeObject => ({
    apiVersion: 'shop.example.com/v1',
    kind: 'Storefront',
    metadata: {
      name: 'main',
      namespace: 'default',
      uid: 'uid-main',
      creationTimestamp: at(created).toISOString(),
    },
    spec: {},
    ...(status ? { status } : {}),
  });
  const customModel = (options: Partial<ModelOptions> = {}) =>
    new TrackModel({ kind: 'Storefront', namespace: 'default', name: 'main' }, undefined, {
      verdict: {},
      until: 'ready',
      failureEnds: true,
      logs: false,
      noActivityMs: 240_000,
      startedAt: at(0),
      lists: ['resource'],
      ...options,
    });
  const failedStatus = {
    conditions: [{ type: 'Ready', status: 'False', reason: 'Failed', message: 'theme "dark" not found' }],
  };

  test('created during the track with no status: waiting for its controller, whose Failed a second later fails it', () => {
    play(customModel(), [
      [0.5, added('resource', storefront(0.2)), []],
      [
        0.5,
        listed('resource'),
        ['added progressing: storefront "main": waiting for its controller to report a status'],
      ],
      [
        1.5,
        modified('resource', storefront(0.2, failedStatus)),
        [
          'status failed: storefront "main": Ready is False: Failed: theme "dark" not found',
          'fail Failed: storefront "main": Ready is False: Failed: theme "dark" not found',
          'end',
        ],
      ],
    ]);
  });

  test('an old object of a kind not known to declare a status is ready at once (a kind without a controller does not wait)', () => {
    play(customModel(), [
      [0, added('resource', storefront(-3600)), []],
      [
        0,
        listed('resource'),
        ['added ready: storefront "main" exists (it reports no status)', 'settle', 'ready', 'end'],
      ],
    ]);
  });

  test("an old object whose kind's CRD declares a status subresource waits; the timeout says its controller never reported", () => {
    play(customModel({ kindDeclaresStatus: true, deadline: { at: at(60).getTime(), timeoutMs: 60_000 } }), [
      [0, added('resource', storefront(-3600)), []],
      [
        0,
        listed('resource'),
        ['added progressing: storefront "main": waiting for its controller to report a status'],
      ],
      [
        60,
        tick,
        [
          'fail Timeout: not ready after 1m: storefront "main": waiting for its controller to report a status',
          'end',
        ],
      ],
    ]);
    const model = customModel({
      kindDeclaresStatus: true,
      deadline: { at: at(60).getTime(), timeoutMs: 60_000 },
    });
    model.step(added('resource', storefront(-3600)), at(0));
    model.step(listed('resource'), at(0));
    const [fail] = model.step(tick, at(60));
    assert.equal(fail?.type, 'fail');
    assert.match(
      fail?.type === 'fail' ? (fail.failure.event.hint ?? '') : '',
      /its controller never reported a status: check that the operator of shop\.example\.com is running/,
    );
  });

  test('a new object of a kind whose CRD declares no status subresource is ready at once', () => {
    play(customModel({ kindDeclaresStatus: false }), [
      [0.5, added('resource', storefront(0.2)), []],
      [
        0.5,
        listed('resource'),
        ['added ready: storefront "main" exists (it reports no status)', 'settle', 'ready', 'end'],
      ],
    ]);
  });
});

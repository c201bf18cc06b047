import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyEvent } from '../../src/status/events.js';
import { ago, event, NOW } from './cases.js';

describe('event classification', () => {
  const table: [string, Parameters<typeof event>[0], string | undefined][] = [
    [
      'FailedCreate is counted against the allowance',
      { kind: 'ReplicaSet', name: 'web-1', reason: 'FailedCreate', message: 'exceeded quota: q' },
      'fatal-after-allowance',
    ],
    [
      'FailedScheduling has a grace window',
      { reason: 'FailedScheduling', message: '0/3 nodes are available' },
      'fatal-after-grace',
    ],
    [
      'FailedMount has a grace window',
      { reason: 'FailedMount', message: 'secret "x" not found' },
      'fatal-after-grace',
    ],
    [
      'FailedAttachVolume has a grace window',
      { reason: 'FailedAttachVolume', message: 'attach failed' },
      'fatal-after-grace',
    ],
    [
      'BackoffLimitExceeded is fatal now',
      {
        kind: 'Job',
        name: 'j',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      },
      'fatal-now',
    ],
    [
      'DeadlineExceeded is fatal now',
      {
        kind: 'Job',
        name: 'j',
        reason: 'DeadlineExceeded',
        message: 'Job was active longer than specified deadline',
      },
      'fatal-now',
    ],
    [
      'ProgressDeadlineExceeded is fatal now',
      { kind: 'Deployment', name: 'd', reason: 'ProgressDeadlineExceeded', message: 'x' },
      'fatal-now',
    ],
    [
      'BackOff is transient (the container state tells)',
      { reason: 'BackOff', message: 'Back-off restarting failed container' },
      'transient',
    ],
    ['NodeLost is transient', { kind: 'Node', name: 'n1', reason: 'NodeLost', message: 'lost' }, 'transient'],
    [
      'Unhealthy is transient here (judged by the pod rule)',
      { reason: 'Unhealthy', message: 'Readiness probe failed' },
      'transient',
    ],
    ['an unknown Warning is transient', { reason: 'SomethingOdd', message: 'odd' }, 'transient'],
    [
      'Normal events are not problems',
      { type: 'Normal', reason: 'Pulled', message: 'Successfully pulled image' },
      undefined,
    ],
  ];
  for (const [name, input, expected] of table) {
    test(name, () => {
      assert.equal(classifyEvent(event(input), { now: NOW })?.class, expected);
    });
  }

  test('events from before tracking started are not counted', () => {
    const old = event({ reason: 'FailedMount', message: 'x', last: ago(100) });
    assert.equal(classifyEvent(old, { now: NOW, trackingSince: new Date(Date.parse(ago(50))) }), undefined);
    assert.ok(classifyEvent(old, { now: NOW, trackingSince: new Date(Date.parse(ago(150))) }));
  });

  test('the container is read from involvedObject.fieldPath, the count from FailedCreate', () => {
    const problem = classifyEvent(
      event({ reason: 'FailedMount', message: 'x', fieldPath: 'spec.containers{app}' }),
      { now: NOW },
    );
    assert.equal(problem?.container, 'app');
    const create = classifyEvent(
      event({
        kind: 'ReplicaSet',
        name: 'rs',
        reason: 'FailedCreate',
        message: 'exceeded quota: compute-quota, requested',
        count: 7,
      }),
      { now: NOW },
    );
    assert.equal(create?.occurrences, 7);
    assert.match(create?.hint ?? '', /ResourceQuota "compute-quota"/);
  });
});

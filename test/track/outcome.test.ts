import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { TrackEvent } from '../../src/track/events.js';
import type { Until } from '../../src/track/model/model.js';
import { type FailMode, MultitrackOutcome, type OutcomeResource } from '../../src/track/outcome.js';

const resource = (
  name: string,
  failMode: FailMode = 'fail-whole-deploy',
  blocking = true,
): OutcomeResource => ({
  resource: { kind: 'Deployment', namespace: 'default', name },
  failMode,
  blocking,
});

const base = (name: string) => ({ time: '2026-12-01T10:00:00Z', resource: resource(name).resource });
const progressing = (name: string): TrackEvent => ({
  ...base(name),
  type: 'status',
  verdict: { state: 'progressing', reason: 'UpdatingReplicas', message: 'rolling out' },
});
const failing = (name: string, reason = 'ImagePullBackOff'): TrackEvent[] => [
  { ...base(name), type: 'status', verdict: { state: 'failed', reason, message: `${reason}!` } },
  {
    ...base(name),
    type: 'failed',
    reason,
    message: `${reason}!`,
    report: { warnings: [], logs: [], findings: [] },
  },
];
const ready = (name: string): TrackEvent[] => [
  { ...base(name), type: 'status', verdict: { state: 'ready', reason: 'Ready', message: 'rolled out' } },
  { ...base(name), type: 'ready', message: 'rolled out' },
];
const deleted = (name: string): TrackEvent => ({
  ...base(name),
  type: 'deleted',
  message: `deployment/${name} was deleted`,
});
const timedOut = (name: string): TrackEvent[] => [
  {
    ...base(name),
    type: 'failed',
    reason: 'Timeout',
    message: 'not ready after 5m',
    report: { warnings: [], logs: [], findings: [] },
  },
];

/** A step: resource `index` sends these events (then its tracker ends, with `end`). */
type Step = { index: number; events: TrackEvent[]; end?: boolean };

/** Plays steps; returns after which step (1-based) the track was over, and the summary. */
function play(resources: OutcomeResource[], steps: Step[], until: Until = 'ready') {
  const outcome = new MultitrackOutcome(resources, { until, startedAt: 0 });
  let overAfter: number | undefined;
  for (const [n, step] of steps.entries()) {
    for (const event of step.events) if (outcome.observe(step.index, event, n + 1)) overAfter ??= n + 1;
    if (step.end && outcome.ended(step.index, n + 1)) overAfter ??= n + 1;
  }
  const summary = outcome.summary(steps.length + 1);
  const names = (list: { resource: { name: string } }[]) => list.map((e) => e.resource.name);
  return {
    overAfter: overAfter ?? (outcome.over ? 0 : undefined),
    outcome: summary.outcome,
    ready: names(summary.ready),
    failed: summary.failed.map((f) => `${f.resource.name} ${f.reason}${f.ignored ? ' (ignored)' : ''}`),
    pending: names(summary.pending),
  };
}

const hope = resource('hope', 'hope-until-end');
const other = resource('other');

describe('multitrack outcome: fail modes', () => {
  test('fail-whole-deploy: the first failure ends the track; the others are pending', () => {
    assert.deepEqual(
      play(
        [resource('a'), resource('b')],
        [
          { index: 0, events: [progressing('a')] },
          { index: 1, events: failing('b') },
        ],
      ),
      { overAfter: 2, outcome: 'failed', ready: [], failed: ['b ImagePullBackOff'], pending: ['a'] },
    );
  });

  test('ignore: reported, not counted; the track waits for the others and is ready', () => {
    assert.deepEqual(
      play(
        [resource('a'), resource('b', 'ignore')],
        [
          { index: 1, events: failing('b'), end: true },
          { index: 0, events: ready('a'), end: true },
        ],
      ),
      { overAfter: 2, outcome: 'ready', ready: ['a'], failed: ['b ImagePullBackOff (ignored)'], pending: [] },
    );
  });

  test('non-blocking: not waited for, pending at the end — but its failure still counts', () => {
    const lazy = resource('lazy', 'fail-whole-deploy', false);
    assert.deepEqual(play([resource('a'), lazy], [{ index: 0, events: ready('a'), end: true }]), {
      overAfter: 1,
      outcome: 'ready',
      ready: ['a'],
      failed: [],
      pending: ['lazy'],
    });
    assert.equal(play([resource('a'), lazy], [{ index: 1, events: failing('lazy') }]).outcome, 'failed');
  });

  test('a timeout: every tracker says so, then the track is over with outcome timeout', () => {
    assert.deepEqual(
      play(
        [resource('a'), resource('b'), resource('c', 'ignore')],
        [
          { index: 0, events: ready('a'), end: true },
          { index: 1, events: timedOut('b'), end: true },
          { index: 2, events: timedOut('c'), end: true },
        ],
      ),
      {
        overAfter: 3,
        outcome: 'timeout',
        ready: ['a'],
        failed: ['b Timeout', 'c Timeout (ignored)'],
        pending: [],
      },
    );
  });

  test('nothing to track: over at once, ready', () => {
    assert.deepEqual(play([], []), { overAfter: 0, outcome: 'ready', ready: [], failed: [], pending: [] });
  });
});

describe('multitrack outcome: hope-until-end, against every end of the others', () => {
  const cases: { name: string; steps: Step[]; expect: ReturnType<typeof play> }[] = [
    {
      name: 'fails while another is pending, still failing when it is ready: counts then',
      steps: [
        { index: 0, events: failing('hope') },
        { index: 1, events: ready('other'), end: true },
      ],
      expect: {
        overAfter: 2,
        outcome: 'failed',
        ready: ['other'],
        failed: ['hope ImagePullBackOff'],
        pending: [],
      },
    },
    {
      name: 'fails, recovers, the other is ready: waited for like any, and ready',
      steps: [
        { index: 0, events: failing('hope') },
        { index: 0, events: [progressing('hope')] },
        { index: 1, events: ready('other'), end: true },
        { index: 0, events: ready('hope'), end: true },
      ],
      expect: { overAfter: 4, outcome: 'ready', ready: ['hope', 'other'], failed: [], pending: [] },
    },
    {
      name: 'fails, recovers, the other is ready, then it fails again: counts at once',
      steps: [
        { index: 0, events: failing('hope') },
        { index: 0, events: [progressing('hope')] },
        { index: 1, events: ready('other'), end: true },
        { index: 0, events: failing('hope', 'CrashLoopBackOff') },
      ],
      expect: {
        overAfter: 4,
        outcome: 'failed',
        ready: ['other'],
        failed: ['hope CrashLoopBackOff'],
        pending: [],
      },
    },
    {
      name: 'fails while the other is pending; the other fails: the track fails at once',
      steps: [
        { index: 0, events: failing('hope') },
        { index: 1, events: failing('other') },
      ],
      expect: {
        overAfter: 2,
        outcome: 'failed',
        ready: [],
        failed: ['hope ImagePullBackOff', 'other ImagePullBackOff'],
        pending: [],
      },
    },
    {
      name: 'fails while the other is pending; both time out',
      steps: [
        { index: 0, events: failing('hope') },
        { index: 0, events: timedOut('hope'), end: true },
        { index: 1, events: timedOut('other'), end: true },
      ],
      expect: {
        overAfter: 3,
        outcome: 'timeout',
        ready: [],
        failed: ['hope Timeout', 'other Timeout'],
        pending: [],
      },
    },
    {
      name: 'fails after the other is ready: counts at once',
      steps: [
        { index: 1, events: ready('other'), end: true },
        { index: 0, events: failing('hope') },
      ],
      expect: {
        overAfter: 2,
        outcome: 'failed',
        ready: ['other'],
        failed: ['hope ImagePullBackOff'],
        pending: [],
      },
    },
    {
      name: 'ready, the other ready: ready',
      steps: [
        { index: 0, events: ready('hope'), end: true },
        { index: 1, events: ready('other'), end: true },
      ],
      expect: { overAfter: 2, outcome: 'ready', ready: ['hope', 'other'], failed: [], pending: [] },
    },
    {
      name: 'ready, the other fails: failed',
      steps: [
        { index: 0, events: ready('hope'), end: true },
        { index: 1, events: failing('other') },
      ],
      expect: {
        overAfter: 2,
        outcome: 'failed',
        ready: ['hope'],
        failed: ['other ImagePullBackOff'],
        pending: [],
      },
    },
    {
      name: 'pending, the other fails: failed, it is pending',
      steps: [
        { index: 0, events: [progressing('hope')] },
        { index: 1, events: failing('other') },
      ],
      expect: {
        overAfter: 2,
        outcome: 'failed',
        ready: [],
        failed: ['other ImagePullBackOff'],
        pending: ['hope'],
      },
    },
    {
      name: 'pending, the other ready: waited for until ready',
      steps: [
        { index: 1, events: ready('other'), end: true },
        { index: 0, events: ready('hope'), end: true },
      ],
      expect: { overAfter: 2, outcome: 'ready', ready: ['hope', 'other'], failed: [], pending: [] },
    },
    {
      name: 'its tracker ended failing (no activity) while the other was pending: counts when the other is ready',
      steps: [
        { index: 0, events: failing('hope', 'NoActivity'), end: true },
        { index: 1, events: ready('other'), end: true },
      ],
      expect: { overAfter: 2, outcome: 'failed', ready: ['other'], failed: ['hope NoActivity'], pending: [] },
    },
  ];
  for (const { name, steps, expect } of cases)
    test(name, () => assert.deepEqual(play([hope, other], steps), expect));

  test('the other in fail mode ignore fails: nothing else is pending, so the hope counts', () => {
    const ignored = resource('other', 'ignore');
    assert.deepEqual(
      play(
        [hope, ignored],
        [
          { index: 0, events: failing('hope') },
          { index: 1, events: failing('other'), end: true },
        ],
      ),
      {
        overAfter: 2,
        outcome: 'failed',
        ready: [],
        failed: ['hope ImagePullBackOff', 'other ImagePullBackOff (ignored)'],
        pending: [],
      },
    );
  });

  test('two hopes do not wait for each other', () => {
    const second = resource('second', 'hope-until-end');
    assert.deepEqual(
      play(
        [hope, second, other],
        [
          { index: 0, events: failing('hope') },
          { index: 1, events: failing('second') },
          { index: 2, events: ready('other'), end: true },
        ],
      ),
      {
        overAfter: 3,
        outcome: 'failed',
        ready: ['other'],
        failed: ['hope ImagePullBackOff', 'second ImagePullBackOff'],
        pending: [],
      },
    );
  });

  test('property: whatever happens, once every tracker has ended the track is over (never hangs)', () => {
    const modes = fc.constantFrom<FailMode>('fail-whole-deploy', 'ignore', 'hope-until-end');
    const endings = fc.constantFrom('ready', 'failing', 'timeout', 'recover-then-ready', 'fail-then-timeout');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(modes, fc.boolean(), endings), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (specs, follow) => {
          const resources = specs.map(([mode, blocking], i) => resource(`r${i}`, mode, blocking));
          const outcome = new MultitrackOutcome(resources, {
            until: follow ? 'never' : 'ready',
            startedAt: 0,
          });
          specs.forEach(([, , ending], i) => {
            const name = `r${i}`;
            const events = {
              ready: ready(name),
              failing: failing(name),
              timeout: timedOut(name),
              'recover-then-ready': [...failing(name), progressing(name), ...ready(name)],
              'fail-then-timeout': [...failing(name), ...timedOut(name)],
            }[ending];
            for (const event of events) outcome.observe(i, event, 1);
          });
          for (const i of specs.keys()) outcome.ended(i, 2);
          assert.ok(outcome.over, 'over once every tracker ended');
          const summary = outcome.summary(3);
          assert.equal(summary.ready.length + summary.failed.length + summary.pending.length, specs.length);
        },
      ),
    );
  });
});

describe('multitrack outcome: following', () => {
  test('failures end nothing; the track is over when every tracker has ended (deleted)', () => {
    assert.deepEqual(
      play(
        [resource('a'), resource('b')],
        [
          { index: 0, events: failing('a') },
          { index: 1, events: ready('b') },
          { index: 0, events: [deleted('a')], end: true },
          { index: 1, events: [deleted('b')], end: true },
        ],
        'never',
      ),
      { overAfter: 4, outcome: 'deleted', ready: ['b'], failed: ['a ImagePullBackOff'], pending: [] },
    );
  });

  test('following, a resource is what its verdict says now', () => {
    assert.deepEqual(
      play(
        [resource('a')],
        [{ index: 0, events: [...failing('a'), progressing('a'), deleted('a')], end: true }],
        'never',
      ),
      { overAfter: 1, outcome: 'deleted', ready: [], failed: [], pending: ['a'] },
    );
  });

  test('following until the timeout, with nothing deleted and nothing late: ready, not "deleted"', () => {
    assert.deepEqual(
      play(
        [resource('a'), resource('b')],
        [
          { index: 0, events: ready('a'), end: true },
          { index: 1, events: [...ready('b'), deleted('b')], end: true },
        ],
        'never',
      ),
      { overAfter: 2, outcome: 'ready', ready: ['a', 'b'], failed: [], pending: [] },
    );
  });
});

describe('multitrack outcome: waiting for deletions and creations', () => {
  const added = (name: string): TrackEvent => ({
    ...base(name),
    type: 'added',
    ready: false,
    verdict: { state: 'progressing', reason: 'UpdatingReplicas', message: 'rolling out' },
  });

  test('until deleted: over once every resource is gone; their entries say Deleted', () => {
    const outcome = new MultitrackOutcome([resource('a'), resource('b')], { until: 'deleted', startedAt: 0 });
    assert.equal(outcome.observe(0, deleted('a'), 1), false);
    assert.equal(outcome.observe(1, deleted('b'), 2), true);
    const summary = outcome.summary(3);
    assert.equal(summary.outcome, 'deleted');
    assert.deepEqual(
      summary.ready.map((e) => [e.resource.name, e.reason, e.message, e.elapsedMs]),
      [
        ['a', 'Deleted', 'deployment/a was deleted', 1],
        ['b', 'Deleted', 'deployment/b was deleted', 2],
      ],
    );
  });

  test('until deleted: a resource still there at the timeout makes the outcome timeout', () => {
    assert.deepEqual(
      play(
        [resource('a'), resource('b')],
        [
          { index: 0, events: [deleted('a')], end: true },
          { index: 1, events: [progressing('b'), ...timedOut('b')], end: true },
        ],
        'deleted',
      ),
      { overAfter: 2, outcome: 'timeout', ready: ['a'], failed: ['b Timeout'], pending: [] },
    );
  });

  test('until exists: over once every resource was seen, whatever its readiness', () => {
    assert.deepEqual(
      play(
        [resource('a'), resource('b')],
        [
          { index: 0, events: [added('a')], end: true },
          { index: 1, events: [added('b')], end: true },
        ],
        'exists',
      ),
      { overAfter: 2, outcome: 'exists', ready: ['a', 'b'], failed: [], pending: [] },
    );
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProblemTally } from '../../src/status/tally.js';
import type { Problem } from '../../src/status/types.js';
import { NOW } from './cases.js';

const crashes = (occurrences: number): Problem => ({
  class: 'fatal-after-allowance',
  reason: 'CrashLoopBackOff',
  message: 'container app keeps crashing',
  pod: 'web-1',
  container: 'app',
  occurrences,
});

describe('the problem tally: failures before tracking started', () => {
  test('failures counted when tracking starts are said to come before it', () => {
    const tally = new ProblemTally();
    tally.set('pod/web-1', [crashes(6)]);
    tally.startTracking();
    assert.equal(
      tally.judge(1, NOW).failure?.message,
      'container app keeps crashing (6 failures before tracking started, 1 allowed)',
    );
  });

  test('failures since are told apart from those before', () => {
    const tally = new ProblemTally();
    tally.set('pod/web-1', [crashes(2)]);
    tally.startTracking();
    tally.set('pod/web-1', [crashes(5)]);
    assert.equal(
      tally.judge(1, NOW).failure?.message,
      'container app keeps crashing (5 failures, 2 before tracking started, 1 allowed)',
    );
  });

  test('a tally that never started tracking says only the count', () => {
    assert.equal(
      ProblemTally.of([crashes(3)]).judge(1, NOW).failure?.message,
      'container app keeps crashing (3 failures, 1 allowed)',
    );
  });

  test('within the allowance there is no failure, whenever the failures came', () => {
    const tally = new ProblemTally();
    tally.set('pod/web-1', [crashes(1)]);
    tally.startTracking();
    assert.equal(tally.judge(1, NOW).failure, undefined);
    assert.equal(tally.judge(1, NOW).worst?.reason, 'CrashLoopBackOff');
  });
});

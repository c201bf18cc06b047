/**
 * Waiting for a condition, as kubectl wait --for does — and better: the
 * kind's failure detection ends the wait early unless it is strict.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidInputError } from '../../src/kube/errors.js';
import type { KubeObject } from '../../src/kube/types.js';
import type { Verdict } from '../../src/status/types.js';
import { type ConditionCheck, conditionCheck } from '../../src/status/wait-condition.js';
import { ManualClock } from '../../src/testing/clock.js';
import { type TrackOptions, trackResource } from '../../src/track/resource.js';
import { rest } from '../helpers.js';
import { FakeSource } from './fake-source.js';
import { deployment, T0 } from './model/objects.js';

const available = (status: string, observed = 1) =>
  deployment({
    replicas: 1,
    updated: 1,
    total: 1,
    observed,
    conditions: [{ type: 'Available', status, reason: 'MinimumReplicasAvailable' }],
  });

const deadline = deployment({
  replicas: 1,
  updated: 1,
  total: 1,
  conditions: [
    { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'too slow' },
  ],
});

/** Whether one object meets every step of a check. */
const metBy = (check: ConditionCheck, object: KubeObject) =>
  check.steps.every((step) => step.check(object) === true);

/** Tracks the Deployment `web` on a manual clock, until the condition; the first event taken. */
async function waitFor(first: KubeObject, until: TrackOptions['until'], options: TrackOptions = {}) {
  const source = new FakeSource();
  source.apply('ADDED', first);
  const clock = new ManualClock(T0);
  const events = trackResource(
    source,
    { kind: 'Deployment', name: 'web' },
    { clock, logs: false, until, ...options },
  );
  assert.equal((await events.next()).value?.type, 'added');
  return { source, clock, events };
}

describe('conditions, as kubectl wait takes them', () => {
  test('condition=NAME[=STATUS]: compared without regard to case; True by default; only once the generation is observed', () => {
    const check = conditionCheck({ condition: 'available' });
    assert.equal(check.said, 'condition available=True');
    assert.equal(metBy(check, available('True')), true);
    assert.equal(metBy(check, available('true')), true);
    assert.equal(metBy(check, available('False')), false);
    assert.equal(
      metBy(conditionCheck({ condition: 'Available', status: 'false' }), available('False')),
      true,
    );
    const stale = { ...available('True', 1), metadata: { ...available('True').metadata, generation: 2 } };
    assert.equal(metBy(check, stale), false, 'the status speaks of an older generation');
    assert.equal(metBy(check, deployment()), false, 'no such condition');
  });

  test('jsonPath=EXPR[=VALUE]: one value, compared as kubectl prints it; without a value, any value', () => {
    const ready = conditionCheck({ jsonPath: '{.status.readyReplicas}', value: '2' });
    assert.equal(metBy(ready, deployment({ ready: 2 })), true);
    assert.equal(metBy(ready, deployment({ ready: 1 })), false);
    assert.equal(metBy(conditionCheck({ jsonPath: '.status.conditions' }), available('True')), true);
    assert.equal(metBy(conditionCheck({ jsonPath: '.status.nope' }), available('True')), false);
    assert.equal(
      metBy(conditionCheck({ jsonPath: '{.status.conditions[*].type}' }), deadline),
      true,
      'one condition: one value',
    );
  });

  test('a JSONPath selecting several values fails the wait, as kubectl stops; nothing is not yet', () => {
    const [step] = conditionCheck({ jsonPath: '{.status.conditions[*].type}' }).steps;
    const two = available('True');
    (two.status as { conditions: unknown[] }).conditions.push({ type: 'Progressing', status: 'True' });
    const answer = step?.check(two);
    assert.ok(typeof answer === 'object' && answer.state === 'failed', JSON.stringify(answer));
    assert.equal(answer.reason, 'AmbiguousJsonPath');
    assert.match(
      answer.message,
      /^\{\.status\.conditions\[\*\]\.type\} selects 2 values; a wait compares one/,
    );
    assert.equal(conditionCheck({ jsonPath: '{.status.conditions[5].type}' }).steps[0]?.check(two), false);
  });

  test('a wrong condition is an InvalidInputError naming what is allowed; a bad JSONPath names its character', () => {
    assert.throws(() => conditionCheck({ jsonPath: '{.a[' }), /invalid JSONPath "\{\.a\[": unclosed "\{"/);
    assert.throws(
      () => conditionCheck({} as never),
      (error: unknown) => {
        assert.ok(error instanceof InvalidInputError);
        assert.match(
          error.message,
          /^options\.until: expected 'ready', .* \{ condition, status\? \}, \{ jsonPath, value\? \}/,
        );
        return true;
      },
    );
    assert.throws(() => conditionCheck({ condition: 'Ready', status: 3 } as never), InvalidInputError);
    assert.throws(() => conditionCheck([]), /options\.until: an empty list of conditions/);
    assert.throws(() => conditionCheck([{ condition: 'Ready' }, 'ready'] as never), /not "ready"/);
  });

  test('a predicate answers true or a verdict; anything else is not met; it is said by its name', () => {
    const scaling = { state: 'progressing' as const, reason: 'Scaling', message: 'one more replica' };
    const bothReady = (object: KubeObject) => object.metadata.name === 'done' || scaling;
    const check = conditionCheck(bothReady);
    assert.equal(check.said, 'predicate bothReady');
    assert.equal(conditionCheck({ test: () => true }).said, 'the predicate');
    assert.equal(check.steps[0]?.check(deployment()), scaling);
    assert.equal(conditionCheck(() => 'yes' as never).steps[0]?.check(deployment()), false);
    assert.equal(conditionCheck(() => ({ state: 'ready' }) as never).steps[0]?.check(deployment()), false);
  });

  test('several conditions: said joined by "and"; strict if any is', () => {
    const check = conditionCheck([
      { condition: 'Available' },
      { jsonPath: '{.status.readyReplicas}', strict: true },
    ]);
    assert.equal(check.said, 'condition Available=True and {.status.readyReplicas} set');
    assert.equal(check.strict, true);
    assert.equal(check.steps.length, 2);
  });
});

describe('a track until a condition', () => {
  test('ends ready once the object meets it, saying which condition', async () => {
    const { source, events } = await waitFor(available('False'), { condition: 'Available' });
    source.apply('MODIFIED', available('True'));
    const last = (await rest(events)).at(-1);
    assert.ok(last?.type === 'ready', JSON.stringify(last));
    assert.equal(last.message, 'deployment "web": condition Available=True');
  });

  test('a predicate of the object, and a JSONPath value', async () => {
    const byPredicate = await waitFor(
      deployment({ ready: 0 }),
      (object) => (object.status as { readyReplicas?: number }).readyReplicas === 1,
    );
    byPredicate.source.apply('MODIFIED', deployment({ ready: 1 }));
    assert.equal((await rest(byPredicate.events)).at(-1)?.type, 'ready');
    const byPath = await waitFor(deployment({ ready: 0 }), {
      jsonPath: '{.status.readyReplicas}',
      value: '1',
    });
    byPath.source.apply('MODIFIED', deployment({ ready: 1 }));
    const last = (await rest(byPath.events)).at(-1);
    assert.ok(
      last?.type === 'ready' && last.message.endsWith('{.status.readyReplicas}=1'),
      JSON.stringify(last),
    );
  });

  test('a failure ends the wait early, with its reason — unless it is strict: then only the condition or the timeout', async () => {
    const early = await waitFor(deployment({ replicas: 1 }), { condition: 'Available' });
    early.source.apply('MODIFIED', deadline);
    const failed = (await rest(early.events)).at(-1);
    assert.ok(
      failed?.type === 'failed' && failed.reason === 'ProgressDeadlineExceeded',
      JSON.stringify(failed),
    );

    const strict = await waitFor(
      deployment({ replicas: 1 }),
      { condition: 'Available', strict: true },
      { timeout: 60_000 },
    );
    strict.source.apply('MODIFIED', deadline);
    await strict.clock.advance('59s');
    await strict.clock.advance('1s');
    const timedOut = (await rest(strict.events)).at(-1);
    assert.ok(timedOut?.type === 'failed' && timedOut.reason === 'Timeout', JSON.stringify(timedOut));
    assert.match(timedOut.message, /^condition Available=True not met after 1m: /);
  });

  test('a ready resource that does not meet the condition is not done: the timeout says which condition', async () => {
    const ready = deployment({ replicas: 1, updated: 1, total: 1, ready: 1, available: 1 });
    const { clock, events } = await waitFor(
      ready,
      { jsonPath: '{.metadata.labels.tier}', value: 'web' },
      { timeout: 5_000 },
    );
    await clock.advance('5s');
    const last = (await rest(events)).at(-1);
    assert.ok(last?.type === 'failed' && last.reason === 'Timeout', JSON.stringify(last));
    assert.match(last.message, /^\{\.metadata\.labels\.tier\}=web not met after 5s: /);
  });

  test("several conditions are met in their order, as kubectl's several --for: each once the one before it was", async () => {
    // Ready=False, then Ready=True: never both at once, met one after the other.
    const { source, events } = await waitFor(available('True'), [
      { condition: 'Available', status: 'False' },
      { condition: 'Available' },
    ]);
    source.apply('MODIFIED', available('False'));
    source.apply('MODIFIED', available('True'));
    const last = (await rest(events)).at(-1);
    assert.ok(last?.type === 'ready', JSON.stringify(last));
    assert.equal(last.message, 'deployment "web": condition Available=False and condition Available=True');
  });

  test('the timeout names the conditions still unmet', async () => {
    const { source, clock, events } = await waitFor(
      available('False'),
      [{ condition: 'Available', status: 'False' }, { jsonPath: '{.metadata.labels.tier}' }],
      { timeout: 5_000 },
    );
    source.apply('MODIFIED', available('True'));
    await clock.advance('5s');
    const last = (await rest(events)).at(-1);
    assert.ok(last?.type === 'failed', JSON.stringify(last));
    assert.match(last.message, /^\{\.metadata\.labels\.tier\} set not met after 5s: /);
  });

  test("a predicate's verdict is what the wait shows; its own failure ends even a strict wait", async () => {
    const answers: (boolean | Verdict)[] = [
      { state: 'progressing', reason: 'Warming', message: 'cache 10% warm' },
      { state: 'failed', reason: 'ColdCache', message: 'the cache will not warm', hint: 'look at redis' },
    ];
    const test = () => answers.shift() ?? false;
    const { source, events } = await waitFor(deployment({ replicas: 1 }), { test, strict: true });
    source.apply('MODIFIED', available('True'));
    const seen = await rest(events);
    const status = seen.find((e) => e.type === 'status');
    assert.ok(status?.type === 'status' && status.verdict.reason === 'ColdCache', JSON.stringify(seen));
    const failed = seen.at(-1);
    assert.ok(failed?.type === 'failed' && failed.reason === 'ColdCache', JSON.stringify(failed));
    assert.equal(failed.hint, 'look at redis');
  });

  test('a predicate that throws fails the track with what it threw, never the process', async () => {
    const { events } = await waitFor(deployment({ replicas: 1 }), () => {
      throw new TypeError("Cannot read properties of undefined (reading 'ready')");
    });
    const failed = (await rest(events)).at(-1);
    assert.ok(failed?.type === 'failed' && failed.reason === 'PredicateThrew', JSON.stringify(failed));
    assert.match(failed.message, /the predicate threw: Cannot read properties of undefined/);
  });

  test('a bad condition fails the first next() with an InvalidInputError, before anything is asked', async () => {
    const events = trackResource(
      new FakeSource(),
      { kind: 'Deployment', name: 'web' },
      { until: { jsonPath: '{.a[?(@.b=~"c")]}' } },
    );
    await assert.rejects(events.next(), /invalid JSONPath .*unknown filter operator "="/);
  });
});

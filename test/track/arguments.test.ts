import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { specFromManifest, specFromObject } from '../../src/inputs/specs.js';
import { InvalidInputError, isKubedogError } from '../../src/kube/errors.js';
import { isRecord } from '../../src/kube/types.js';
import { ManualClock } from '../../src/testing/clock.js';
import { multitrack } from '../../src/track/multitrack.js';
import { trackDeployment, trackResource } from '../../src/track/resource.js';
import { FakeSource } from './fake-source.js';

/**
 * Iterates for at most `ms` of real time (then returns it), moving the
 * track's clock 10 ms at every pause of 5 ms: what it threw, if anything.
 */
async function drain(iterator: AsyncGenerator<unknown>, ms: number, clock: ManualClock): Promise<unknown> {
  const deadline = performance.now() + ms;
  try {
    let next = iterator.next();
    while (performance.now() < deadline) {
      const step = await Promise.race([next, new Promise((r) => setTimeout(r, 5, 'late'))]);
      if (step !== 'late' && (step as IteratorResult<unknown>).done) return undefined;
      if (step === 'late') await clock.advance(10);
      else next = iterator.next();
    }
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await iterator.return(undefined).catch(() => undefined);
  }
}

/** The first `next()` of a generator: it must reject with an InvalidInputError whose message matches. */
async function rejectsAtFirstNext(iterator: AsyncGenerator<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(iterator.next(), (error: unknown) => {
    assert.ok(error instanceof InvalidInputError, `not an InvalidInputError: ${String(error)}`);
    assert.equal(error.code, 'KUBEDOG_INVALID_INPUT');
    assert.match(error.message, message);
    return true;
  });
}

describe('the library at its boundary: wrong arguments are InvalidInputErrors naming them', () => {
  const source = new FakeSource();

  test('a tracker: the error comes from the first next(), never from a timer later', async () => {
    const cases: [Parameters<typeof trackDeployment>[1], Parameters<typeof trackDeployment>[2], RegExp][] = [
      [
        { name: 'x' },
        { until: 'redy' as never, timeout: 1000 },
        /^options\.until: "redy" is not one of ready, never, deleted, exists, once$/,
      ],
      [{} as never, {}, /^target\.name: undefined is not a Kubernetes name/],
      [{ name: 'a/b' }, {}, /^target\.name: "a\/b" is not a Kubernetes name/],
      [{ name: 'web', namespace: 'Shop' }, {}, /^target\.namespace: "Shop" is not a namespace name/],
      [
        { name: 'web' },
        { timeout: '5m' as never },
        /^options\.timeout: "5m" is not a number of milliseconds \(write 5 \* 60_000 for five minutes\)$/,
      ],
      [
        { name: 'web' },
        { timeout: -1 },
        /^options\.timeout: -1 is not a finite number of milliseconds, 0 or more$/,
      ],
      [
        { name: 'web' },
        { timeout: Number.POSITIVE_INFINITY },
        /^options\.timeout: Infinity is not a finite number/,
      ],
      [{ name: 'web' }, { signal: 'stop' as never }, /^options\.signal: "stop" is not an AbortSignal$/],
      [
        { name: 'web' },
        { watchScope: 'cluster' as never },
        /^options\.watchScope: "cluster" is not one of auto, resource, namespace$/,
      ],
      [
        { name: 'web' },
        { failuresAllowedPerReplica: 1.5 },
        /^options\.failuresAllowedPerReplica: 1\.5 is not a whole number/,
      ],
      [
        { name: 'web' },
        { logs: 'yes' as never },
        /^options\.logs: "yes" is not true, false, or log options$/,
      ],
      [
        { name: 'web' },
        { logs: { include: 'err' as never } },
        /^options\.logs\.include: "err" is not a regular expression$/,
      ],
    ];
    for (const [target, options, message] of cases)
      await rejectsAtFirstNext(trackDeployment(source, target, options), message);
    await rejectsAtFirstNext(
      trackResource(source, { kind: '', name: 'web' }),
      /^target\.kind: "" is not a kind/,
    );
    await rejectsAtFirstNext(
      trackResource({} as never, { kind: 'deploy', name: 'web' }),
      /^source: an object is not a KubeClient/,
    );
  });

  test('multitrack: the specs and their modes', async () => {
    await rejectsAtFirstNext(multitrack(source, 'web' as never), /^specs: "web" is not a list of specs/);
    await rejectsAtFirstNext(
      multitrack(source, [{ kind: 'deploy', name: 'web', failMode: 'never' as never }]),
      /^specs\[0\]\.failMode: "never" is not one of fail-whole-deploy, ignore, hope-until-end$/,
    );
    await rejectsAtFirstNext(
      multitrack(source, [{ kind: 'deploy' } as never]),
      /^specs\[0\]\.name: undefined/,
    );
  });

  test('specs from objects: an object without kind or name is named, not a TypeError', () => {
    for (const [object, message] of [
      [{}, /^object\.kind: undefined is not a kind/],
      [{ kind: 'Deployment', metadata: {} }, /^object\.name: undefined is not a Kubernetes name/],
      [null, /^object\.kind: undefined/],
    ] as const) {
      assert.throws(
        () => specFromObject(object as never),
        (error: unknown) => error instanceof InvalidInputError && message.test(error.message),
      );
      assert.throws(() => specFromManifest(object as never), InvalidInputError);
    }
  });

  test('fuzzed arguments: only KubedogErrors, never a TypeError, an unhandled rejection or an uncaught exception', async () => {
    const escaped: unknown[] = [];
    const clocks: ManualClock[] = [];
    const onEscape = (error: unknown) => escaped.push(error);
    process.on('unhandledRejection', onEscape);
    process.on('uncaughtException', onEscape);
    try {
      // Options mostly near-valid (short timeouts that fire within the run), sometimes anything at all.
      const options = fc.oneof(
        fc.anything(),
        fc.record(
          {
            until: fc.oneof(fc.constantFrom('ready', 'never', 'deleted', 'exists', 'once'), fc.anything()),
            timeout: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.anything()),
            logs: fc.oneof(fc.boolean(), fc.anything()),
            watchScope: fc.oneof(fc.constantFrom('auto', 'resource', 'namespace'), fc.anything()),
          },
          { requiredKeys: [] },
        ),
      );
      const target = fc.oneof(
        fc.anything(),
        fc.record({ name: fc.oneof(fc.constant('web'), fc.anything()) }),
      );
      await fc.assert(
        fc.asyncProperty(target, options, async (target, options) => {
          // A track given options of its own lives on a clock of its own, moved as it runs.
          const clock = new ManualClock();
          clocks.push(clock);
          const timed = isRecord(options) ? { ...options, clock } : options;
          for (const track of [
            () => trackResource(source, { kind: 'deploy', ...(target as object) } as never, timed as never),
            () => multitrack(source, [{ kind: 'deploy', ...(target as object) }] as never, timed as never),
          ]) {
            const thrown = await drain(track(), 60, clock);
            if (thrown !== undefined)
              assert.ok(
                isKubedogError(thrown),
                `not a KubedogError: ${(thrown as Error)?.stack ?? String(thrown)}`,
              );
          }
        }),
        { numRuns: 200 },
      );
      // Every timer a track left behind is due now: one that would throw, throws here.
      for (const clock of clocks) await clock.advance('1h');
    } finally {
      process.off('unhandledRejection', onEscape);
      process.off('uncaughtException', onEscape);
    }
    assert.deepEqual(escaped.map(String), []);
  });
});

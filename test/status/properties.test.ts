import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { KubeObject } from '../../src/kube/types.js';
import { computeVerdict, RULES } from '../../src/status/index.js';
import { deployment, NOW } from './cases.js';

const kinds = [...Object.keys(RULES), 'example.com/Widget', '/ConfigMap'];

describe('verdict properties', () => {
  test('every rule returns a verdict for any object shape, without throwing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.anything(),
        fc.anything(),
        fc.anything(),
        fc.option(fc.array(fc.anything(), { maxLength: 3 })),
        (kind, status, spec, metadata, pods) => {
          const [group, name] = kind.split('/');
          const object = {
            apiVersion: group ? `${group}/v1` : 'v1',
            kind: name,
            metadata,
            spec,
            status,
          } as unknown as KubeObject;
          const verdict = computeVerdict(object, {
            now: NOW,
            pods: (pods ?? []) as KubeObject[],
            events: (pods ?? []) as KubeObject[],
          });
          assert.ok(['progressing', 'ready', 'failed'].includes(verdict.state));
          assert.equal(typeof verdict.message, 'string');
          assert.equal(typeof verdict.reason, 'string');
        },
      ),
      { numRuns: 2000 },
    );
  });

  // Updated replicas that are not available yet (a surge) are progressing, as in
  // kubectl; so "grew" here means ready and available grow at least as much as updated.
  test('a ready Deployment stays ready when its counts only grow', () => {
    fc.assert(
      fc.property(
        fc.nat(20),
        fc.nat(5),
        fc.nat(5),
        fc.nat(5),
        (desired, extraReady, extraAvailable, extraUpdated) => {
          const before = deployment({
            replicas: desired,
            status: { replicas: desired, updated: desired, ready: desired, available: desired },
          });
          assert.equal(computeVerdict(before, { now: NOW }).state, 'ready');
          const grown = deployment({
            replicas: desired,
            status: {
              replicas: desired + extraUpdated,
              updated: desired + extraUpdated,
              ready: desired + extraUpdated + extraReady,
              available: desired + extraUpdated + extraAvailable,
            },
          });
          assert.equal(computeVerdict(grown, { now: NOW }).state, 'ready');
        },
      ),
    );
  });

  test('a ready StatefulSet and DaemonSet stay ready when their counts only grow', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.nat(5), (desired, extra) => {
        const sts = (n: number) =>
          ({
            apiVersion: 'apps/v1',
            kind: 'StatefulSet',
            metadata: { name: 's', generation: 1 },
            spec: { replicas: desired },
            status: {
              observedGeneration: 1,
              readyReplicas: n,
              updatedReplicas: n,
              currentRevision: 'r',
              updateRevision: 'r',
            },
          }) as KubeObject;
        const ds = (n: number) =>
          ({
            apiVersion: 'apps/v1',
            kind: 'DaemonSet',
            metadata: { name: 'd', generation: 1 },
            status: {
              observedGeneration: 1,
              desiredNumberScheduled: desired,
              updatedNumberScheduled: n,
              numberAvailable: n,
              numberReady: n,
            },
          }) as KubeObject;
        for (const make of [sts, ds]) {
          assert.equal(computeVerdict(make(desired), { now: NOW }).state, 'ready');
          assert.equal(computeVerdict(make(desired + extra), { now: NOW }).state, 'ready');
        }
      }),
    );
  });

  test('a kind without a rule: whenever its status shows a failure, the verdict is not ready', () => {
    const anyCondition = fc.record({
      type: fc.constantFrom('Ready', 'Available', 'Succeeded', 'Complete', 'Progressing', 'Synced'),
      status: fc.constantFrom('True', 'False', 'Unknown'),
      reason: fc.constantFrom('AsExpected', 'NewReplicaSetAvailable', 'Failed'),
    });
    const failureSignal = fc.oneof(
      fc.record({ phase: fc.constantFrom('Failed', 'failed', 'Error', 'Degraded', 'Lost') }),
      fc.record({ state: fc.constantFrom('Failed', 'ERROR', 'degraded') }),
      fc
        .constantFrom('status', 'currentStatus', 'health', 'currentPhase')
        .chain((field) =>
          fc.record({ [field]: fc.constantFrom('Aborted', 'rejected', 'CrashLoopBackOff', 'Terminated') }),
        ),
      fc.record({
        conditions: fc.tuple(
          fc.record({
            type: fc.constantFrom('Ready', 'Available', 'Synced', 'Healthy'),
            status: fc.constant('False'),
            reason: fc.constantFrom('ReconcileError', 'InstallFailed', 'InvalidSpec', 'Denied'),
          }),
        ),
      }),
      fc.record({
        conditions: fc.tuple(
          fc.record({ type: fc.constantFrom('Failed', 'Degraded', 'Error'), status: fc.constant('True') }),
        ),
      }),
      fc.constant({
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
      }),
      fc.constant({ conditions: [{ type: 'Succeeded', status: 'False', reason: 'Failed' }] }),
      fc.constant({ conditions: [{ type: 'Stalled', status: 'True', reason: 'InstallFailed' }] }),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(anyCondition, { maxLength: 4, selector: (c) => c.type }),
        failureSignal,
        fc.boolean(),
        (generated, signal, first) => {
          // One condition of a type, as the API keeps them.
          const failing = (signal as { conditions?: { type: string }[] }).conditions ?? [];
          const others = generated.filter((c) => !failing.some((f) => f.type === c.type));
          const conditions = first ? [...failing, ...others] : [...others, ...failing];
          const status = { ...signal, conditions };
          const object = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, status };
          return computeVerdict(object as KubeObject, { now: NOW }).state !== 'ready';
        },
      ),
      { numRuns: 1000 },
    );
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { releaseRecord } from '../../../src/helm-record/codec.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { HelmGate } from '../../../src/track/model/helm-gate.js';

const SINCE = Date.parse('2026-12-01T10:00:00Z');
const RECORD = 'sh.helm.release.v1.shop.v2';

const record = (status: string, hooks: Record<string, unknown>[] = []) =>
  releaseRecord('secret', { name: 'shop', namespace: 'shop', version: 2, info: { status }, hooks });
const migrateHook = (phase: string, events = ['pre-upgrade']) => ({
  name: 'migrate',
  kind: 'Job',
  events,
  last_run: { started_at: '2026-12-01T10:00:01Z', phase },
});
const deployment = (
  generation: number,
  created = '2026-11-30T08:00:00Z',
  managedAt?: string,
): KubeObject => ({
  kind: 'Deployment',
  metadata: {
    name: 'web',
    generation,
    creationTimestamp: created,
    ...(managedAt ? { managedFields: [{ manager: 'helm', operation: 'Update', time: managedAt }] } : {}),
  },
});
const job = (created: string): KubeObject => ({
  kind: 'Job',
  metadata: { name: 'migrate', creationTimestamp: created },
});
const resourceGate = () =>
  new HelmGate({ record: RECORD, since: SINCE }, { kind: 'Deployment', name: 'web' });
const hookGate = () =>
  new HelmGate(
    { record: RECORD, since: SINCE, hook: { deletedOnSuccess: true } },
    { kind: 'Job', name: 'migrate' },
  );

describe('a resource of a Helm revision is judged once Helm has applied the revision', () => {
  test('while Helm runs the pre-* hooks, the resource is the previous revision’s', () => {
    const gate = resourceGate();
    const web = deployment(3);
    gate.admit({ type: 'ADDED', object: web }, false);
    gate.observeRecord({ type: 'ADDED', object: record('pending-upgrade', [migrateHook('Running')]) });
    assert.equal(gate.applied(web), false);
    // A change in the same second as the record's creation may be the previous revision's.
    assert.equal(gate.applied(deployment(3, '2026-11-30T08:00:00Z', '2026-12-01T10:00:00Z')), false);
  });

  test('Helm changed its spec while tracked (generation grew): applied, and it stays so', () => {
    const gate = resourceGate();
    gate.admit({ type: 'ADDED', object: deployment(3) }, false);
    gate.observeRecord({ type: 'ADDED', object: record('pending-upgrade') });
    assert.equal(gate.applied(deployment(4)), true);
    assert.equal(gate.applied(deployment(3)), true);
  });

  test('created during the track, or stamped a second after the record: applied', () => {
    const created = resourceGate();
    created.admit({ type: 'ADDED', object: deployment(1) }, true);
    assert.equal(created.applied(deployment(1)), true);
    const stamped = resourceGate();
    const web = deployment(7, '2026-11-30T08:00:00Z', '2026-12-01T10:00:01Z');
    stamped.admit({ type: 'ADDED', object: web }, false);
    assert.equal(stamped.applied(web), true);
  });

  test('the record says so: no longer pending, or a post-* hook ran', () => {
    const web = deployment(3);
    for (const [status, hooks, applied] of [
      ['pending-upgrade', [migrateHook('Succeeded')], false],
      ['pending-upgrade', [migrateHook('Running', ['post-upgrade'])], true],
      ['deployed', [], true],
      ['failed', [], true],
    ] as const) {
      const gate = resourceGate();
      gate.admit({ type: 'ADDED', object: web }, false);
      gate.observeRecord({ type: 'ADDED', object: record(status, [...hooks]) });
      assert.equal(gate.applied(web), applied, `${status} ${JSON.stringify(hooks)}`);
    }
    // Another revision's record says nothing of this one.
    const gate = resourceGate();
    gate.admit({ type: 'ADDED', object: web }, false);
    gate.observeRecord({
      type: 'ADDED',
      object: { ...record('deployed'), metadata: { name: 'sh.helm.release.v1.shop.v1' } },
    });
    assert.equal(gate.applied(web), false);
  });
});

describe('a hook’s object from an earlier run is not this run’s', () => {
  test('created before the revision began: parked until the record says Helm started the hook', () => {
    const gate = hookGate();
    const earlier = job('2026-12-01T09:00:00Z');
    assert.equal(gate.admit({ type: 'ADDED', object: earlier }, false), false);
    assert.equal(gate.observeRecord({ type: 'MODIFIED', object: record('pending-upgrade') }), undefined);
    // Helm deletes the earlier run's object, records the start, then creates this run's.
    assert.equal(gate.admit({ type: 'DELETED', object: earlier }, true), false);
    assert.equal(
      gate.observeRecord({ type: 'MODIFIED', object: record('pending-upgrade', [migrateHook('Running')]) }),
      undefined,
    );
    assert.equal(gate.admit({ type: 'ADDED', object: job('2026-12-01T10:00:01Z') }, true), true);
  });

  test('in the record’s second, the object waits for the record, which may come after it', () => {
    const gate = hookGate();
    const current = job('2026-12-01T10:00:00Z');
    assert.equal(gate.admit({ type: 'ADDED', object: current }, true), false);
    assert.equal(
      gate.observeRecord({ type: 'MODIFIED', object: record('pending-upgrade', [migrateHook('Running')]) }),
      current,
    );
    assert.equal(gate.admit({ type: 'MODIFIED', object: current }, true), true);
  });

  test('a resource that is not a hook is always admitted', () => {
    assert.equal(resourceGate().admit({ type: 'ADDED', object: deployment(1) }, false), true);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { releaseRecord } from '../../src/helm-record/codec.js';
import { computeVerdict, deletionVerdict } from '../../src/status/index.js';

const record = (status: string, description = '', storage: 'secret' | 'configmap' = 'secret') =>
  releaseRecord(storage, { name: 'shop', namespace: 'shop', version: 4, info: { status, description } });
const now = new Date('2026-12-01T10:00:00Z');
const verdict = (status: string, description = '', storage: 'secret' | 'configmap' = 'secret') => {
  const { state, reason, message, hint } = computeVerdict(record(status, description, storage), { now });
  return { state, reason, message, ...(hint ? { hint } : {}) };
};

describe('the verdict on a Helm release record is Helm’s status of the revision', () => {
  test('deployed and superseded are ready; pending statuses progress', () => {
    assert.deepEqual(verdict('deployed', 'Upgrade complete'), {
      state: 'ready',
      reason: 'HelmDeployed',
      message: 'Helm release "shop" revision 4 deployed: Upgrade complete',
    });
    assert.equal(verdict('superseded').state, 'ready');
    assert.match(verdict('superseded').message, /was deployed, then superseded by a newer revision$/);
    assert.deepEqual(verdict('pending-upgrade', 'Preparing upgrade', 'configmap'), {
      state: 'progressing',
      reason: 'HelmPending',
      message: 'Helm is upgrading release "shop" revision 4 (pending-upgrade)',
    });
    assert.match(verdict('pending-install').message, /^Helm is installing/);
    assert.match(verdict('pending-rollback').message, /^Helm is rolling back/);
    assert.deepEqual(verdict('unknown').state, 'progressing');
  });

  test('failed fails with Helm’s description and how to look further; uninstalled fails', () => {
    assert.deepEqual(verdict('failed', 'Upgrade "shop" failed: context deadline exceeded'), {
      state: 'failed',
      reason: 'HelmReleaseFailed',
      message: 'Helm release "shop" revision 4 failed: Upgrade "shop" failed: context deadline exceeded',
      hint: 'helm status shop -n shop; helm history shop -n shop',
    });
    assert.equal(verdict('uninstalled').state, 'failed');
  });

  test('a record that does not decode fails, naming it; other Secrets and ConfigMaps just exist', () => {
    const broken = { ...record('deployed'), data: { release: 'bm90IGpzb24=' } };
    const judged = computeVerdict(broken, { now });
    assert.equal(judged.state, 'failed');
    assert.match(judged.message, /^Secret sh\.helm\.release\.v1\.shop\.v4 is not a Helm release: /);
    const plain = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { release: 'eA==' } };
    assert.equal(computeVerdict(plain, { now }).reason, 'Exists');
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { owner: 'team' } },
      data: { release: 'x' },
    };
    assert.equal(computeVerdict(configMap, { now }).reason, 'Exists');
  });

  test('waiting for its deletion, a record says the release goes with helm uninstall', () => {
    assert.equal(
      deletionVerdict(record('deployed'), now).hint,
      'delete it (helm uninstall shop -n shop), or wait for what deletes it',
    );
  });
});

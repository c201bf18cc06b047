import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { type HelmHook, scheduledHooks } from '../../src/helm/hooks.js';
import { readHelmRelease, releaseFromRecord } from '../../src/helm/release.js';
import { decodeRecord, decodeRelease, encodeRelease, releaseRecord } from '../../src/helm-record/codec.js';
import { startFakeCluster } from '../../src/testing/cluster.js';

const MANIFEST = `---
# Source: shop/templates/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: registry.local/web:v1}]}
`;

const MIGRATE = `# Source: shop/templates/migrate.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations: {helm.sh/hook: pre-upgrade}
spec:
  template: {spec: {restartPolicy: Never, containers: [{name: migrate, image: registry.local/web:v2}]}}
`;

/** A release JSON as Helm 3 writes it (pkg/release). */
const release = (version: number, status: string, extra: Record<string, unknown> = {}) => ({
  name: 'shop',
  namespace: 'shop',
  version,
  info: { status, description: status === 'deployed' ? 'Upgrade complete' : 'Preparing upgrade' },
  manifest: MANIFEST,
  ...extra,
});

const hook = (name: string, events: string[], extra: Partial<HelmHook> = {}): HelmHook => ({
  name,
  kind: 'Job',
  path: `shop/templates/${name}.yaml`,
  events,
  weight: 0,
  deletePolicies: [],
  object: undefined,
  ...extra,
});

describe('Helm release records', () => {
  test('decode what Helm writes, gzipped or not, in a Secret or a ConfigMap', () => {
    const json = release(3, 'deployed');
    assert.deepEqual(decodeRelease(encodeRelease(json)), json);
    // What `helm` actually stores starts with H4sI (gzip's magic, base64-encoded).
    assert.ok(encodeRelease(json).startsWith('H4sI'));
    // Helm before compression: base64 of the JSON.
    assert.deepEqual(decodeRelease(Buffer.from(JSON.stringify(json)).toString('base64')), json);
    // A Secret's data is base64 once more; a ConfigMap's is Helm's string as is.
    const secret = releaseRecord('secret', json);
    const configMap = releaseRecord('configmap', json);
    assert.equal((secret as { type?: string }).type, 'helm.sh/release.v1');
    assert.deepEqual(secret.metadata.labels, {
      name: 'shop',
      owner: 'helm',
      status: 'deployed',
      version: '3',
    });
    assert.equal(secret.metadata.name, 'sh.helm.release.v1.shop.v3');
    assert.deepEqual(decodeRecord(secret), json);
    assert.equal((configMap as { data?: { release?: string } }).data?.release, encodeRelease(json));
    assert.deepEqual(decodeRecord(configMap), json);
    assert.deepEqual(
      decodeRecord({ ...configMap, data: { release: gzipSync('{"name":"x"}').toString('base64') } }),
      { name: 'x' },
    );
  });

  test('a record that does not hold a release is an error naming it', () => {
    const broken = releaseRecord('secret', release(2, 'deployed'));
    (broken as { data?: { release?: string } }).data = {
      release: Buffer.from('not json').toString('base64'),
    };
    assert.throws(
      () => releaseFromRecord(broken),
      /^InvalidInputError: Secret shop\/sh\.helm\.release\.v1\.shop\.v2 is not a Helm release: /,
    );
    const empty = { ...broken, data: {} };
    assert.throws(() => releaseFromRecord(empty), /is not a Helm release: it has no release data$/);
    const array = releaseRecord('configmap', release(2, 'deployed'));
    (array as { data?: { release?: string } }).data = { release: Buffer.from('[1]').toString('base64') };
    assert.throws(() => releaseFromRecord(array), /its release data is not a JSON object$/);
    const hooks = releaseRecord(
      'secret',
      release(2, 'deployed', { hooks: [{ name: 'x', manifest: 'a: [' }] }),
    );
    assert.throws(() => releaseFromRecord(hooks), /hook 1 \(no path\)/);
  });

  test('a revision: objects in the release namespace, its hooks with their last run, the operation that made it', () => {
    const recorded = releaseFromRecord(
      releaseRecord(
        'secret',
        release(4, 'pending-upgrade', {
          hooks: [
            {
              name: 'migrate',
              kind: 'Job',
              path: 'shop/templates/migrate.yaml',
              manifest: MIGRATE,
              events: ['pre-upgrade'],
              last_run: {
                started_at: '2026-12-01T10:00:00Z',
                completed_at: '0001-01-01T00:00:00Z',
                phase: 'Running',
              },
              weight: -5,
              delete_policies: ['hook-succeeded'],
            },
            {
              name: 'smoke',
              kind: 'Pod',
              manifest: 'apiVersion: v1\nkind: Pod\nmetadata: {name: smoke}\n',
              events: ['test'],
              last_run: {
                started_at: '0001-01-01T00:00:00Z',
                completed_at: '0001-01-01T00:00:00Z',
                phase: '',
              },
            },
          ],
        }),
      ),
    );
    assert.equal(recorded.operation, 'upgrade');
    assert.deepEqual(
      recorded.objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`),
      ['Deployment/shop/web'],
    );
    const [migrate, smoke] = recorded.hooks;
    assert.deepEqual(
      { ...migrate, object: migrate?.object?.metadata },
      {
        name: 'migrate',
        kind: 'Job',
        path: 'shop/templates/migrate.yaml',
        events: ['pre-upgrade'],
        weight: -5,
        deletePolicies: ['hook-succeeded'],
        object: { name: 'migrate', namespace: 'shop', annotations: { 'helm.sh/hook': 'pre-upgrade' } },
        lastRun: { phase: 'Running', startedAt: '2026-12-01T10:00:00Z' },
      },
    );
    // Go's zero time and an empty phase: never run.
    assert.equal(smoke?.lastRun, undefined);
    assert.equal(smoke?.weight, 0);
  });

  test('the operation of a finished revision is read from Helm’s description', () => {
    const operation = (version: number, status: string, description: string) =>
      releaseFromRecord(
        releaseRecord('secret', { ...release(version, status), info: { status, description } }),
      ).operation;
    assert.equal(operation(1, 'deployed', 'Install complete'), 'install');
    assert.equal(operation(3, 'deployed', 'Upgrade complete'), 'upgrade');
    assert.equal(operation(5, 'superseded', 'Rollback to 2'), 'rollback');
    assert.equal(operation(2, 'failed', 'Upgrade "shop" failed: pre-upgrade hooks failed'), 'upgrade');
    assert.equal(operation(1, 'failed', 'Release "shop" failed: timed out'), 'install');
    assert.equal(operation(1, 'pending-install', 'Initial install underway'), 'install');
    assert.equal(operation(6, 'pending-rollback', ''), 'rollback');
    assert.equal(operation(7, 'deployed', ''), 'upgrade');
  });

  test('reads the newest revision, or the one asked for, from Secrets or ConfigMaps', async () => {
    await using cluster = await startFakeCluster({ namespaces: ['default', 'shop'] });
    for (const [version, status] of [
      [1, 'superseded'],
      [2, 'deployed'],
      [10, 'pending-upgrade'],
    ] as const) {
      await cluster.client.create('Secret', releaseRecord('secret', release(version, status)));
      await cluster.client.create('ConfigMap', releaseRecord('configmap', release(version, status)));
    }
    // Revision 10 is newer than 2: numbers, not strings, are compared.
    const newest = await readHelmRelease(cluster.client, 'shop', { namespace: 'shop' });
    assert.deepEqual([newest.version, newest.status, newest.record.kind], [10, 'pending-upgrade', 'Secret']);
    assert.ok(newest.record.createdAt);
    const second = await readHelmRelease(cluster.client, 'shop', {
      namespace: 'shop',
      revision: 2,
      storage: 'configmap',
    });
    assert.deepEqual(
      [second.version, second.status, second.record.name],
      [2, 'deployed', 'sh.helm.release.v1.shop.v2'],
    );
    await assert.rejects(
      readHelmRelease(cluster.client, 'shop', { namespace: 'shop', revision: 4 }),
      /^InvalidInputError: Helm release "shop" in namespace "shop" has no revision 4 \(it has 1, 2, 10\)$/,
    );
    await assert.rejects(
      readHelmRelease(cluster.client, 'shop'),
      /^InvalidInputError: no Helm release "shop" in namespace "default" \(no Secret sh\.helm\.release\.v1\.shop\.vN\)$/,
    );
  });
});

describe('Helm’s order of hooks', () => {
  test('by phase, then weight, then name, then kind in Helm’s install order; only the operation’s phases', () => {
    const hooks = [
      hook('smoke', ['post-upgrade']),
      hook('migrate', ['pre-upgrade'], { weight: 5 }),
      hook('backup', ['pre-upgrade'], { weight: -1 }),
      hook('seed', ['pre-install', 'pre-upgrade'], { weight: 5 }),
      hook('seed', ['pre-upgrade'], { weight: 5, kind: 'Pod' }),
      hook('first-run', ['post-install']),
      hook('check', ['test']),
    ];
    const order = (tests: boolean) =>
      scheduledHooks(hooks, 'upgrade', { tests }).map(
        ({ hook, phase }) => `${phase} ${hook.kind}/${hook.name}`,
      );
    assert.deepEqual(order(false), [
      'pre-upgrade Job/backup',
      'pre-upgrade Job/migrate',
      // Same weight and name: a Pod is installed before a Job.
      'pre-upgrade Pod/seed',
      'pre-upgrade Job/seed',
      'post-upgrade Job/smoke',
    ]);
    assert.deepEqual(order(true).at(-1), 'test Job/check');
    assert.deepEqual(
      scheduledHooks(hooks, 'install').map(({ hook, phase }) => `${phase} ${hook.name}`),
      ['pre-install seed', 'post-install first-run'],
    );
    assert.deepEqual(scheduledHooks(hooks, 'rollback'), []);
  });
});

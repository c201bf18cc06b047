import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FakeHelm } from '../../src/testing/helm.js';
import { startFakeCluster } from '../../src/testing/index.js';
import { deployment, runCli } from './helpers.js';

const migrate = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'migrate', annotations: { 'helm.sh/hook': 'pre-upgrade', 'helm.sh/hook-weight': '-5' } },
  spec: {
    backoffLimit: 0,
    template: {
      spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'registry.local/web:v2' }] },
    },
  },
};

describe('kubedog rollout track --helm-release, alongside helm upgrade', () => {
  test('--helm-revision next: waits for the upgrade, shows the hook’s logs, the release’s status, exit 0', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('migrate-*', 'migrate', { logs: ['applying 3 migrations'], exitAfter: 200 });
    const helm = new FakeHelm(cluster.client);
    await helm.upgrade('shop', { objects: [deployment('web', { replicas: 1 })] });
    let upgrade: Promise<unknown> | undefined;
    const run = await runCli(
      [
        'rollout',
        'track',
        '--helm-release',
        'shop',
        '--helm-revision',
        'next',
        '--kubeconfig',
        cluster.kubeconfigPath,
      ],
      {
        onStderr: (stderr) => {
          if (upgrade || !stderr.includes('waiting for Helm to write revision 2')) return;
          // A new container: a new pod template, rolled out once Helm applies it.
          const web = deployment('web', { replicas: 1, containers: ['app', 'metrics'] });
          upgrade = helm.upgrade('shop', { objects: [web], hooks: [migrate] });
        },
      },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await upgrade, { version: 2, status: 'deployed', description: 'Upgrade complete' });
    assert.match(run.stderr, /^helm\/shop:v2 ! waiting for Helm to write revision 2 of release "shop"$/m);
    assert.match(
      run.stderr,
      /^helm\/shop:v2 ! Helm release "shop" revision 2 \(upgrade, pending-upgrade\); hooks: pre-upgrade job\/migrate$/m,
    );
    assert.match(run.stderr, /^deploy\/web • waiting for Helm to apply the new revision/m);
    assert.match(run.stdout, /^migrate-\w+ migrate │ applying 3 migrations$/m);
    assert.match(run.stderr, /^✓ 3 of 3 resources ready after /m);
  });

  test('a failing migration: exit 1, its last lines in the report', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('migrate-*', 'migrate', {
      exitAfter: 50,
      exitCode: 3,
      exitLogs: ['error: relation "users" already exists'],
    });
    const helm = new FakeHelm(cluster.client);
    await helm.upgrade('shop', { objects: [deployment('web', { replicas: 1 })] });
    assert.equal(
      (await helm.upgrade('shop', { objects: [deployment('web', { replicas: 1 })], hooks: [migrate] }))
        .status,
      'failed',
    );
    const run = await runCli([
      'rollout',
      'track',
      '--helm-release',
      'shop',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^✗ job\/migrate: job "migrate" failed: BackoffLimitExceeded/m);
    assert.match(run.stderr, /^✗ 2 of 3 resources failed after .*: helm\/shop:v2, job\/migrate$/m);
    assert.match(run.stderr, /│ error: relation "users" already exists$/m);
  });

  test('-o json: every event of a hook names its phase (ConfigMap storage, from HELM_DRIVER)', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('migrate-*', 'migrate', { exitAfter: 50 });
    const helm = new FakeHelm(cluster.client, { storage: 'configmap' });
    await helm.upgrade('shop', { objects: [deployment('web', { replicas: 1 })] });
    await helm.upgrade('shop', { objects: [deployment('web', { replicas: 1 })], hooks: [migrate] });
    const run = await runCli(
      ['rollout', 'track', '--helm-release', 'shop', '-o', 'json', '--kubeconfig', cluster.kubeconfigPath],
      {
        env: { HELM_DRIVER: 'configmaps' },
      },
    );
    assert.equal(run.code, 0, run.stderr);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const hookEvents = events.filter((e) => e.resource?.name === 'migrate');
    assert.ok(hookEvents.length > 0);
    assert.ok(
      hookEvents.every((e) => e.resource.helmHook === 'pre-upgrade'),
      JSON.stringify(hookEvents[0]),
    );
    assert.equal(events.at(-1).summary.outcome, 'ready');
  });

  test('a release spanning namespaces: once a second namespace shows, names carry theirs', async () => {
    await using cluster = await startFakeCluster({ namespaces: ['default', 'jobs'] });
    const api = deployment('api', { replicas: 1 });
    api.metadata.namespace = 'jobs';
    await new FakeHelm(cluster.client).upgrade('shop', {
      objects: [deployment('web', { replicas: 1 }), api],
    });
    const run = await runCli([
      'rollout',
      'track',
      '--helm-release',
      'shop',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^jobs\/deploy\/api /m);
    assert.match(run.stderr, /^✓ 3 of 3 resources ready after /m);
  });
});

describe('kubedog rollout track --helm-release without access to the release', () => {
  test('its records (Secrets) refused: exit 3, one line naming the rule to add — the records are the release', async () => {
    await using cluster = await startFakeCluster();
    const helm = new FakeHelm(cluster.client);
    await helm.upgrade('shop', { objects: [deployment('web', { replicas: 1 })] });
    cluster.forbid({ resource: 'secrets' });
    const run = await runCli([
      'rollout',
      'track',
      '--helm-release',
      'shop',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(run.code, 3, run.stderr);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(
      run.stderr,
      /; to allow it, add the rule \{apiGroups: \[""\], resources: \["secrets"\], verbs: \["list"(, "watch")?\]\} in a Role of namespace "default"$/m,
    );
  });
});

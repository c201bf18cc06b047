import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startFakeCluster } from '../../src/testing/cluster.js';
import type { SummaryEvent } from '../../src/track/events.js';
import { deployment, runCli } from './helpers.js';

/** What a locked-down CI service account may not do: read Events, ReplicaSets and logs. */
const LOCKED_DOWN = [{ resource: 'events' }, { resource: 'replicasets' }, { resource: 'pods/log' }];

describe('kubedog rollout track with least privilege', () => {
  test('Events, ReplicaSets and logs refused: a ready Deployment is ready (exit 0), each missing read said once with the rule to add', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { logs: ['listening'], readyAfter: '1s' });
    await cluster.client.create('Deployment', deployment('web', { replicas: 2 }));
    for (const rule of LOCKED_DOWN) cluster.forbid(rule);
    const run = await runCli(['rollout', 'track', 'deploy/web', '--kubeconfig', cluster.kubeconfigPath]);
    assert.equal(run.code, 0, run.stderr);
    const said = (read: string) =>
      run.stderr.split('\n').filter((line) => line.includes(`may not read ${read} `));
    assert.equal(said('events').length, 1, run.stderr);
    assert.match(
      said('events')[0] ?? '',
      /failures are judged from the pods’ statuses; to allow it, add the rule \{apiGroups: \[""\], resources: \["events"\], verbs: \["list", "watch"\]\} in a Role of namespace "default"/,
    );
    assert.match(said('replicasets')[0] ?? '', /apiGroups: \["apps"\], resources: \["replicasets"\]/);
    assert.equal(said('pods/log').length, 1, run.stderr);
    assert.match(said('pods/log')[0] ?? '', /verbs: \["get"\]/);
    assert.match(
      run.stderr,
      /deployment "web" successfully rolled out \(judged from its status and its pods by selector: its ReplicaSets may not be read\)/,
    );
  });

  test('a crash loop with the same refusals still fails (exit 1) from the pods’ statuses, and --output json carries the denials', async () => {
    await using cluster = await startFakeCluster();
    // Never ready: the Deployment cannot pass for available between two crashes.
    cluster.behave('web-*', 'app', { exitAfter: '100ms', exitCode: 1, readyAfter: null });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    for (const rule of LOCKED_DOWN) cluster.forbid(rule);
    const run = await runCli([
      'rollout',
      'track',
      'deploy/web',
      '--output',
      'json',
      '--failures-allowed-per-replica',
      '0',
      '--timeout',
      '30s',
      '--kubeconfig',
      cluster.kubeconfigPath,
    ]);
    assert.equal(run.code, 1, run.stderr);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const failed = events.find((e) => e.type === 'failed');
    assert.match(failed?.message ?? '', /its ReplicaSets may not be read/);
    const denials = events.filter((e) => e.type === 'notice' && e.code === 'denied');
    assert.deepEqual(denials.map((e) => e.denied.read).sort(), ['events', 'pods/log', 'replicasets']);
    const summary = (events.at(-1) as SummaryEvent).summary;
    assert.deepEqual(
      summary.degraded.map((d) => `${d.resource.name} ${d.read} ${d.rule.verbs.join(',')}`).sort(),
      ['web events list,watch', 'web pods/log get', 'web replicasets list,watch'],
    );
  });

  test('pods refused: judged from the Deployment’s status alone', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { readyAfter: '500ms' });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    cluster.forbid({ resource: 'pods' });
    const run = await runCli(['rollout', 'track', 'deploy/web', '--kubeconfig', cluster.kubeconfigPath]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /may not read pods \(403 Forbidden\): its pods are neither shown nor followed/);
    assert.match(run.stderr, /\(judged from its status alone: its pods may not be read\)/);
  });

  test('the tracked resource itself refused: exit 3, one line naming the rule to add', async () => {
    await using cluster = await startFakeCluster();
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    cluster.forbid({ resource: 'deployments', namespace: 'default' });
    const run = await runCli(['rollout', 'track', 'deploy/web', '--kubeconfig', cluster.kubeconfigPath]);
    assert.equal(run.code, 3, run.stderr);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(
      run.stderr,
      /^kubedog: .*forbidden.*; to allow it, add the rule \{apiGroups: \["apps"\], resources: \["deployments"\], verbs: \["list", "watch"\]\} in a Role of namespace "default"$/m,
    );
  });
});

describe('kubedog rollout track -l with least privilege', () => {
  test('kinds the account may not list are not looked for, said once each with the rule; the rest is tracked (exit 0)', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { readyAfter: '300ms' });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1, labels: { app: 'web' } }));
    for (const resource of ['statefulsets', 'daemonsets', 'ingresses']) cluster.forbid({ resource });
    const run = await runCli(['rollout', 'track', '-l', 'app=web', '--kubeconfig', cluster.kubeconfigPath]);
    assert.equal(run.code, 0, run.stderr);
    for (const kind of ['statefulsets', 'daemonsets', 'ingresses'])
      assert.match(
        run.stderr,
        new RegExp(`not looked for: .*forbidden.*resources: \\["${kind}"\\], verbs: \\["list"\\]`, 'i'),
      );
    assert.match(run.stderr, /^✓ deploy\/web ready after/m);
  });

  test('nothing may be listed: exit 3 with the rule, not "nothing matches"', async () => {
    await using cluster = await startFakeCluster();
    cluster.forbid({ verb: 'list' });
    const run = await runCli(['rollout', 'track', '-l', 'app=web', '--kubeconfig', cluster.kubeconfigPath]);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /^kubedog: .*forbidden.*to allow it, add the rule/im);
  });
});

/**
 * `kubedog rollout status`: kubectl's spelling of a rollout track — its
 * flags (--watch=false, --revision, --timeout that defaults to never), so a
 * script can swap the binary and keep the rest.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { deployment, runCli } from './helpers.js';

describe('kubedog rollout status', () => {
  test('waits until ready, as rollout track: exit 0 and the usual last line', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { readyAfter: '200ms' });
    await cluster.client.create('Deployment', deployment('web', { replicas: 2 }));
    const run = await runCli(['rollout', 'status', 'deployment/web', '--kubeconfig', cluster.kubeconfigPath]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^✓ deploy\/web ready after \d+\.\ds$/m);
  });

  test('--watch=false judges once and exits: 0 while it rolls out (as kubectl), 1 when it failed', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('slow-*', 'app', { readyAfter: '1h' });
    cluster.behave('bad-*', 'app', { pullFails: true });
    await cluster.client.create('Deployment', deployment('slow', { replicas: 1 }));
    await cluster.client.create('Deployment', deployment('bad', { replicas: 1 }));
    const kubeconfig = ['--kubeconfig', cluster.kubeconfigPath];
    // Until the image pull has failed (kubectl's several --for: created, then the jsonpath).
    const pulled = await runCli([
      'wait',
      '--for=create',
      '--for=jsonpath={.status.containerStatuses[0].state.waiting.reason}=ErrImagePull',
      'pod',
      '-l',
      'app=bad',
      ...kubeconfig,
    ]);
    assert.equal(pulled.code, 0, pulled.stderr);
    const once = ['--watch=false', ...kubeconfig];
    const [slow, bad, w] = await Promise.all([
      runCli(['rollout', 'status', 'deploy/slow', ...once]),
      runCli(['rollout', 'status', 'deploy', 'bad', '--failures-allowed-per-replica', '0', ...once]),
      runCli(['rollout', 'status', 'deploy/slow', '-w=0', ...kubeconfig]),
    ]);
    assert.equal(slow.code, 0, slow.stderr);
    assert.match(
      slow.stderr,
      /^✓ judged once: deploy\/slow: Waiting for deployment "slow" rollout to finish: 0 of 1 updated replicas are available\.\.\.$/m,
    );
    assert.equal(w.code, 0, w.stderr);
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(
      bad.stderr,
      /^✗ judged once: deploy\/bad failed: container app: (ErrImagePull|ImagePullBackOff): /m,
    );
  });

  test('--revision N: waits for the Deployment to reach it; a newer revision fails, in kubectl words', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { readyAfter: '100ms' });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const kubeconfig = ['--kubeconfig', cluster.kubeconfigPath];
    const first = await runCli(['rollout', 'status', 'deploy/web', '--revision', '1', ...kubeconfig]);
    assert.equal(first.code, 0, first.stderr);
    // Revision 2 is not there yet: the wait goes on until the next rollout numbers it.
    let updated = false;
    const second = await runCli(['rollout', 'status', 'deploy/web', '--revision=2', ...kubeconfig], {
      onStderr: (stderr) => {
        if (updated || !stderr.includes('to reach revision 2')) return;
        updated = true;
        void cluster.client.patch(
          'Deployment',
          { name: 'web' },
          {
            spec: { template: { metadata: { annotations: { restartedAt: 'now' } } } },
          },
        );
      },
    });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /waiting for deployment "web" to reach revision 2 \(it is at revision 1\)/);
    const past = await runCli(['rollout', 'status', 'deploy/web', '--revision', '1', ...kubeconfig]);
    assert.equal(past.code, 1, past.stderr);
    assert.match(
      past.stderr,
      /RevisionReplaced: deployment "web": desired revision \(1\) is different from the running revision \(2\)/,
    );
  });

  test('bad input: exit 64 naming the flag; its flags belong to it', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['rollout', 'status', '--watch=maybe', 'deploy/web'],
        /^kubedog: --watch: "maybe" is not true or false$/m,
      ],
      [['rollout', 'status', '--revision', '-1', 'deploy/web'], /--revision: "-1" is not a revision number/],
      [
        ['rollout', 'status', '--revision', 'latest', 'deploy/web'],
        /--revision: "latest" is not a revision number/,
      ],
      [
        ['rollout', 'track', '--revision', '2', 'deploy/web'],
        /^kubedog rollout track: --revision is a flag of kubedog rollout status$/m,
      ],
      [
        ['wait', '--for=ready', '--watch=false', 'deploy/web'],
        /^kubedog wait: --watch is a flag of kubedog rollout status$/m,
      ],
      [
        ['rollout', 'history', 'deploy/web'],
        /^kubedog rollout: unknown subcommand "history" \(track or status\)$/m,
      ],
      [['rollout', 'status'], /^kubedog rollout status: nothing to track/m],
    ];
    for (const [args, pattern] of cases) {
      const run = await runCli(args);
      assert.equal(run.code, 64, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, pattern);
    }
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { waitFor } from '../helpers.js';
import { deployment, runCli } from './helpers.js';

describe('kubedog follow', () => {
  test('follows past readiness, with new log lines, until the resource is deleted; exit 0', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { logEvery: '100ms', logLine: 'GET /healthz 200 #{n}' });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    let deleting = false;
    const run = await runCli(['follow', 'deploy', 'web', '--kubeconfig', cluster.kubeconfigPath], {
      onStderr: (stderr) => {
        if (deleting || !stderr.includes('✓ ready:')) return;
        deleting = true;
        // Past readiness, log lines keep coming; then the Deployment goes.
        setTimeout(() => void cluster.client.delete('Deployment', { name: 'web' }), 600);
      },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /│ GET \/healthz 200 #3$/m);
    assert.match(run.stderr, /^deploy\/web - deleted$/m);
    assert.match(run.stderr, /^✓ every tracked resource was deleted; followed for \d+\.\ds$/m);
  });

  test('a failure is reported and ends nothing; Ctrl-C ends cleanly with exit 0', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('bad-*', 'app', { pullFails: true });
    await cluster.client.create('Deployment', deployment('bad', { replicas: 1 }));
    let interrupted = false;
    const run = await runCli(['follow', 'deploy/bad', '--kubeconfig', cluster.kubeconfigPath], {
      onStderr: (stderr, child) => {
        if (interrupted || !stderr.includes('✗ deploy/bad: container app: ImagePullBackOff')) return;
        interrupted = true;
        setTimeout(() => child.kill('SIGINT'), 300);
      },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^✓ stopped following after \d+\.\ds$/m);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });

  test('Ctrl-C during rollout track: exit 130, every stream closed', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('slow-*', 'app', { readyAfter: null, logEvery: '50ms' });
    await cluster.client.create('Deployment', deployment('slow', { replicas: 1 }));
    let interrupted = false;
    const run = await runCli(['rollout', 'track', 'deploy/slow', '--kubeconfig', cluster.kubeconfigPath], {
      onStderr: (stderr, child) => {
        if (interrupted || !stderr.includes('+ pod')) return;
        interrupted = true;
        setTimeout(() => child.kill('SIGINT'), 300);
      },
    });
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stderr, /^✗ interrupted after \d+\.\ds$/m);
    await waitFor(() => cluster.stats.openWatches === 0, 'the server to see every watch closed');
  });
});

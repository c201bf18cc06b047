import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type FakeCluster, startFakeCluster } from '../../src/testing/cluster.js';
import { CLI, deployment } from './helpers.js';
import { logLines, terminal } from './tmux.js';

/** A simulated cluster with one Deployment whose pod writes `tick N` every 100 ms. */
async function tickingWeb() {
  const cluster = await startFakeCluster();
  cluster.behave('web-*', 'app', { logs: ['listening on :8080'], logEvery: 100, logLine: 'tick {n}' });
  await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
  return cluster;
}

/** `kubedog follow deploy/web --interactive` in a terminal, once its logs show. */
async function followInteractive(cluster: FakeCluster) {
  const tty = await terminal(
    `${process.execPath} ${CLI} follow deploy/web --kubeconfig ${cluster.kubeconfigPath} --interactive`,
  );
  await tty.until(/web-\S+ app │ tick \d+/);
  return tty;
}

describe('--interactive in a real terminal (tmux)', () => {
  test('select a pod, filter its logs, resize, leave: the terminal is as it was and the exit code is the track’s', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', {
      logs: ['listening on :8080'],
      logEvery: 50,
      logLine: ['GET /healthz 200 {n}', 'POST /orders 201 {n}'],
      readyAfter: '1s',
    });
    cluster.behave('api-*', 'app', {
      logs: ['starting api'],
      readyAfter: null,
      exitAfter: '300ms',
      exitCode: 1,
      exitLogs: ['panic: missing DATABASE_URL'],
    });
    await cluster.client.create('Deployment', deployment('web', { replicas: 2 }));
    await cluster.client.create('Deployment', deployment('api', { replicas: 1 }));
    const tty = await terminal(
      `${process.execPath} ${CLI} rollout track deploy/web deploy/api --kubeconfig ${cluster.kubeconfigPath} --interactive --failures-allowed-per-replica 0 --fail-mode hope-until-end --timeout 30s`,
    );
    try {
      let screen = await tty.until(/✗ 1 of 2 resources failed after [\d.]+s: deploy\/api · q: leave/);
      assert.match(screen, /▸ deploy\/web +2\/2 +ready/);
      // The failed resource first, opened to its pod.
      assert.match(screen, /NAME.*\n.*\(every resource\).*\n ▾ deploy\/api +0\/1 +failed +\d+ +\d+s +\S+: /);
      assert.equal(await tty.modes(), '1 0', 'the alternate screen, the cursor hidden');

      // Open deploy/web (below api and its pod), select its first pod: the events and logs panes follow.
      await tty.keys('j', 'j', 'j', 'Enter', 'j');
      screen = await tty.until(/Logs · deploy\/web › pod web-\S+ · follow/);
      const pod = /Logs · deploy\/web › pod (web-\S+)/.exec(screen)?.[1] ?? '';
      assert.match(screen, new RegExp(`Events · deploy/web › pod ${pod}`));
      // Only its lines.
      await tty.until(
        (text) => logLines(text).length > 0 && logLines(text).every((line) => line.includes(pod)),
      );

      // Filter its logs.
      await tty.keys('/', 'healthz', 'Enter');
      await tty.until(
        (text) =>
          /filter \/healthz\//.test(text) &&
          logLines(text).length > 0 &&
          logLines(text).every((line) => line.includes(pod) && /GET \/healthz 200 \d+$/.test(line)),
      );

      // A narrower terminal: everything is drawn again to its size.
      await tty.resize(90, 30);
      await tty.until(
        (text) =>
          /^ kubedog rollout track.*\n(.*\n){28}.*q +leave/.test(text) &&
          text.split('\n').every((line) => [...line].length <= 90),
      );

      await tty.keys('q');
      screen = await tty.until(/exit=\d+\n-?icanon/);
      assert.match(screen, /✗ deploy\/api: CrashLoopBackOff|✗ deploy\/api: /);
      assert.match(screen, /✗ 1 of 2 resources failed after [\d.]+s: deploy\/api\nexit=1\nicanon/);
      assert.doesNotMatch(screen, /Logs ·/, 'the main screen is back, without the view');
      assert.equal(await tty.modes(), '0 1', 'the main screen, the cursor shown');
    } finally {
      await tty.close();
    }
  });

  test('follow: Ctrl-C leaves, and following ends as it should (exit 0)', async () => {
    await using cluster = await tickingWeb();
    const tty = await followInteractive(cluster);
    try {
      assert.match(await tty.screen(), /^ kubedog follow · 1 resources: 1 ready/);
      await tty.keys('C-c');
      const screen = await tty.until(/exit=\d+\n-?icanon/);
      assert.match(screen, /✓ stopped following after [\d.]+s\nexit=0\nicanon/);
      assert.equal(await tty.modes(), '0 1');
    } finally {
      await tty.close();
    }
  });

  test('SIGTERM: the terminal is put back before the process ends as the signal ends it', async () => {
    await using cluster = await tickingWeb();
    const tty = await followInteractive(cluster);
    try {
      process.kill(await tty.pid(), 'SIGTERM');
      const screen = await tty.until(/exit=\d+\n-?icanon/);
      assert.match(screen, /exit=143\nicanon/);
      assert.equal(await tty.modes(), '0 1');
    } finally {
      await tty.close();
    }
  });
});

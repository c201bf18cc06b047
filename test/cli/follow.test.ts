import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { startFakeCluster } from '../../src/testing/cluster.js';
import { podManifest, waitFor } from '../helpers.js';
import { CLI, deployment, runCli } from './helpers.js';

describe('kubedog follow', { concurrency: 3 }, () => {
  test('follows past readiness, with new log lines, until the resource is deleted; exit 0', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { logEvery: '100ms', logLine: 'GET /healthz 200 #{n}' });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    // Past readiness, log lines keep coming (the third at least); then the Deployment goes.
    let shown = '';
    let linesAtReady: number | undefined;
    let deleting = false;
    const run = await runCli(['follow', 'deploy', 'web', '--kubeconfig', cluster.kubeconfigPath], {
      onStderr: (stderr) => {
        if (linesAtReady === undefined && stderr.includes('✓ ready:')) linesAtReady = shown.length;
      },
      onStdout: (stdout) => {
        shown = stdout;
        const past = linesAtReady !== undefined && stdout.length > linesAtReady && stdout.includes('#3\n');
        if (deleting || !past) return;
        deleting = true;
        void cluster.client.delete('Deployment', { name: 'web' });
      },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /│ GET \/healthz 200 #3$/m);
    assert.match(run.stderr, /^deploy\/web - deployment "web" was deleted$/m);
    assert.match(run.stderr, /^✓ every tracked resource was deleted; followed for \d+\.\ds$/m);
  });

  test('following a Pod through an API server restart: every watch notice is said once', async () => {
    await using cluster = await startFakeCluster();
    await cluster.client.create('Pod', podManifest('p'));
    let dropped = false;
    const run = await runCli(['follow', 'pod/p', '--timeout', '3s', '--kubeconfig', cluster.kubeconfigPath], {
      onStderr: (text) => {
        if (dropped || !text.includes('+ pod p')) return;
        dropped = true;
        // Once its log is followed too, every stream is cut at once.
        void waitFor(() => cluster.stats.openLogStreams > 0, 'the log followed').then(() =>
          cluster.dropStreams(),
        );
      },
    });
    assert.equal(run.code, 0, run.stderr);
    // Nothing was deleted: the follow ended at its timeout.
    assert.match(run.stderr, /^✓ followed for 3\.\ds: po\/p ready$/m);
    const notices = run.stderr.split('\n').filter((line) => line.startsWith('po/p ! '));
    // Every stream broke at once: the connection is said to be lost (or the one stream interrupted), once.
    assert.ok(
      notices.some((line) => /interrupted|connection to the API server lost/.test(line)),
      run.stderr,
    );
    assert.equal(new Set(notices).size, notices.length, run.stderr);
  });

  test('a failure is reported and ends nothing; Ctrl-C ends cleanly with exit 0', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('bad-*', 'app', { pullFails: true });
    await cluster.client.create('Deployment', deployment('bad', { replicas: 1 }));
    let interrupted = false;
    const run = await runCli(['follow', 'deploy/bad', '--kubeconfig', cluster.kubeconfigPath], {
      onStderr: (stderr, child) => {
        if (interrupted || !stderr.includes('✗ deploy/bad: container app: ImagePullBackOff')) return;
        // Reported, and still following (a failure that ended it would exit 1): Ctrl-C ends it.
        interrupted = true;
        child.kill('SIGINT');
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
      // Its log is followed (a line is in): Ctrl-C.
      onStdout: (stdout, child) => {
        if (interrupted || !stdout.includes('│ ')) return;
        interrupted = true;
        child.kill('SIGINT');
      },
    });
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stderr, /^✗ interrupted after \d+\.\ds$/m);
    await waitFor(() => cluster.stats.openWatches === 0, 'the server to see every watch closed');
  });

  test('a reader that stops reading slows kubedog down instead of piling lines up in memory', async () => {
    await using cluster = await startFakeCluster({ nodes: 1 });
    const count = 300_000;
    const lines = Array.from({ length: count }, (_, n) => `line ${n} ${'x'.repeat(90)}`);
    cluster.pod('chatty').container('app').logs(lines).neverBecomesReady();
    await cluster.apply(podManifest('chatty'));
    await waitFor(() => cluster.logs.read('default', 'chatty', 'app').length === count, 'the log written');
    const child = spawn(
      process.execPath,
      [CLI, 'follow', 'po/chatty', '--kubeconfig', cluster.kubeconfigPath],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const rssMb = () =>
      Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024;
    // Nobody reads: the pipe fills, and with it what kubedog may hold. Once the server has sent
    // nothing for half a second, kubedog has stopped reading; one that ignored the pipe would not stop.
    child.stdout.pause();
    await stalled(() => cluster.stats.bytesSent);
    const stalledRss = rssMb();
    let received = 0;
    let last = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      received += text.split('\n').length - 1;
      last = text.slice(text.lastIndexOf('\n', text.length - 2) + 1);
    });
    child.stdout.resume();
    await waitFor(() => received >= count, `all ${count} lines once the reader is back`, 30_000);
    child.kill('SIGINT');
    assert.match(last, new RegExp(`line ${count - 1} x+\\n$`));
    assert.ok(stalledRss < 130, `kubedog held ${stalledRss.toFixed(0)} MB while its reader stalled`);
  });

  test('the reader going away (`| head -1`) ends kubedog quietly, with 141 as a SIGPIPE would', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { logEvery: '20ms' });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const child = spawn(
      process.execPath,
      [CLI, 'follow', 'deploy/web', '--kubeconfig', cluster.kubeconfigPath],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    // Like head: the first line, then the pipe closes.
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.stdout.destroy();
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 141, stderr);
    assert.doesNotMatch(stderr, /EPIPE|\n\s+at /, 'no stack trace');
    await waitFor(() => cluster.stats.openWatches === 0, 'the server to see every watch closed');
  });

  test('--no-follow: the status, pods, Events and the log lines there are now, then exit 0', async () => {
    await using cluster = await startFakeCluster();
    cluster.behave('web-*', 'app', { logs: ['booted', 'serving'] });
    await cluster.client.create('Deployment', deployment('web', { replicas: 1 }));
    const kubeconfig = ['--kubeconfig', cluster.kubeconfigPath];
    const ready = await runCli(['rollout', 'track', 'deploy/web', ...kubeconfig]);
    assert.equal(ready.code, 0, ready.stderr);
    const started = Date.now();
    const run = await runCli(['follow', 'deploy/web', '--no-follow', ...kubeconfig]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(Date.now() - started < 10_000, 'it does not wait for more');
    assert.match(run.stdout, /│ booted\n.*│ serving$/m);
    assert.match(run.stderr, /^deploy\/web \+ pod web-\S+ \[app\] Running$/m);
    const misuse = await runCli(['rollout', 'track', 'deploy/web', '--no-follow', ...kubeconfig]);
    assert.equal(misuse.code, 64);
    assert.match(misuse.stderr, /--no-follow is a flag of kubedog follow/);
  });
});

/** Resolves once a counter has not moved for 500 ms (looked at every 50 ms), within 10 s. */
async function stalled(counter: () => number): Promise<void> {
  let last = counter();
  let still = 0;
  await waitFor(
    () => {
      const now = counter();
      still = now === last ? still + 1 : 0;
      last = now;
      return still >= 10;
    },
    'the server to stop sending',
    10_000,
    50,
  );
}

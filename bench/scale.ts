/**
 * Scale and growth: `kubedog rollout track -l …` of N Deployments × 3 pods in
 * one namespace of the simulated cluster (N = 10, 100, 1,000; 10 and 100
 * with the watches scoped to each resource and of the namespace): watch
 * connections opened, peak RSS, CPU, and the time from the last pod being
 * ready on the server to exit 0. Then `kubedog follow` of 1, 10 and 100
 * pods logging 20 lines/s each for 10 s: CPU and RSS. kubectl rollout status
 * needs one process per Deployment: a sample of 20 is measured and scaled.
 * Usage: tsx bench/scale.ts [--smoke]
 */
import { spawn } from 'node:child_process';
import { startFakeCluster } from '../src/testing/cluster.js';
import { benchDeployment, KUBEDOG, measureRun, procStats, saveResults, which } from './lib.js';

const smoke = process.argv.includes('--smoke');
const SIZES = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(',').map(Number)
  : smoke
    ? [10, 100]
    : [10, 100, 1000];
const PODS = smoke ? [1, 10] : [1, 10, 100];

const deployment = (name: string, replicas = 3) =>
  benchDeployment(name, { replicas, labels: { bench: 'scale' } });

const results: Record<string, unknown> = { tracked: {}, followed: {} };

/**
 * The watch scopes each size is tracked with: `auto` (what a user gets), and,
 * for the sizes where it matters, each scope forced, to measure the rule.
 */
const scopesFor = (size: number) => (size <= 100 ? ['resource', 'namespace'] : ['auto']);

type Cluster = Awaited<ReturnType<typeof startFakeCluster>>;

/** When every Deployment of the cluster has its 3 pods available. */
function allReadyAt(cluster: Cluster, size: number): { at: () => number | undefined; stop: () => void } {
  let readyAt: number | undefined;
  const poll = setInterval(() => {
    const all = cluster.store.list(
      { kind: 'Deployment', group: 'apps', version: 'v1', plural: 'deployments', namespaced: true },
      { namespace: 'default' },
    );
    const ready = all.items.every(
      (d) => (d.status as { availableReplicas?: number } | undefined)?.availableReplicas === 3,
    );
    if (all.items.length === size && ready) {
      readyAt = performance.now();
      clearInterval(poll);
    }
  }, 10);
  return { at: () => readyAt, stop: () => clearInterval(poll) };
}

console.log(
  'resources  scope      watches opened  most open  peak RSS  CPU s  exit after the last pod ready',
);
for (const size of SIZES)
  for (const scope of scopesFor(size)) {
    await using cluster = await startFakeCluster({ nodes: 10 });
    // Pods become ready 3 s after they start: the track begins mid-rollout, as after `kubectl apply`.
    cluster.pod('app-*').container('app').becomesReadyAfter('3s');
    for (let i = 0; i < size; i++) await cluster.client.create('Deployment', deployment(`app-${i}`));
    const watchesBefore = cluster.stats.watchRequests;
    let most = 0;
    const sampler = setInterval(() => (most = Math.max(most, cluster.stats.openWatches)), 10);
    const ready = allReadyAt(cluster, size);
    const r = await measureRun(process.execPath, [
      KUBEDOG,
      'rollout',
      'track',
      '-l',
      'bench=scale',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '--no-logs',
      '-q',
      '--timeout',
      '5m',
      '--watch-scope',
      scope,
    ]);
    clearInterval(sampler);
    ready.stop();
    const opened = cluster.stats.watchRequests - watchesBefore;
    const readyAt = ready.at();
    const afterReady = readyAt === undefined ? Number.NaN : r.exitedAt - readyAt;
    (results.tracked as Record<string, unknown>)[`${size} ${scope}`] = {
      exitCode: r.code,
      watchRequests: opened,
      mostOpenWatches: most,
      peakRssMb: r.peakRssMb,
      cpuSeconds: r.cpuSeconds,
      exitAfterReadyMs: afterReady,
    };
    console.log(
      `${String(size).padStart(9)}  ${scope.padEnd(9)}  ${String(opened).padStart(14)}  ${String(most).padStart(9)}  ${r.peakRssMb.toFixed(0).padStart(5)} MB  ${r.cpuSeconds.toFixed(2).padStart(5)}  ${afterReady.toFixed(0)} ms (exit ${r.code})`,
    );
    if (size === SIZES.at(-1) && which('kubectl')) await kubectlSample(cluster, size);
  }

/** kubectl: one `rollout status` process per Deployment; 20 of them, then scaled. */
async function kubectlSample(cluster: Cluster, size: number): Promise<void> {
  const sample = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      measureRun(which('kubectl') ?? 'kubectl', [
        'rollout',
        'status',
        `deployment/app-${i}`,
        '--kubeconfig',
        cluster.kubeconfigPath,
      ]),
    ),
  );
  const cpu = sample.reduce((a, s) => a + s.cpuSeconds, 0) / sample.length;
  const rss = sample.reduce((a, s) => a + s.peakRssMb, 0) / sample.length;
  (results.tracked as Record<string, unknown>).kubectlSample = {
    processes: 20,
    cpuSecondsEach: cpu,
    peakRssMbEach: rss,
  };
  console.log(
    `kubectl rollout status, 20 processes on ready Deployments: ${cpu.toFixed(2)} CPU s and ${rss.toFixed(0)} MB each — for ${size}, about ${(cpu * size).toFixed(0)} CPU s and ${((rss * size) / 1024).toFixed(1)} GB at once (scaled from the sample), and ${size} watch connections`,
  );
}

console.log('\nfollowed pods  lines/s  peak RSS  CPU s per 10 s');
for (const pods of PODS) {
  await using cluster = await startFakeCluster({ nodes: 10 });
  cluster.pod('web-*').container('app').logs(['GET /api/orders 200 {n}'], { every: '50ms' });
  await cluster.client.create('Deployment', deployment('web', pods));
  await cluster.settled();
  const child = spawn(
    process.execPath,
    [KUBEDOG, 'follow', 'deploy/web', '--kubeconfig', cluster.kubeconfigPath],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let lines = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  });
  await new Promise((resolve) => setTimeout(resolve, 2000)); // started, every stream open
  const start = procStats(child.pid ?? 0);
  const linesAtStart = lines;
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const end = procStats(child.pid ?? 0);
  child.kill('SIGINT');
  const rate = (lines - linesAtStart) / 10;
  (results.followed as Record<string, unknown>)[pods] = {
    linesPerSecond: rate,
    peakRssMb: end.peakRssMb,
    cpuSecondsPer10s: end.cpuSeconds - start.cpuSeconds,
  };
  console.log(
    `${String(pods).padStart(13)}  ${rate.toFixed(0).padStart(7)}  ${end.peakRssMb.toFixed(0).padStart(5)} MB  ${(end.cpuSeconds - start.cpuSeconds).toFixed(2).padStart(5)}`,
  );
}
saveResults('scale', { smoke, results });

/**
 * Failure detection latency: from the moment the server records the failure
 * (a container in ImagePullBackOff; a container terminated with an error) to
 * `kubedog rollout track` exiting 1. The track runs before the Deployment is
 * created, so process start is not counted. kubectl rollout status has no
 * verdict for either: it waits until the Deployment's progressDeadlineSeconds
 * (600 s by default) has passed and the controller marks it failed.
 * Usage: tsx bench/latency.ts [--smoke]
 */
import { spawn } from 'node:child_process';
import { startFakeCluster } from '../src/testing/cluster.js';
import { benchDeployment, KUBEDOG, median, saveResults } from './lib.js';

const RUNS = process.argv.includes('--smoke') ? 2 : 5;

type Scenario = 'ImagePullBackOff' | 'crash (exit 1)';

const deployment = (name: string) =>
  benchDeployment(name, { replicas: 1, spec: { progressDeadlineSeconds: 5 } });

/** When the server first shows the failure, and when the command exited (with its code). */
async function once(
  scenario: Scenario,
  command: string,
  args: (kubeconfig: string) => string[],
  options: { createFirst?: boolean } = {},
) {
  await using cluster = await startFakeCluster();
  if (scenario === 'ImagePullBackOff') cluster.pod('web-*').container('app').failsToPull();
  else cluster.pod('web-*').container('app').crashLoops({ after: '300ms' });
  let failedAt: number | undefined;
  const stop = new AbortController();
  const watching = (async () => {
    for await (const { object } of cluster.client.watch('Pod', {
      namespace: 'default',
      signal: stop.signal,
    })) {
      const statuses =
        (
          object.status as
            | { containerStatuses?: { state?: Record<string, { reason?: string; exitCode?: number }> }[] }
            | undefined
        )?.containerStatuses ?? [];
      const failing = statuses.some((s) =>
        scenario === 'ImagePullBackOff'
          ? s.state?.waiting?.reason === 'ImagePullBackOff'
          : (s.state?.terminated?.exitCode ?? 0) !== 0,
      );
      if (failing && failedAt === undefined) failedAt = performance.now();
      if (failedAt !== undefined) return;
    }
  })().catch(() => {});
  // kubectl rollout status needs the Deployment to exist; kubedog waits for it.
  if (options.createFirst) await cluster.client.create('Deployment', deployment('web'));
  const child = spawn(command, args(cluster.kubeconfigPath), { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise((resolve) => setTimeout(resolve, 700)); // the command is up and waiting
  if (!options.createFirst) await cluster.client.create('Deployment', deployment('web'));
  const code = await exited;
  const exitedAt = performance.now();
  stop.abort();
  await watching;
  return { latencyMs: failedAt === undefined ? Number.NaN : exitedAt - failedAt, code };
}

const results: Record<string, unknown> = {};
for (const scenario of ['ImagePullBackOff', 'crash (exit 1)'] as Scenario[]) {
  const kubedog: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const extra = scenario === 'crash (exit 1)' ? ['--failures-allowed-per-replica', '0'] : [];
    const r = await once(scenario, process.execPath, (k) => [
      KUBEDOG,
      'rollout',
      'track',
      'deploy/web',
      '--kubeconfig',
      k,
      ...extra,
    ]);
    if (r.code !== 1) throw new Error(`kubedog exited ${r.code} in ${scenario}`);
    kubedog.push(r.latencyMs);
  }
  results[scenario] = { kubedogMs: kubedog, kubedogMedianMs: median(kubedog) };
  console.log(
    `${scenario.padEnd(17)} kubedog exits 1 ${median(kubedog).toFixed(0).padStart(4)} ms after the server shows it (median of ${RUNS}, ${kubedog.map((ms) => ms.toFixed(0)).join('/')} ms); ` +
      'kubectl rollout status keeps waiting until progressDeadlineSeconds (600 s by default) has passed',
  );
}
saveResults('latency', { runs: RUNS, results });

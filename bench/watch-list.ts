/**
 * A big namespace on the real control-plane tier: N pods (about 3.5 KB each,
 * pending) beside one ready Deployment, tracked by `kubedog rollout track
 * --watch-scope namespace` (one watch of the namespace's pods, whose first
 * list is the whole namespace), the initial state read two ways in turn:
 * paged lists (500 a page, then a watch from the list's resourceVersion) and
 * a watch-list (`sendInitialEvents=true`: the objects streamed as ADDED
 * events, ended by the `k8s.io/initial-events-end` bookmark). Interleaved
 * runs, medians: the time from the start to the exit (the first verdict:
 * the Deployment is ready), kubedog's CPU and peak RSS, and how far the
 * API server's RSS rose during the run.
 * Usage: tsx bench/watch-list.ts [--smoke]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startControlPlane } from '../e2e/control-plane.js';
import { namespace as makeNamespace } from '../e2e/test/helpers.js';
import { KubeClient } from '../src/kube/client.js';
import { KUBEDOG, measureRun, median, saveResults } from './lib.js';

const smoke = process.argv.includes('--smoke');
const PODS = smoke ? 300 : 3000;
const RUNS = smoke ? 1 : 5;
const MODES = { 'paged list': '0', 'watch-list': '1' } as const;

const bin = execFileSync('bash', ['e2e/build.sh'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
}).trim();
const plane = await startControlPlane({ bin, controllers: true, nodes: 3 });
const client = KubeClient.fromKubeConfig({ kubeconfig: plane.kubeconfigPath, context: 'admin' });
try {
  const ns = await makeNamespace(client, 'big');
  await fill(ns);
  await client.create('Deployment', readyDeployment(ns));
  await waitAvailable(ns);
  const apiserver = Number(
    execFileSync('pgrep', ['-f', `kube-apiserver.*${plane.dir}`], { encoding: 'utf8' }).trim(),
  );
  const runs: Record<
    string,
    { seconds: number; cpuSeconds: number; peakRssMb: number; apiserverRiseMb: number }[]
  > = {};
  for (let run = 0; run < RUNS; run++)
    for (const [mode, flag] of Object.entries(MODES)) {
      process.env.KUBEDOG_EXPERIMENT_WATCH_LIST = flag;
      const before = rssMb(apiserver);
      let most = before;
      const sampler = setInterval(() => (most = Math.max(most, rssMb(apiserver))), 10);
      const started = performance.now();
      const r = await measureRun(process.execPath, [
        KUBEDOG,
        'rollout',
        'track',
        'deploy/web',
        '-n',
        ns,
        '--watch-scope',
        'namespace',
        '--no-logs',
        '--kubeconfig',
        plane.kubeconfigPath,
        '--context',
        'admin',
      ]);
      clearInterval(sampler);
      if (r.code !== 0) throw new Error(`${mode}: kubedog exited ${r.code}`);
      (runs[mode] ??= []).push({
        seconds: (r.exitedAt - started) / 1000,
        cpuSeconds: r.cpuSeconds,
        peakRssMb: r.peakRssMb,
        apiserverRiseMb: most - before,
      });
    }
  const medians = Object.fromEntries(
    Object.entries(runs).map(([mode, rs]) => [
      mode,
      {
        seconds: median(rs.map((r) => r.seconds)),
        cpuSeconds: median(rs.map((r) => r.cpuSeconds)),
        peakRssMb: median(rs.map((r) => r.peakRssMb)),
        apiserverRiseMb: median(rs.map((r) => r.apiserverRiseMb)),
      },
    ]),
  );
  console.log(
    `${PODS} pending pods and one ready Deployment, kubedog --watch-scope namespace, ${RUNS} runs each, medians`,
  );
  console.log(
    '| initial state read by | exit after (s) | CPU s | peak RSS (MB) | API server RSS rise (MB) |\n| --- | ---: | ---: | ---: | ---: |',
  );
  for (const [mode, m] of Object.entries(medians))
    console.log(
      `| ${mode} | ${m.seconds.toFixed(2)} | ${m.cpuSeconds.toFixed(2)} | ${m.peakRssMb.toFixed(0)} | ${m.apiserverRiseMb.toFixed(1)} |`,
    );
  if (!smoke) saveResults('watch-list', { pods: PODS, runs, medians });
} finally {
  await client.close();
  await plane.stop();
}

/** PODS pods that no node may run (a node selector none has): they stay Pending, as they are written. */
async function fill(ns: string): Promise<void> {
  const padding = 'x'.repeat(2500);
  for (let from = 0; from < PODS; from += 25)
    await Promise.all(
      Array.from({ length: Math.min(25, PODS - from) }, (_, i) =>
        client.create('Pod', {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `filler-${from + i}`,
            namespace: ns,
            annotations: { 'bench.kubedog.io/padding': padding },
          },
          spec: {
            nodeSelector: { 'bench.kubedog.io/node': 'none' },
            containers: [{ name: 'app', image: 'registry.local/filler:v1' }],
          },
        }),
      ),
    );
}

function readyDeployment(ns: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'registry.local/web:v1' }] },
      },
    },
  };
}

async function waitAvailable(ns: string): Promise<void> {
  for (;;) {
    const web = await client.get('Deployment', { name: 'web', namespace: ns });
    if ((web.status as { availableReplicas?: number } | undefined)?.availableReplicas === 3) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

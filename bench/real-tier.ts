/**
 * On the real control-plane tier (e2e/: etcd, kube-apiserver,
 * kube-controller-manager and kube-scheduler built from Go modules;
 * simulated nodes):
 * 1. the Go kubedog (v0.13.0, built by bench/build-peers.sh) and kubedog on
 *    the same rollouts — one that becomes ready, a bad image, a crash loop:
 *    the time from the Deployment's creation to the tool's exit, its exit
 *    code, CPU and peak RSS; runs interleaved, medians;
 * 2. one `kubedog rollout track -l` of 1,000 Deployments (1 pod each), next
 *    to the same on the simulated cluster in the same run: watch requests,
 *    CPU, peak RSS, exit after the last Deployment is available.
 * Each tool is measured next to `node -e 0` in the same run: the goal is
 * set on what a tool costs above a bare Node.
 * Usage: tsx bench/real-tier.ts [--smoke] [--side-by-side (only 1.)]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ControlPlane, startControlPlane } from '../e2e/control-plane.js';
import { namespace as makeNamespace } from '../e2e/test/helpers.js';
import { KubeClient } from '../src/kube/client.js';
import type { KubeObject } from '../src/kube/types.js';
import { startFakeCluster } from '../src/testing/cluster.js';
import { KUBEDOG, measureRun, median, saveResults, which } from './lib.js';

const smoke = process.argv.includes('--smoke');
const sideBySideOnly = process.argv.includes('--side-by-side');
const RUNS = smoke ? 1 : 3;
const MANY = smoke ? 100 : 1000;

/**
 * The tier's binaries: built first if need be (minutes, the first time),
 * except for a smoke run, which measures only what is there.
 */
function tierBinaries(): string | undefined {
  const args = smoke ? ['e2e/build.sh', '--where'] : ['e2e/build.sh'];
  const dir = execFileSync('bash', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  return existsSync(join(dir, 'kube-apiserver')) ? dir : undefined;
}

/** A Deployment whose pods behave as the node agent is told by the template's annotation. */
function deployment(
  name: string,
  namespace: string,
  behaviour: object,
  replicas = 3,
  labels = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: { 'sim.kubedog.io/app': JSON.stringify(behaviour) } },
        spec: {
          containers: [{ name: 'app', image: `registry.local/${name}:v1` }],
          terminationGracePeriodSeconds: 5,
        },
      },
    },
  };
}

const SCENARIOS: Record<string, object> = {
  ready: { readyAfter: '2s', logs: ['listening on :8080'] },
  'bad image': { pullFails: true },
  'crash loop': { exitAfter: '300ms', exitCode: 1, readyAfter: null, exitLogs: ['panic: boom'] },
};

async function sideBySide(plane: ControlPlane, client: KubeClient) {
  const goKubedog = which('kubedog-go');
  const tools: Record<string, (ns: string, name: string) => [string, string[]]> = {
    kubedog: (ns, name) => [
      process.execPath,
      [
        KUBEDOG,
        'rollout',
        'track',
        `deploy/${name}`,
        '-n',
        ns,
        '--kubeconfig',
        plane.kubeconfigPath,
        '-q',
        '--timeout',
        '120s',
      ],
    ],
  };
  if (goKubedog)
    tools['kubedog (Go)'] = (ns, name) => [
      goKubedog,
      ['rollout', 'track', 'deployment', name, '-n', ns, '--kube-config', plane.kubeconfigPath, '-t', '120'],
    ];
  const ns = await makeNamespace(client, 'side-by-side');
  const bare = await bareNode();
  const results: Record<
    string,
    Record<string, { seconds: number; code: number | null; cpuSeconds: number; peakRssMb: number }[]>
  > = {};
  let n = 0;
  for (let run = 0; run < RUNS; run++)
    for (const [scenario, behaviour] of Object.entries(SCENARIOS))
      for (const [tool, command] of Object.entries(tools)) {
        const name = `app-${++n}`;
        const started = performance.now();
        await client.create('Deployment', deployment(name, ns, behaviour));
        const [bin, args] = command(ns, name);
        const r = await measureRun(bin, args);
        const row = {
          seconds: (r.exitedAt - started) / 1000,
          code: r.code,
          cpuSeconds: r.cpuSeconds,
          peakRssMb: r.peakRssMb,
        };
        const byTool = results[scenario] ?? {};
        results[scenario] = byTool;
        byTool[tool] = [...(byTool[tool] ?? []), row];
        console.log(
          `${scenario.padEnd(10)} ${tool.padEnd(13)} exit ${r.code} after ${row.seconds.toFixed(2)} s  ${r.cpuSeconds.toFixed(2)} CPU s  ${r.peakRssMb.toFixed(0)} MB`,
        );
        await client.delete('Deployment', { namespace: ns, name });
      }
  const medians = Object.fromEntries(
    Object.entries(results).map(([scenario, byTool]) => [
      scenario,
      Object.fromEntries(
        Object.entries(byTool).map(([tool, rows]) => [
          tool,
          {
            codes: rows.map((r) => r.code),
            seconds: median(rows.map((r) => r.seconds)),
            cpuSeconds: median(rows.map((r) => r.cpuSeconds)),
            peakRssMb: median(rows.map((r) => r.peakRssMb)),
          },
        ]),
      ),
    ]),
  );
  return {
    goKubedog: goKubedog !== undefined,
    runs: RUNS,
    bareNode: bare,
    medians,
    ratios: ratios(medians, bare),
  };
}

/** `node -e 0`, the floor under any Node program: medians of RUNS × 3. */
async function bareNode(): Promise<{ cpuSeconds: number; peakRssMb: number }> {
  const runs = [];
  for (let i = 0; i < RUNS * 3; i++) runs.push(await measureRun(process.execPath, ['-e', '0']));
  const floor = {
    cpuSeconds: median(runs.map((r) => r.cpuSeconds)),
    peakRssMb: median(runs.map((r) => r.peakRssMb)),
  };
  console.log(`node -e 0     ${floor.cpuSeconds.toFixed(2)} CPU s  ${floor.peakRssMb.toFixed(0)} MB`);
  return floor;
}

type Medians = Record<string, Record<string, { seconds: number; cpuSeconds: number; peakRssMb: number }>>;

/** Per scenario, kubedog over the Go kubedog: time to the verdict, and CPU and RSS above `node -e 0`. */
function ratios(medians: Medians, bare: { cpuSeconds: number; peakRssMb: number }) {
  return Object.fromEntries(
    Object.entries(medians).flatMap(([scenario, byTool]) => {
      const ours = byTool.kubedog;
      const go = byTool['kubedog (Go)'];
      if (!ours || !go) return [];
      const ratio = {
        seconds: ours.seconds / go.seconds,
        cpuAboveNode: (ours.cpuSeconds - bare.cpuSeconds) / go.cpuSeconds,
        rssAboveNode: (ours.peakRssMb - bare.peakRssMb) / go.peakRssMb,
      };
      console.log(
        `${scenario.padEnd(10)} kubedog / Go: time ${ratio.seconds.toFixed(2)}×, CPU above node ${ratio.cpuAboveNode.toFixed(2)}×, RSS above node ${ratio.rssAboveNode.toFixed(2)}×`,
      );
      return [[scenario, ratio]];
    }),
  );
}

/** When every Deployment labelled bench=many is available, seen by a watch of the bench's own. */
function allAvailable(
  client: KubeClient,
  namespace: string,
  count: number,
  signal: AbortSignal,
): Promise<number> {
  return (async () => {
    const available = new Set<string>();
    for await (const { type, object } of client.watch('deployments', {
      namespace,
      labelSelector: 'bench=many',
      signal,
    })) {
      const status = object.status as { availableReplicas?: number } | undefined;
      if (type !== 'DELETED' && status?.availableReplicas === 1) available.add(object.metadata.name ?? '');
      if (available.size === count) return performance.now();
    }
    return Number.NaN;
  })();
}

/** One `rollout track -l` of MANY Deployments as they roll out, on a cluster given by its kubeconfig. */
async function many(kubeconfig: string, client: KubeClient, namespace: string) {
  const creating = Array.from({ length: MANY }, (_, i) =>
    deployment(`many-${i}`, namespace, { readyAfter: '3s' }, 1, { bench: 'many' }),
  );
  for (let i = 0; i < creating.length; i += 50)
    await Promise.all(creating.slice(i, i + 50).map((object) => client.create('Deployment', object)));
  const stop = new AbortController();
  const readyAt = allAvailable(client, namespace, MANY, stop.signal);
  // Its --debug lines (one per request) say how many watches it opened.
  const debug = join(tmpdir(), `kubedog-bench-many-${process.pid}.log`);
  const r = await measureRun('/bin/sh', [
    '-c',
    `exec "$0" "$@" 2>${debug}`,
    process.execPath,
    KUBEDOG,
    'rollout',
    'track',
    '-l',
    'bench=many',
    '-n',
    namespace,
    '--kubeconfig',
    kubeconfig,
    '--no-logs',
    '--debug',
    '--timeout',
    '10m',
  ]);
  const ready = await readyAt;
  stop.abort();
  const lines = readFileSync(debug, 'utf8');
  rmSync(debug, { force: true });
  return {
    exitCode: r.code,
    watchRequests: (lines.match(/watch=true/g) ?? []).length,
    cpuSeconds: r.cpuSeconds,
    peakRssMb: r.peakRssMb,
    exitAfterReadyMs: r.exitedAt - ready,
  };
}

const bin = tierBinaries();
if (!bin) {
  console.log('the real control-plane tier is not built (bash e2e/build.sh): nothing measured');
  process.exit(0);
}
const plane = await startControlPlane({
  bin,
  controllers: true,
  nodes: Math.ceil(MANY / 100) + 2,
  clientQps: 500,
});
const client = KubeClient.fromKubeConfig({ kubeconfig: plane.kubeconfigPath, context: 'admin' });
try {
  console.log('the same rollouts on the real control plane');
  const side = await sideBySide(plane, client);
  if (sideBySideOnly) saveResults('real-tier-side-by-side', side);
  else await scale(side);
} finally {
  await client.close();
  await plane.stop();
}

/** 2.: MANY Deployments on the real control plane and on the simulated cluster; saved with 1. */
async function scale(side: Awaited<ReturnType<typeof sideBySide>>) {
  console.log(`\n${MANY} Deployments × 1 pod, one rollout track -l`);
  const real = await many(plane.kubeconfigPath, client, await makeNamespace(client, 'many'));
  console.log(`real control plane:  ${JSON.stringify(real)}`);
  await using cluster = await startFakeCluster({ nodes: Math.ceil(MANY / 100) + 2 });
  cluster.pod('many-*').container('app').becomesReadyAfter('3s');
  const simulated = await many(cluster.kubeconfigPath, cluster.client, 'default');
  console.log(`simulated cluster:   ${JSON.stringify(simulated)}`);
  saveResults('real-tier', { sideBySide: side, many: { deployments: MANY, real, simulated } });
}

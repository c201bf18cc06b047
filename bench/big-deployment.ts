/**
 * One big Deployment: N pods (100, 1,000, 10,000) rolled out on the
 * simulated API server while `kubedog rollout track -o json` follows it.
 * The bench writes the rollout into the server's store itself (controllers
 * off), so what is measured is the tracker, not the simulated controllers:
 * every pod goes Running, then Ready (2 pod events each), then the
 * Deployment is available. Measured: the tracker's CPU per pod event (from
 * /proc, between the moment it has seen every pod and its exit), and how
 * long after the Deployment became available it exited — for this kubedog,
 * the one before the tracker-core redesign (built from git by
 * bench/build-peers.sh), and `kubectl rollout status`.
 * Then `--timeout 5s` while the 10,000 pods churn without end: how late the
 * timeout is honoured.
 * Usage: tsx bench/big-deployment.ts [--smoke]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ResourceType } from '../src/kube/resources.js';
import { findBuiltinResource } from '../src/kube/resources.js';
import type { KubeObject } from '../src/kube/types.js';
import { type FakeCluster, startFakeCluster } from '../src/testing/cluster.js';
import { BEFORE_REDESIGN, KUBEDOG, procStats, saveResults, which } from './lib.js';

const smoke = process.argv.includes('--smoke');
const SIZES = smoke ? [100, 1000] : [100, 1000, 10_000];
const typeOf = (kind: string) => findBuiltinResource(kind) as ResourceType;

const template = {
  metadata: { labels: { app: 'big' } },
  spec: { containers: [{ name: 'app', image: 'big:v1' }] },
};

/** The Deployment, its ReplicaSet and N pending pods, written straight into the store. */
function createRollout(cluster: FakeCluster, pods: number): { rs: KubeObject; deployment: KubeObject } {
  const deployment = cluster.store.create(typeOf('Deployment'), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'big',
      namespace: 'default',
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    },
    spec: { replicas: pods, selector: { matchLabels: { app: 'big' } }, template },
  });
  cluster.store.replaceStatus(typeOf('Deployment'), 'default', 'big', {
    observedGeneration: deployment.metadata.generation,
    replicas: pods,
    updatedReplicas: pods,
    readyReplicas: 0,
    availableReplicas: 0,
  });
  const owner = (o: KubeObject) => [
    {
      apiVersion: 'apps/v1',
      kind: o.kind ?? '',
      name: o.metadata.name ?? '',
      uid: o.metadata.uid ?? '',
      controller: true,
    },
  ];
  const rs = cluster.store.create(typeOf('ReplicaSet'), {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'big-7f9c',
      namespace: 'default',
      // As the Deployment controller labels it: its template's labels and the hash.
      labels: { app: 'big', 'pod-template-hash': '7f9c' },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: owner(deployment),
    },
    spec: {
      replicas: pods,
      template: { ...template, metadata: { labels: { app: 'big', 'pod-template-hash': '7f9c' } } },
    },
  });
  for (let i = 0; i < pods; i++)
    cluster.store.create(typeOf('Pod'), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `big-7f9c-${i}`,
        namespace: 'default',
        labels: { app: 'big', 'pod-template-hash': '7f9c' },
        ownerReferences: owner(rs),
      },
      spec: template.spec,
      status: { phase: 'Pending' },
    });
  return { rs, deployment };
}

/** A pod's status: running (not yet ready) or ready; `probe` only changes a probe time (a change that says nothing new). */
function podStatus(ready: boolean, probe = 0) {
  return {
    phase: 'Running',
    conditions: [
      {
        type: 'Ready',
        status: ready ? 'True' : 'False',
        lastProbeTime: new Date(probe * 1000).toISOString(),
      },
    ],
    containerStatuses: [
      {
        name: 'app',
        ready,
        restartCount: 0,
        containerID: 'containerd://x',
        state: { running: { startedAt: '2026-12-01T10:00:00Z' } },
      },
    ],
  };
}

/** Writes status changes in batches, giving the server's event loop a turn between them. */
async function writeStatuses(cluster: FakeCluster, changes: [name: string, status: object][]): Promise<void> {
  for (let i = 0; i < changes.length; i += 200) {
    for (const [name, status] of changes.slice(i, i + 200))
      cluster.store.replaceStatus(typeOf('Pod'), 'default', name, status);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** `node CLI rollout track deploy/big -o json …` for this kubedog or the one before the redesign. */
const trackArgs = (tool: 'kubedog' | 'before', ...flags: string[]) => [
  tool === 'kubedog' ? KUBEDOG : BEFORE_REDESIGN,
  'rollout',
  'track',
  'deploy/big',
  '-o',
  'json',
  ...flags,
];

interface Tracked {
  child: ChildProcess;
  /** Pod events the tool has printed (JSON lines of type pod). */
  podEvents: () => number;
  lastStats: { cpuSeconds: number; peakRssMb: number };
  exited: Promise<{ code: number | null; at: number }>;
  stdout: () => string;
}

function start(command: string, args: string[]): Tracked {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', process.env.BENCH_STDERR ? 'inherit' : 'ignore'],
  });
  let out = '';
  let pods = 0;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    // The end of the output is kept: the summary is its last line.
    out = (out + chunk).slice(-20_000_000);
    pods += chunk.split('"type":"pod"').length - 1;
  });
  const tracked: Tracked = {
    child,
    podEvents: () => pods,
    lastStats: { cpuSeconds: 0, peakRssMb: 0 },
    exited: new Promise((resolve) => child.on('exit', (code) => resolve({ code, at: performance.now() }))),
    stdout: () => out,
  };
  const sampler = setInterval(() => {
    try {
      tracked.lastStats = procStats(child.pid ?? 0);
    } catch {}
  }, 10);
  void tracked.exited.then(() => clearInterval(sampler));
  return tracked;
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** One rollout of `pods` pods tracked by one tool; null when it did not finish within `limitMs`. */
async function rollout(tool: 'kubedog' | 'before' | 'kubectl', pods: number, limitMs: number) {
  await using cluster = await startFakeCluster({ controllers: false });
  createRollout(cluster, pods);
  const k = ['--kubeconfig', cluster.kubeconfigPath];
  const tracked =
    tool === 'kubectl'
      ? start(which('kubectl') ?? 'kubectl', ['rollout', 'status', 'deployment/big', ...k])
      : start(process.execPath, trackArgs(tool, '--timeout', '10m', ...k));
  // Every pod announced (kubectl sees no pods: a moment to connect).
  const seen =
    tool === 'kubectl'
      ? await until(() => false, 1500).then(() => true)
      : await until(() => tracked.podEvents() >= pods, limitMs);
  // Awaited here: the cluster is disposed of when this function returns.
  if (!seen) return await finish(tracked, undefined);
  const before = tracked.lastStats.cpuSeconds;
  const names = Array.from({ length: pods }, (_, i) => `big-7f9c-${i}`);
  const t0 = performance.now();
  await writeStatuses(
    cluster,
    names.map((name) => [name, podStatus(false)]),
  );
  await writeStatuses(
    cluster,
    names.map((name) => [name, podStatus(true)]),
  );
  // Every pod event taken before the verdict is due.
  const taken =
    tool === 'kubectl' ||
    (await until(() => tracked.podEvents() >= 2 * pods, limitMs - (performance.now() - t0)));
  const cpu = tracked.lastStats.cpuSeconds - before;
  const dueAt = performance.now();
  cluster.store.replaceStatus(typeOf('Deployment'), 'default', 'big', {
    observedGeneration: 1,
    replicas: pods,
    updatedReplicas: pods,
    readyReplicas: pods,
    availableReplicas: pods,
  });
  return await finish(tracked, taken ? { cpu, dueAt, pods } : undefined);
}

async function finish(tracked: Tracked, measured: { cpu: number; dueAt: number; pods: number } | undefined) {
  if (!measured) {
    tracked.child.kill('SIGKILL');
    return null;
  }
  const exit = await Promise.race([
    tracked.exited,
    new Promise<null>((r) => setTimeout(() => r(null), 60_000)),
  ]);
  if (!exit) tracked.child.kill('SIGKILL');
  return {
    exitCode: exit?.code ?? null,
    cpuSeconds: measured.cpu,
    cpuMsPerPodEvent: (measured.cpu * 1000) / (2 * measured.pods),
    exitAfterDueMs: exit ? exit.at - measured.dueAt : Number.NaN,
    peakRssMb: tracked.lastStats.peakRssMb,
  };
}

/** `--timeout 5s` while every pod changes again and again: how long after the deadline the tool exits. */
async function churningTimeout(tool: 'kubedog' | 'before', pods: number) {
  await using cluster = await startFakeCluster({ controllers: false });
  createRollout(cluster, pods);
  const names = Array.from({ length: pods }, (_, i) => `big-7f9c-${i}`);
  let churning = true;
  let changes = 0;
  const churn = async () => {
    for (let round = 1; churning; round++)
      await writeStatuses(
        cluster,
        names.map((name) => [name, podStatus(false, round)]),
      ).then(() => (changes += pods));
  };
  const started = performance.now();
  const tracked = start(
    process.execPath,
    trackArgs(tool, '--no-logs', '--timeout', '5s', '--kubeconfig', cluster.kubeconfigPath),
  );
  void churn();
  const exit = await Promise.race([
    tracked.exited,
    new Promise<null>((r) => setTimeout(() => r(null), 60_000)),
  ]);
  churning = false;
  if (!exit) tracked.child.kill('SIGKILL');
  const summary = tracked
    .stdout()
    .split('\n')
    .find((line) => line.includes('"type":"summary"'));
  const elapsed = summary
    ? (JSON.parse(summary) as { summary: { elapsedMs: number } }).summary.elapsedMs
    : undefined;
  return {
    exitCode: exit?.code ?? null,
    processSeconds: exit ? (exit.at - started) / 1000 : Number.NaN,
    /** From the multitrack's own start to its summary, minus the timeout. */
    lateMs: elapsed === undefined ? Number.NaN : elapsed - 5000,
    podChangesPerSecond: changes / ((performance.now() - started) / 1000),
  };
}

const results: Record<string, unknown> = { rollout: {}, timeout: {} };
const before = existsSync(BEFORE_REDESIGN);
const kubectl = which('kubectl') !== undefined;
type Run = Awaited<ReturnType<typeof rollout>>;
const runs: { pods: number; now: Run; old: Run; peer: Run }[] = [];
console.log(
  'pods    CPU ms per pod event (marginal): kubedog   before redesign   exit after available: kubedog / before / kubectl',
);
for (const pods of SIZES) {
  const now = await rollout('kubedog', pods, 120_000);
  // Before the redesign, 10,000 pods never get through: a minute says so.
  const old = before ? await rollout('before', pods, pods >= 10_000 ? 60_000 : 120_000) : null;
  const peer = kubectl ? await rollout('kubectl', pods, 120_000) : null;
  (results.rollout as Record<string, unknown>)[pods] = { kubedog: now, beforeRedesign: old, kubectl: peer };
  const previous = runs.at(-1);
  runs.push({ pods, now, old, peer });
  /** CPU per pod event, and per pod event added since the smaller size (what the work per event grows by). */
  const cpu = (run: Run, last: Run | undefined) => {
    if (!run) return 'did not finish'.padStart(24);
    const marginal =
      last && previous
        ? ((run.cpuSeconds - last.cpuSeconds) * 1000) / (2 * (pods - previous.pods))
        : undefined;
    return `${run.cpuMsPerPodEvent.toFixed(3)}${marginal === undefined ? '' : ` (${marginal.toFixed(3)})`}`.padStart(
      24,
    );
  };
  const exit = (run: Run) => (run ? `${run.exitAfterDueMs.toFixed(0)} ms` : '—');
  console.log(
    `${String(pods).padStart(6)}  ${cpu(now, previous?.now)}  ${cpu(old, previous?.old)}   ${exit(now)} / ${exit(old)} / ${exit(peer)}`,
  );
}
const churnPods = SIZES.at(-1) ?? 1000;
const timed = await churningTimeout('kubedog', churnPods);
const timedBefore = before ? await churningTimeout('before', churnPods) : null;
results.timeout = { pods: churnPods, kubedog: timed, beforeRedesign: timedBefore };
const beforeText = !timedBefore
  ? 'not built'
  : timedBefore.exitCode === null
    ? 'still running after 60 s (stopped)'
    : `exited after ${timedBefore.processSeconds.toFixed(1)} s (exit ${timedBefore.exitCode})`;
console.log(
  `\n--timeout 5s while ${churnPods} pods churn (${timed.podChangesPerSecond.toFixed(0)} pod changes/s): kubedog's summary came ${timed.lateMs.toFixed(0)} ms after the deadline; the process (start, list of ${churnPods} pods, track) ran ${timed.processSeconds.toFixed(1)} s (exit ${timed.exitCode}). Before the redesign: ${beforeText}.`,
);
saveResults('big-deployment', { smoke, results });

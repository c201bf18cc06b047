/**
 * A busy namespace: one Deployment (3 pods) rolled out while 5,000 other
 * pods and their Events change at about 200 changes/s in the same namespace
 * of the simulated cluster. `kubedog rollout track` (logs and events
 * streamed, as by default) next to `kubectl rollout status` (which watches
 * the one Deployment): CPU, peak RSS, bytes received from the API server,
 * and the time from the rollout being complete to exit. Each tool tracks a
 * Deployment of its own, one after the other, in the same churn.
 * Usage: tsx bench/busy-namespace.ts [--smoke]
 */
import type { KubeObject } from '../src/kube/types.js';
import { startFakeCluster } from '../src/testing/cluster.js';
import { typeOf } from '../src/testing/controllers/runtime.js';
import { benchDeployment, KUBEDOG, measureRun, saveResults, which } from './lib.js';

const smoke = process.argv.includes('--smoke');
const OTHERS = smoke ? 1000 : 5000;
/** Changes per second to the other pods and their Events, half each. */
const RATE = 200;
const pods = typeOf('Pod');
const events = typeOf('Event');

/** A pod that has run its course on a node the simulation does not run: only the churn changes it. */
const otherPod = (i: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `batch-${i}`, namespace: 'default', labels: { app: 'batch', shard: String(i % 50) } },
  spec: { nodeName: 'elsewhere', containers: [{ name: 'worker', image: 'registry.local/batch:v1' }] },
  status: { phase: 'Succeeded', conditions: [{ type: 'Ready', status: 'False' }] },
});

const web = (name: string) => benchDeployment(name, { image: `registry.local/${name}:v2` });

await using cluster = await startFakeCluster({ nodes: 3 });
cluster.pod('web-*').container('app').logs(['listening on :8080']).becomesReadyAfter('2s');
for (let i = 0; i < OTHERS; i++) cluster.store.create(pods, otherPod(i));

let changes = 0;
const churn = setInterval(
  () => {
    // Every 10 ms: one pod changed, one Event about it.
    const i = changes % OTHERS;
    cluster.store.patch(pods, 'default', `batch-${i}`, {
      metadata: { annotations: { 'bench.kubedog.io/beat': String(changes) } },
    });
    cluster.store.create(events, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `batch-${i}.${changes}`, namespace: 'default' },
      involvedObject: { kind: 'Pod', name: `batch-${i}`, namespace: 'default' },
      type: 'Normal',
      reason: 'Pulled',
      message: `Container image "registry.local/batch:v1" already present on machine (${changes})`,
      count: 1,
      lastTimestamp: new Date().toISOString(),
    });
    changes += 2;
  },
  (1000 / RATE) * 2,
);

/** When the Deployment's rollout is complete on the server (every replica updated and available). */
function completedAt(name: string): Promise<number> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      const status = cluster.store.get(typeOf('Deployment'), 'default', name)?.status as
        | { updatedReplicas?: number; availableReplicas?: number; replicas?: number }
        | undefined;
      if (status?.updatedReplicas === 3 && status.availableReplicas === 3 && status.replicas === 3) {
        clearInterval(poll);
        resolve(performance.now());
      }
    }, 5);
  });
}

const tools: Record<string, [string, (name: string) => string[]]> = {
  'kubedog rollout track': [
    process.execPath,
    (name) => [KUBEDOG, 'rollout', 'track', `deploy/${name}`, '--kubeconfig', cluster.kubeconfigPath, '-q'],
  ],
};
const kubectl = which('kubectl');
if (kubectl)
  tools['kubectl rollout status'] = [
    kubectl,
    (name) => ['rollout', 'status', `deployment/${name}`, '--kubeconfig', cluster.kubeconfigPath],
  ];

// The churn runs a while first: the namespace is busy before anyone looks.
await new Promise((resolve) => setTimeout(resolve, 2000));
const results: Record<string, unknown> = {};
let n = 0;
for (const [tool, [command, args]] of Object.entries(tools)) {
  const name = `web-${++n}`;
  const bytesBefore = cluster.stats.bytesSent;
  await cluster.client.create('Deployment', web(name));
  const complete = completedAt(name);
  const run = await measureRun(command, args(name));
  const result = {
    exitCode: run.code,
    cpuSeconds: run.cpuSeconds,
    peakRssMb: run.peakRssMb,
    bytesReceived: cluster.stats.bytesSent - bytesBefore,
    exitAfterCompleteMs: run.exitedAt - (await complete),
  };
  results[tool] = result;
  console.log(
    `${tool.padEnd(24)} exit ${result.exitCode}  ${result.cpuSeconds.toFixed(2)} CPU s  ${result.peakRssMb.toFixed(0)} MB  ${(result.bytesReceived / 1024).toFixed(0)} kB received  exit ${result.exitAfterCompleteMs.toFixed(0)} ms after the rollout completed`,
  );
}
clearInterval(churn);
console.log(
  `\n${OTHERS} other pods, ${RATE} changes/s (${changes} in all); ${process.version}${kubectl ? '' : '; kubectl is not installed'}`,
);
saveResults('busy-namespace', { others: OTHERS, changesPerSecond: RATE, results });

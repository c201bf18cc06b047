/**
 * A busy namespace: one Deployment (3 pods) rolled out while 5,000 other
 * pods and their Events change at about 200 changes/s in the same namespace
 * of the simulated cluster. `kubedog rollout track` (logs and events
 * streamed, as by default; its watches scoped to the resource, and of the
 * namespace) next to `kubectl rollout status` (which watches the one
 * Deployment) and the Go kubedog when bench/build-peers.sh built it: CPU,
 * peak RSS, bytes received from the API server, and the time from the
 * rollout being complete to exit. Each tool tracks a Deployment of its own,
 * one after the other, first in an empty namespace, then in the busy one.
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

const web = (name: string, namespace: string) => ({
  ...benchDeployment(name, { image: `registry.local/${name}:v2` }),
  metadata: { name, namespace },
});

await using cluster = await startFakeCluster({ nodes: 3, namespaces: ['default', 'quiet'] });
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
function completedAt(namespace: string, name: string): Promise<number> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      const status = cluster.store.get(typeOf('Deployment'), namespace, name)?.status as
        | { updatedReplicas?: number; availableReplicas?: number; replicas?: number }
        | undefined;
      if (status?.updatedReplicas === 3 && status.availableReplicas === 3 && status.replicas === 3) {
        clearInterval(poll);
        resolve(performance.now());
      }
    }, 5);
  });
}

type Tool = [command: string, args: (namespace: string, name: string) => string[]];
const kubedog =
  (...extra: string[]): Tool[1] =>
  (namespace, name) => [
    KUBEDOG,
    'rollout',
    'track',
    `deploy/${name}`,
    '-n',
    namespace,
    '--kubeconfig',
    cluster.kubeconfigPath,
    '-q',
    ...extra,
  ];
const tools: Record<string, Tool> = {
  'kubedog rollout track': [process.execPath, kubedog()],
  'kubedog --watch-scope namespace': [process.execPath, kubedog('--watch-scope', 'namespace')],
};
const kubectl = which('kubectl');
if (kubectl)
  tools['kubectl rollout status'] = [
    kubectl,
    (namespace, name) => [
      'rollout',
      'status',
      `deployment/${name}`,
      '-n',
      namespace,
      '--kubeconfig',
      cluster.kubeconfigPath,
    ],
  ];
const goKubedog = which('kubedog-go');
if (goKubedog)
  tools['kubedog (Go) rollout track'] = [
    goKubedog,
    (namespace, name) => [
      'rollout',
      'track',
      'deployment',
      name,
      '-n',
      namespace,
      '--kube-config',
      cluster.kubeconfigPath,
      '-t',
      '120',
    ],
  ];

// The churn runs a while first: the namespace is busy before anyone looks.
await new Promise((resolve) => setTimeout(resolve, 2000));
const results: Record<'quiet' | 'busy', Record<string, unknown>> = { quiet: {}, busy: {} };
let n = 0;
// Each tool in an empty namespace, then in the busy one: what the busy namespace costs it is the difference.
for (const [phase, namespace] of [
  ['quiet', 'quiet'],
  ['busy', 'default'],
] as const)
  for (const [tool, [command, args]] of Object.entries(tools)) {
    const name = `web-${++n}`;
    const bytesBefore = cluster.stats.bytesSent;
    await cluster.client.create('Deployment', web(name, namespace));
    const complete = completedAt(namespace, name);
    const run = await measureRun(command, args(namespace, name));
    const result = {
      exitCode: run.code,
      cpuSeconds: run.cpuSeconds,
      peakRssMb: run.peakRssMb,
      bytesReceived: cluster.stats.bytesSent - bytesBefore,
      exitAfterCompleteMs: run.exitedAt - (await complete),
    };
    results[phase][tool] = result;
    console.log(
      `${phase.padEnd(6)} ${tool.padEnd(32)} exit ${result.exitCode}  ${result.cpuSeconds.toFixed(2)} CPU s  ${result.peakRssMb.toFixed(0)} MB  ${(result.bytesReceived / 1024).toFixed(0)} kB received  exit ${result.exitAfterCompleteMs.toFixed(0)} ms after the rollout completed`,
    );
  }
clearInterval(churn);
// What any Node program costs before it does anything: the floor under kubedog's numbers.
const floor = await measureRun(process.execPath, ['-e', '0']);
console.log(`node -e 0: ${floor.cpuSeconds.toFixed(2)} CPU s  ${floor.peakRssMb.toFixed(0)} MB`);
console.log(
  `\n${OTHERS} other pods, ${RATE} changes/s (${changes} in all); ${process.version}${kubectl ? '' : '; kubectl is not installed'}${goKubedog ? '' : '; the Go kubedog is not built (bench/build-peers.sh)'}`,
);
saveResults('busy-namespace', {
  others: OTHERS,
  changesPerSecond: RATE,
  results,
  nodeFloor: { cpuSeconds: floor.cpuSeconds, peakRssMb: floor.peakRssMb },
});

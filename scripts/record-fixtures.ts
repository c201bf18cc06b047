/**
 * Records the fixture library: each scenario of src/testing/fixtures.ts is
 * played on a fresh cluster while a recording client tracks it.
 * Usage: tsx scripts/record-fixtures.ts [--real] [NAME ...]   (default: all)
 *   --real: on a real control plane with simulated nodes (e2e/, built by
 *   e2e/build.sh); scenarios that need a controller it lacks stay simulated.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type ControlPlane, startControlPlane } from '../e2e/control-plane.js';
import { defaultServiceAccount } from '../e2e/test/helpers.js';
import { KubeClient } from '../src/kube/client.js';
import { kubeConfigFromString } from '../src/kube/config.js';
import { applyManifests } from '../src/testing/apply.js';
import { startFakeCluster } from '../src/testing/cluster.js';
import { FIXTURE_SCENARIOS, type FixtureScenario, type ScenarioCluster } from '../src/testing/fixtures.js';
import type { TrackEvent } from '../src/track/events.js';
import { trackResource } from '../src/track/resource.js';

const args = process.argv.slice(2);
const real = args.includes('--real');
const wanted = args.filter((a) => a !== '--real');
const bin = real
  ? execFileSync('bash', ['e2e/build.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim()
  : '';

/** A fresh cluster for one scenario, and the client a recording connects with. */
async function freshCluster(scenario: FixtureScenario, record: string) {
  if (!real || scenario.simulatedOnly) {
    const cluster = await startFakeCluster();
    const client = new KubeClient(kubeConfigFromString(cluster.kubeconfig), { record });
    return { cluster: cluster as ScenarioCluster, client, where: 'simulated', stop: () => cluster.close() };
  }
  const plane: ControlPlane = await startControlPlane({ bin, controllers: true, nodes: 3 });
  const admin = KubeClient.fromKubeConfig({ kubeconfig: plane.kubeconfigPath, context: 'admin' });
  await defaultServiceAccount(admin, 'default');
  const nodes = plane.nodes;
  if (!nodes) throw new Error('no simulated nodes');
  const cluster: ScenarioCluster = {
    client: admin,
    apply: (manifests) => applyManifests(admin, manifests),
    pod: (pattern) => nodes.pod(pattern),
  };
  const client = KubeClient.fromKubeConfig({ kubeconfig: plane.kubeconfigPath, context: 'admin', record });
  const stop = async () => {
    if (nodes.errors.length > 0) console.log(`     node errors: ${nodes.errors.join('; ')}`);
    await admin.close();
    await plane.stop();
  };
  return { cluster, client, where: 'real control plane', stop };
}

/** The recording's header says which Kubernetes it was recorded on (the API server's gitVersion). */
async function noteVersion(file: string, client: KubeClient): Promise<void> {
  const { gitVersion } = await client.requestJson<{ gitVersion: string }>('GET', '/version');
  const [header = '', ...rest] = readFileSync(file, 'utf8').split('\n');
  writeFileSync(
    file,
    [JSON.stringify({ ...JSON.parse(header), kubernetes: gitVersion }), ...rest].join('\n'),
  );
}

let failures = 0;
for (const scenario of FIXTURE_SCENARIOS) {
  if (wanted.length > 0 && !wanted.includes(scenario.name)) continue;
  const file = new URL(`../fixtures/scenarios/${scenario.name}.ndjson`, import.meta.url).pathname;
  mkdirSync(dirname(file), { recursive: true });
  const { cluster, client, where, stop } = await freshCluster(scenario, file);
  try {
    await scenario.setup(cluster);
    const started = performance.now();
    const events: TrackEvent[] = [];
    for await (const event of trackResource(
      client,
      { kind: scenario.kind, name: scenario.resource },
      // The namespace's watches: a replay serves trackers of either scope from them (filtered by their selectors).
      { timeout: 60_000, watchScope: 'namespace', ...scenario.options },
    ))
      events.push(event);
    await client.close();
    await noteVersion(file, cluster.client);
    const last = events.at(-1);
    const end = last?.type === 'failed' ? `failed ${last.reason}` : last?.type;
    const expected = scenario.expect.end === 'failed' ? `failed ${scenario.expect.reason}` : 'ready';
    const ok = end === expected;
    if (!ok) failures++;
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${scenario.name} (${where}): ${end} in ${((performance.now() - started) / 1000).toFixed(1)}s (expected ${expected})`,
    );
  } finally {
    await stop();
  }
}
process.exitCode = failures > 0 ? 1 : 0;

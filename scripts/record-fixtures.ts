/**
 * Records the fixture library: each scenario of src/testing/fixtures.ts is
 * played on a fresh simulated cluster while a recording client tracks it.
 * Usage: tsx scripts/record-fixtures.ts [NAME ...]   (default: all)
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { KubeClient } from '../src/kube/client.js';
import { kubeConfigFromString } from '../src/kube/config.js';
import { startFakeCluster } from '../src/testing/cluster.js';
import { FIXTURE_SCENARIOS } from '../src/testing/fixtures.js';
import type { TrackEvent } from '../src/track/events.js';
import { trackResource } from '../src/track/resource.js';

const wanted = process.argv.slice(2);
let failures = 0;
for (const scenario of FIXTURE_SCENARIOS) {
  if (wanted.length > 0 && !wanted.includes(scenario.name)) continue;
  const file = new URL(`../fixtures/scenarios/${scenario.name}.ndjson`, import.meta.url).pathname;
  mkdirSync(dirname(file), { recursive: true });
  await using cluster = await startFakeCluster();
  await scenario.setup(cluster);
  const client = new KubeClient(kubeConfigFromString(cluster.kubeconfig), { record: file });
  const started = performance.now();
  const events: TrackEvent[] = [];
  for await (const event of trackResource(
    client,
    { kind: scenario.kind, name: scenario.resource },
    { timeout: 60_000, ...scenario.options },
  ))
    events.push(event);
  await client.close();
  const last = events.at(-1);
  const end = last?.type === 'failed' ? `failed ${last.reason}` : last?.type;
  const expected = scenario.expect.end === 'failed' ? `failed ${scenario.expect.reason}` : 'ready';
  const alternatives = (scenario.expect.alsoReasons ?? []).map((reason) => `failed ${reason}`);
  const ok = end === expected || (end !== undefined && alternatives.includes(end));
  if (!ok) failures++;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${scenario.name}: ${end} in ${((performance.now() - started) / 1000).toFixed(1)}s (expected ${expected})`,
  );
}
process.exitCode = failures > 0 ? 1 : 0;

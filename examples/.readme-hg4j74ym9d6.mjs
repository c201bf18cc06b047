// node deploy.mjs app.yaml — apply the manifests, wait until every resource is ready, exit 0, 1 or 2.
import { readFileSync } from 'node:fs';
import { KubeClient, multitrack, specFromManifest } from '../dist/index.js';

const client = KubeClient.fromKubeConfig(); // KUBECONFIG, ~/.kube/config or in-cluster, like kubectl
try {
  const applied = await client.apply(readFileSync(process.argv[2], 'utf8'), { fieldManager: 'deploy' });
  const specs = applied.map((object) => specFromManifest(object));
  for await (const event of multitrack(client, specs, { timeout: 300_000, logs: false })) {
    if (event.type === 'ready') console.log(`✓ ${event.resource.kind}/${event.resource.name}`);
    if (event.type === 'failed')
      console.log(`✗ ${event.resource.kind}/${event.resource.name}: ${event.message}`);
    if (event.type === 'summary')
      process.exitCode = { ready: 0, failed: 1, timeout: 2, deleted: 1 }[event.summary.outcome];
  }
} finally {
  await client.close();
}

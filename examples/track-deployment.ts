import { trackDeployment } from 'kubedog';
import { startFakeCluster } from 'kubedog/testing';

// A simulated cluster where the image of version 2 cannot be pulled (images
// pull unless a scenario says they fail: the simulated nodes know no registry).
const cluster = await startFakeCluster();
cluster.pod('web-*').container('app').failsToPull();
try {
  await cluster.client.create('Deployment', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'registry.local/web:v2' }] },
      },
    },
  });

  for await (const event of trackDeployment(cluster.client, { name: 'web' }, { timeout: 60_000 })) {
    switch (event.type) {
      case 'added':
        console.log(`deployment/${event.resource.name}: ${event.verdict.message}`);
        break;
      case 'pod':
        if (event.change === 'added') console.log(`+ pod ${event.pod}`);
        break;
      case 'failed':
        console.log(`✗ ${event.reason}: ${event.message}\n  hint: ${event.hint}`);
        break;
      case 'ready':
        console.log(`✓ ${event.message}`);
        break;
    }
  }
} finally {
  await cluster.close();
}

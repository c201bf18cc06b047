import type { KubeClient } from 'kubedog';
import { startFakeCluster } from 'kubedog/testing';

// A simulated cluster, so this runs anywhere; with a real cluster use
// KubeClient.fromKubeConfig() (KUBECONFIG, ~/.kube/config or in-cluster, like kubectl).
const cluster = await startFakeCluster();
const client: KubeClient = cluster.client;
try {
  await client.create('Pod', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'registry.local/web:v1' }] },
  });
  cluster.logs.append('default', 'web-0', 'app', ['starting', 'listening on :8080']);

  // Every call takes an AbortSignal; this one bounds the whole example.
  const signal = AbortSignal.timeout(5_000);

  // list, then watch: the pods that exist arrive as ADDED, then every change,
  // exactly once even when the connection drops or the server answers 410 Gone.
  const watch = client.watch('pods', { labelSelector: 'app=web', signal });
  for await (const { type, object } of watch) {
    console.log(`${type} pod/${object.metadata.name}`);
    if (type === 'ADDED') break; // `break` closes the watch's connection at once
  }

  // Logs, line by line, with the container runtime's timestamps.
  for await (const line of client.logs({ name: 'web-0' }, { container: 'app', signal })) {
    console.log(`web-0 app | ${line.text}`);
  }
} finally {
  await cluster.close(); // its server would keep the process alive
}

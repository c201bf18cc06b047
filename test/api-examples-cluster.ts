/**
 * The simulated cluster the API examples run against (test/api.test.ts):
 * `client` talks to it, and it holds what the examples name — in namespace
 * `default`, a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, Pod,
 * Service, Ingress and PersistentVolumeClaim, all ready, and the Helm
 * release `shop`. KUBECONFIG points at it.
 */

import { specFromObject } from '../src/inputs/specs.js';
import { startFakeCluster } from '../src/testing/index.js';
import { multitrack } from '../src/track/multitrack.js';
import { helmReleaseSecret } from './cli/helpers.js';

const template = (app: string, container = 'app') => ({
  selector: { matchLabels: { app } },
  template: {
    metadata: { labels: { app } },
    spec: { containers: [{ name: container, image: `registry.local/${app}:v1` }] },
  },
});

const OBJECTS = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { replicas: 2, ...template('web') },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db' },
    spec: { replicas: 1, serviceName: 'db', ...template('db') },
  },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: template('agent') },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'cache' },
    spec: { replicas: 1, ...template('cache') },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate' },
    spec: {
      template: {
        spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'registry.local/web:v1' }] },
      },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', labels: { app: 'debug' } },
    spec: { containers: [{ name: 'app', image: 'registry.local/web:v1' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web' },
    spec: {
      rules: [
        {
          host: 'shop.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
            ],
          },
        },
      ],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  },
];

export async function prepareExampleCluster() {
  const cluster = await startFakeCluster();
  cluster
    .pod('migrate-*')
    .container('migrate')
    .exits(0, { after: '100ms', logs: ['migration 0042 applied'] });
  cluster.pod('web-0').container('app').logs(['starting', 'listening on :8080']);
  await cluster.apply(OBJECTS);
  // No storage controller here: the claim is bound by hand, as a provisioner would.
  const claim = await cluster.client.get('PersistentVolumeClaim', { name: 'data' });
  await cluster.client.replace(
    'PersistentVolumeClaim',
    { ...claim, status: { phase: 'Bound' } },
    { subresource: 'status' },
  );
  await cluster.client.create('Secret', helmReleaseSecret('shop', 'default', 1, OBJECTS.slice(0, 1)));
  for await (const event of multitrack(
    cluster.client,
    OBJECTS.map((o) => specFromObject(o)),
    { timeout: 20_000, logs: false },
  ))
    if (event.type === 'summary' && event.summary.outcome !== 'ready')
      throw new Error(`the example cluster is not ready: ${JSON.stringify(event.summary)}`);
  process.env.KUBECONFIG = cluster.kubeconfigPath;
  return cluster;
}

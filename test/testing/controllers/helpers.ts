import type { KubeObject } from '../../../src/kube/types.js';
import type { ManualClock } from '../../../src/testing/clock.js';
import type { FakeCluster } from '../../../src/testing/cluster.js';

export const clockOf = (cluster: FakeCluster) => cluster.clock as ManualClock;

/** A workload's pod template with one container. */
export function template(app: string, image: string, extra: Record<string, unknown> = {}) {
  return { metadata: { labels: { app } }, spec: { containers: [{ name: 'app', image }], ...extra } };
}

export function deploymentManifest(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: template(name, `registry.local/${name}:v1`),
      ...spec,
    },
  };
}

/** Lists objects of a kind in `default` (synchronously from the store, for assertions between clock steps). */
export async function list(cluster: FakeCluster, kind: string): Promise<KubeObject[]> {
  return (await cluster.client.list(kind, { namespace: 'default' })).items;
}

export const field = (object: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (current, key) =>
      typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined,
    object,
  );

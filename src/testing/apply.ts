import type { KubeClient } from '../kube/client.js';
import { manifestObjects } from '../kube/manifests.js';
import type { KubeObject } from '../kube/types.js';

/**
 * Applies manifests (YAML text, one object or several) the way `kubectl
 * apply` would: created when new, merged into the existing object otherwise.
 * Returns the objects as the server stored them.
 */
export async function applyManifests(
  client: KubeClient,
  manifests: string | KubeObject | KubeObject[],
): Promise<KubeObject[]> {
  const stored: KubeObject[] = [];
  for (const object of manifestObjects(manifests)) {
    const kind = object.kind ?? '';
    try {
      stored.push(await client.create(kind, object));
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
      const ref = { name: object.metadata.name ?? '', namespace: object.metadata.namespace };
      stored.push(await client.patch(kind, ref, object));
    }
  }
  return stored;
}

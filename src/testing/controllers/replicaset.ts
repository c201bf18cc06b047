import type { KubeObject } from '../../kube/types.js';
import {
  controllerRef,
  get,
  isTerminal,
  num,
  owned,
  podAvailable,
  podReady,
  podTemplate,
  type Runtime,
  typeOf,
} from './runtime.js';

/**
 * The ReplicaSet controller: keeps spec.replicas pods (created from the
 * template with generateName `<rs>-`, labels and a controller ownerReference),
 * deletes surplus pods (not-ready and newest first, as the real controller
 * ranks them), and writes replicas, fullyLabeledReplicas, readyReplicas,
 * availableReplicas (ready for minReadySeconds) and observedGeneration.
 * https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/
 */
export function reconcileReplicaSet(runtime: Runtime, namespace: string, name: string): void {
  const { store, clock } = runtime;
  const rs = store.get(typeOf('ReplicaSet'), namespace, name);
  if (!rs) return;
  const desired = num(rs, 'spec', 'replicas') ?? 1;
  const pods = owned(runtime, 'Pod', rs).filter((p) => !isTerminal(p) && !p.metadata.deletionTimestamp);
  if (pods.length < desired) {
    const template = podTemplate(rs);
    for (let i = pods.length; i < desired; i++) {
      const pod = store.create(typeOf('Pod'), {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          ...(template.metadata ?? {}),
          generateName: `${name}-`,
          namespace,
          ownerReferences: [controllerRef(rs)],
        },
        spec: structuredClone(get(template, 'spec') ?? {}),
      });
      runtime.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, {
        component: 'replicaset-controller',
      });
    }
  } else if (pods.length > desired) {
    const rank = (p: KubeObject) => (podReady(p) ? 1 : 0);
    const victims = [...pods]
      .sort(
        (a, b) =>
          rank(a) - rank(b) ||
          String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)),
      )
      .slice(0, pods.length - desired);
    for (const pod of victims) {
      runtime.deletePod(namespace, pod.metadata.name ?? '');
      runtime.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, {
        component: 'replicaset-controller',
      });
    }
  }
  // Terminating pods no longer count (the controller already replaced them).
  const current = owned(runtime, 'Pod', rs).filter((p) => !isTerminal(p) && !p.metadata.deletionTimestamp);
  const selector =
    (get(rs, 'spec', 'template', 'metadata', 'labels') as Record<string, string> | undefined) ?? {};
  const minReady = num(rs, 'spec', 'minReadySeconds') ?? 0;
  const fresh = store.get(typeOf('ReplicaSet'), namespace, name);
  if (!fresh) return;
  const status = {
    ...((fresh.status as object) ?? {}),
    replicas: current.length,
    fullyLabeledReplicas: current.filter((p) =>
      Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v),
    ).length,
    readyReplicas: current.filter(podReady).length,
    availableReplicas: current.filter((p) => podAvailable(p, minReady, clock.now())).length,
    observedGeneration: fresh.metadata.generation,
  };
  store.replaceStatus(typeOf('ReplicaSet'), namespace, name, status);
  if (minReady > 0 && status.availableReplicas < status.readyReplicas) {
    // Ready pods become available minReadySeconds later: look again then.
    clock.after(minReady * 1000, () => runtime.enqueue(`ReplicaSet/${namespace}/${name}`));
  }
}

import {
  controllerRef,
  get,
  intOrPercent,
  isTerminal,
  num,
  owned,
  podAvailable,
  podReady,
  podTemplate,
  REVISION_LABEL,
  type Runtime,
  revisionHash,
  str,
  typeOf,
} from './runtime.js';
import { ensureRevision } from './statefulset.js';

/**
 * The DaemonSet controller: one pod per Ready node (it tolerates cordoned
 * nodes, as DaemonSet pods do), bound to its node; RollingUpdate replaces
 * old pods while no more than maxUnavailable are unavailable; OnDelete
 * replaces only pods that were deleted.
 * https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/
 */
export function reconcileDaemonSet(runtime: Runtime, namespace: string, name: string): void {
  const { store, clock, events } = runtime;
  const ds = store.get(typeOf('DaemonSet'), namespace, name);
  if (!ds) return;
  const podType = typeOf('Pod');
  const template = podTemplate(ds);
  const hash = revisionHash(template);
  ensureRevision(runtime, ds, `${name}-${hash}`, template, hash);
  const nodes = store.list(typeOf('Node')).items.filter((node) => {
    const conditions = get(node, 'status', 'conditions');
    return Array.isArray(conditions) && conditions.some((c) => c?.type === 'Ready' && c?.status === 'True');
  });
  const nodeNames = new Set(nodes.map((n) => n.metadata.name ?? ''));
  const pods = owned(runtime, 'Pod', ds).filter((p) => !isTerminal(p));
  const onNode = (node: string) => pods.filter((p) => str(p, 'spec', 'nodeName') === node);
  for (const node of nodeNames) {
    if (onNode(node).length > 0) continue;
    const labels = {
      ...(template.metadata?.labels ?? {}),
      [REVISION_LABEL]: hash,
      'pod-template-generation': String(ds.metadata.generation ?? 1),
    };
    const pod = store.create(podType, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...(template.metadata ?? {}),
        generateName: `${name}-`,
        namespace,
        labels,
        ownerReferences: [controllerRef(ds)],
      },
      spec: { ...structuredClone((get(template, 'spec') as object) ?? {}), nodeName: node },
    });
    events.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, {
      component: 'daemonset-controller',
    });
  }
  for (const pod of pods) {
    if (nodeNames.has(str(pod, 'spec', 'nodeName') ?? '')) continue;
    runtime.deletePod(namespace, pod.metadata.name ?? '');
  }
  const desired = nodeNames.size;
  const minReady = num(ds, 'spec', 'minReadySeconds') ?? 0;
  if ((str(ds, 'spec', 'updateStrategy', 'type') ?? 'RollingUpdate') === 'RollingUpdate') {
    const maxUnavailable = Math.max(
      1,
      intOrPercent(get(ds, 'spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable'), desired, '1', true),
    );
    const current = owned(runtime, 'Pod', ds).filter((p) => !isTerminal(p));
    const unavailable = desired - current.filter((p) => podAvailable(p, minReady, clock.now())).length;
    const old = current
      .filter((p) => p.metadata.labels?.[REVISION_LABEL] !== hash)
      .sort((a, b) => Number(podReady(a)) - Number(podReady(b)));
    // Unavailable old pods cost nothing to replace; available ones only within the budget.
    let budget = maxUnavailable - unavailable;
    for (const pod of old) {
      const costs = podAvailable(pod, minReady, clock.now());
      if (costs && budget <= 0) continue;
      runtime.deletePod(namespace, pod.metadata.name ?? '');
      events.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, {
        component: 'daemonset-controller',
      });
      if (costs) budget--;
    }
  }
  const after = owned(runtime, 'Pod', ds).filter((p) => !isTerminal(p));
  const fresh = store.get(typeOf('DaemonSet'), namespace, name);
  if (!fresh) return;
  const available = after.filter((p) => podAvailable(p, minReady, clock.now())).length;
  const status = {
    ...((fresh.status as object) ?? {}),
    observedGeneration: fresh.metadata.generation,
    desiredNumberScheduled: desired,
    currentNumberScheduled: new Set(after.map((p) => str(p, 'spec', 'nodeName'))).size,
    numberMisscheduled: 0,
    numberReady: after.filter(podReady).length,
    numberAvailable: available,
    numberUnavailable: Math.max(0, desired - available),
    updatedNumberScheduled: after.filter((p) => p.metadata.labels?.[REVISION_LABEL] === hash).length,
  };
  store.replaceStatus(typeOf('DaemonSet'), namespace, name, status);
}

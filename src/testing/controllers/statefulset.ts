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
  REVISION_LABEL,
  type Runtime,
  revisionHash,
  str,
  typeOf,
} from './runtime.js';

/**
 * The StatefulSet controller: pods `<name>-<ordinal>` created in order, each
 * waiting for the previous to be Running and Ready (OrderedReady; Parallel
 * creates them at once); RollingUpdate from the highest ordinal down to the
 * partition, one pod at a time; OnDelete recreates deleted pods at the update
 * revision and touches nothing else. ControllerRevisions hold the templates;
 * currentRevision becomes updateRevision once every pod is updated.
 * https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/
 */
export function reconcileStatefulSet(runtime: Runtime, namespace: string, name: string): void {
  const { store, clock, events } = runtime;
  const sts = store.get(typeOf('StatefulSet'), namespace, name);
  if (!sts) return;
  const podType = typeOf('Pod');
  const replicas = num(sts, 'spec', 'replicas') ?? 1;
  const template = podTemplate(sts);
  const updateRevision = `${name}-${revisionHash(template)}`;
  ensureRevision(runtime, sts, updateRevision, template);
  const currentRevision = str(sts, 'status', 'currentRevision') || updateRevision;
  const strategy = str(sts, 'spec', 'updateStrategy', 'type') ?? 'RollingUpdate';
  const partition = num(sts, 'spec', 'updateStrategy', 'rollingUpdate', 'partition') ?? 0;
  const parallel = str(sts, 'spec', 'podManagementPolicy') === 'Parallel';
  // Every pod holds its ordinal until it is gone: a terminating pod blocks its
  // replacement; a pod that ended (Failed/Succeeded) is deleted to be recreated.
  const pods = new Map(
    owned(runtime, 'Pod', sts).map((p) => [
      Number(p.metadata.labels?.['apps.kubernetes.io/pod-index'] ?? -1),
      p,
    ]),
  );
  for (const pod of pods.values()) {
    if (isTerminal(pod) && !pod.metadata.deletionTimestamp)
      runtime.deletePod(namespace, pod.metadata.name ?? '');
  }
  const revisionOf = (p: KubeObject) => p.metadata.labels?.[REVISION_LABEL] ?? '';

  // Create missing pods in order.
  for (let ordinal = 0; ordinal < replicas; ordinal++) {
    const pod = pods.get(ordinal);
    if (!pod) {
      const revision = strategy === 'OnDelete' || ordinal >= partition ? updateRevision : currentRevision;
      const podName = `${name}-${ordinal}`;
      const labels = {
        ...(template.metadata?.labels ?? {}),
        [REVISION_LABEL]: revision,
        'statefulset.kubernetes.io/pod-name': podName,
        'apps.kubernetes.io/pod-index': String(ordinal),
      };
      const revisionTemplate =
        revision === updateRevision ? template : (revisionData(runtime, namespace, revision) ?? template);
      store.create(podType, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          ...(revisionTemplate.metadata ?? {}),
          name: podName,
          namespace,
          labels,
          ownerReferences: [controllerRef(sts)],
        },
        spec: {
          ...structuredClone((get(revisionTemplate, 'spec') as object) ?? {}),
          hostname: podName,
          subdomain: str(sts, 'spec', 'serviceName') ?? '',
        },
      });
      events.record(
        sts,
        'Normal',
        'SuccessfulCreate',
        `create Pod ${podName} in StatefulSet ${name} successful`,
        { component: 'statefulset-controller' },
      );
      if (!parallel) break;
    } else if (!parallel && !podReady(pod)) {
      break;
    }
  }
  // Scale down from the highest ordinal.
  for (const [ordinal, pod] of [...pods].sort((a, b) => b[0] - a[0])) {
    if (ordinal < replicas) continue;
    runtime.deletePod(namespace, pod.metadata.name ?? '');
    events.record(
      sts,
      'Normal',
      'SuccessfulDelete',
      `delete Pod ${pod.metadata.name} in StatefulSet ${name} successful`,
      { component: 'statefulset-controller' },
    );
    if (!parallel) break;
  }
  // Rolling update: highest ordinal first, down to the partition, once every pod is ready.
  const live = [...pods].filter(([ordinal]) => ordinal < replicas);
  if (strategy === 'RollingUpdate' && live.length === replicas && live.every(([, p]) => podReady(p))) {
    const stale = live
      .filter(([ordinal, p]) => ordinal >= partition && revisionOf(p) !== updateRevision)
      .sort((a, b) => b[0] - a[0])[0];
    if (stale) {
      runtime.deletePod(namespace, stale[1].metadata.name ?? '');
      events.record(
        sts,
        'Normal',
        'SuccessfulDelete',
        `delete Pod ${stale[1].metadata.name} in StatefulSet ${name} successful`,
        { component: 'statefulset-controller' },
      );
    }
  }

  const after = owned(runtime, 'Pod', sts).filter((p) => !isTerminal(p));
  const updated = after.filter((p) => revisionOf(p) === updateRevision).length;
  const fresh = store.get(typeOf('StatefulSet'), namespace, name);
  if (!fresh) return;
  const minReady = num(sts, 'spec', 'minReadySeconds') ?? 0;
  const status = {
    ...((fresh.status as object) ?? {}),
    observedGeneration: fresh.metadata.generation,
    replicas: after.length,
    readyReplicas: after.filter(podReady).length,
    availableReplicas: after.filter((p) => podAvailable(p, minReady, clock.now())).length,
    currentReplicas: after.filter((p) => revisionOf(p) === currentRevision).length,
    updatedReplicas: updated,
    currentRevision: updated === replicas && after.length === replicas ? updateRevision : currentRevision,
    updateRevision,
    collisionCount: 0,
  };
  store.replaceStatus(typeOf('StatefulSet'), namespace, name, status);
}

/**
 * One ControllerRevision per template, as the real controllers keep them,
 * labelled controller-revision-hash like the pods of that revision: the
 * StatefulSet controller writes the revision's name there, the DaemonSet
 * controller its hash.
 */
export function ensureRevision(
  runtime: Runtime,
  owner: KubeObject,
  name: string,
  template: KubeObject,
  hashLabel: string = name,
): void {
  const type = typeOf('ControllerRevision');
  const namespace = owner.metadata.namespace ?? '';
  if (runtime.store.get(type, namespace, name)) return;
  const revisions = owned(runtime, 'ControllerRevision', owner);
  runtime.store.create(type, {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace,
      labels: { ...(template.metadata?.labels ?? {}), [REVISION_LABEL]: hashLabel },
      ownerReferences: [controllerRef(owner)],
    },
    data: { spec: { template } },
    revision: revisions.reduce((n, r) => Math.max(n, Number(r.revision ?? 0)), 0) + 1,
  });
}

function revisionData(runtime: Runtime, namespace: string, name: string): KubeObject | undefined {
  const revision = runtime.store.get(typeOf('ControllerRevision'), namespace, name);
  return get(revision, 'data', 'spec', 'template') as KubeObject | undefined;
}

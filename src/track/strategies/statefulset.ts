import type { KubeObject } from '../../kube/types.js';
import { ALL_PODS, ownPods, type PodStrategy, REVISION_LABEL } from './strategy.js';

/** Whether the controller has seen the latest spec; until it has, which revision is current is unknown. */
function observed(object: KubeObject): boolean {
  const generation = object.metadata.generation;
  const seen = (object.status as { observedGeneration?: number } | undefined)?.observedGeneration;
  return generation === undefined || seen === undefined || seen >= generation;
}

/**
 * StatefulSet: pods of the update revision are current. Right after an
 * update the old revision's pods would pass for current: none is, until the
 * controller has observed the new spec.
 */
export const statefulSetPods: PodStrategy = {
  podOwners: ownPods.podOwners,
  currentRevision: (sts) => {
    if (!observed(sts)) return undefined;
    return (sts.status as { updateRevision?: string } | undefined)?.updateRevision ?? ALL_PODS;
  },
  revisionOf: (pod) => pod.metadata.labels?.[REVISION_LABEL] ?? '',
};

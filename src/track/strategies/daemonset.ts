import type { KubeObject } from '../../kube/types.js';
import { ALL_PODS, ownPods, type PodStrategy, REVISION_LABEL } from './strategy.js';

/**
 * The hash of a DaemonSet's ControllerRevision: its controller-revision-hash
 * label, which the controller also puts on the revision's pods (the name is
 * `<daemonset>-<hash>`, the fallback).
 */
function revisionHash(revision: KubeObject, daemonSet: KubeObject): string {
  const label = revision.metadata.labels?.[REVISION_LABEL];
  if (label) return label;
  return (revision.metadata.name ?? '').slice((daemonSet.metadata.name ?? '').length + 1);
}

/**
 * DaemonSet: pods of its newest ControllerRevision are current (the
 * controller labels them with its hash). Without ControllerRevisions (not
 * yet seen, or not allowed to watch them) every pod counts.
 */
export const daemonSetPods: PodStrategy = {
  revisions: { kind: 'ControllerRevision', announce: false, optional: true },
  podOwners: ownPods.podOwners,
  currentRevision: (daemonSet, revisions) => {
    let newest: KubeObject | undefined;
    for (const revision of revisions.values())
      if (!newest || Number(revision.revision ?? 0) > Number(newest.revision ?? 0)) newest = revision;
    return newest ? revisionHash(newest, daemonSet) : ALL_PODS;
  },
  revisionOf: (pod) => pod.metadata.labels?.[REVISION_LABEL] ?? '',
};

import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../kube/types.js';
import { condition } from '../../status/fields.js';
import { ALL_PODS, controllerUid, type PodStrategy, type Revisions } from './strategy.js';

/** The revision the deployment controller writes on a Deployment and its ReplicaSets. */
const revisionOf = (o: KubeObject) =>
  Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);

const newest = (list: KubeObject[]) =>
  list.reduce<KubeObject | undefined>((a, b) => (!a || revisionOf(b) > revisionOf(a) ? b : a), undefined);

/** A pod template without the label the controller adds to tell revisions apart. */
function templateWithoutHash(object: KubeObject): unknown {
  const template = (object.spec as { template?: KubeObject } | undefined)?.template;
  const labels = template?.metadata?.labels;
  if (!template || !labels || !('pod-template-hash' in labels)) return template;
  const { 'pod-template-hash': _hash, ...rest } = labels;
  return { ...template, metadata: { ...template.metadata, labels: rest } };
}

/**
 * The ReplicaSet of the current revision, as the deployment controller
 * finds it: the one whose pod template is the Deployment's (but for the
 * pod-template-hash label). The ReplicaSets and the Deployment come on
 * different watches, in either order: a ReplicaSet newer than the revision
 * of the Deployment at hand is the current one too (its Deployment update
 * is on the way).
 */
export function currentReplicaSet(deployment: KubeObject, revisions: Revisions): KubeObject | undefined {
  const owned = [...revisions.values()];
  const template = templateWithoutHash(deployment);
  const matching = newest(owned.filter((rs) => isDeepStrictEqual(templateWithoutHash(rs), template)));
  if (matching) return matching;
  const latest = newest(owned);
  return latest && revisionOf(latest) > revisionOf(deployment) ? latest : undefined;
}

/**
 * The ReplicaSet a Deployment's Progressing condition names — the
 * deployment controller's own words (`Created new replica set "web-5d9c"`,
 * `ReplicaSet "web-5d9c" is progressing.`, `… has successfully progressed.`)
 * — once it has observed the Deployment's current spec; undefined when it
 * names none.
 */
export function replicaSetNamedByStatus(deployment: KubeObject): string | undefined {
  const generation = deployment.metadata.generation;
  const observed = (deployment.status as { observedGeneration?: unknown } | undefined)?.observedGeneration;
  if (generation !== undefined && observed !== generation) return undefined;
  const message = condition(deployment, 'Progressing')?.message;
  return typeof message === 'string' ? /[Rr]eplica ?[Ss]et "([^"]+)"/.exec(message)?.[1] : undefined;
}

/**
 * A Deployment whose ReplicaSets may not be read: its pods belong through
 * stand-ins made from their controller references, and the current ones are
 * those of the ReplicaSet its Progressing condition names (all of them, when
 * it names none yet). Its verdict has no ReplicaSet of its own to read.
 */
export const deploymentPodsBySelector: PodStrategy = {
  podOwners: (_deployment, revisions) => [...revisions.keys()],
  currentRevision: (deployment, revisions) => {
    const named = replicaSetNamedByStatus(deployment);
    if (named === undefined) return ALL_PODS;
    for (const revision of revisions.values())
      if (revision.metadata.name === named) return revision.metadata.uid;
    return undefined;
  },
  revisionOf: (pod) => controllerUid(pod) ?? '',
};

/** Deployment: pods belong through its ReplicaSets; those of the current ReplicaSet are current. */
export const deploymentPods: PodStrategy = {
  revisions: { kind: 'ReplicaSet', announce: true, optional: false },
  withoutRevisions: deploymentPodsBySelector,
  podOwners: (_deployment, revisions) => [...revisions.keys()],
  currentRevision: (deployment, revisions) => currentReplicaSet(deployment, revisions)?.metadata.uid,
  revisionOf: (pod) => controllerUid(pod) ?? '',
  verdictContext: (_deployment, revisions, current) => {
    const newReplicaSet = typeof current === 'string' ? revisions.get(current) : undefined;
    return newReplicaSet ? { newReplicaSet } : {};
  },
};

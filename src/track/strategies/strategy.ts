import type { KubeObject } from '../../kube/types.js';
import type { PodProblemOptions } from '../../status/pod.js';
import type { VerdictContext } from '../../status/types.js';

/** The owned revision objects of a resource (ReplicaSets, ControllerRevisions), by uid. */
export type Revisions = ReadonlyMap<string, KubeObject>;

/** A current revision that takes every pod of the resource (apart from every revision name). */
export const ALL_PODS: unique symbol = Symbol('every pod of the resource');

/** Which pods are current: those of one revision (as {@link PodStrategy.revisionOf} names it), or {@link ALL_PODS}. */
export type CurrentRevision = string | typeof ALL_PODS;

/**
 * How a kind's pods are found and which of them are current, for a
 * tracker: pods belong to the resource through their controller (the
 * resource, or one of its ReplicaSets), and the current ones — those of the
 * revision being rolled out — are judged and followed from their start.
 * Pure: every answer comes from the objects given.
 */
export interface PodStrategy {
  /** Objects between the resource and its pods, watched alongside it (Deployment: ReplicaSets). */
  readonly revisions?: {
    kind: string;
    /** Each one is announced (`replicaset` events). */
    announce: boolean;
    /** The track goes on when they cannot be watched, whatever the error: its pods are then judged all together. */
    optional: boolean;
  };
  /**
   * How the pods are found and judged when the revisions may not be read
   * (403), the revisions then being stand-ins made from the pods' own
   * controller references ({@link standInRevision}); without it, the
   * strategy itself goes on with no revisions.
   */
  readonly withoutRevisions?: PodStrategy;
  /** How pod problems are judged (a Job's failed pods are its backoffLimit's business). */
  readonly podProblems?: PodProblemOptions;
  /** The resource is its own and only pod. */
  readonly self?: boolean;
  /** Uids of the controllers whose pods are the resource's: the resource itself, or its ReplicaSets. */
  podOwners(resource: KubeObject, revisions: Revisions): string[];
  /** The current revision: {@link ALL_PODS}, or undefined while it is not known (no pod is current). */
  currentRevision(resource: KubeObject, revisions: Revisions): CurrentRevision | undefined;
  /** A pod's revision, as {@link PodStrategy.currentRevision} names it. */
  revisionOf(pod: KubeObject): string;
  /** What the verdict needs besides the object and the pods (Deployment: its current ReplicaSet). */
  verdictContext?(
    resource: KubeObject,
    revisions: Revisions,
    current: CurrentRevision | undefined,
  ): Partial<VerdictContext>;
}

/** The uid of an object's controller (its ownerReference with `controller: true`). */
export function controllerUid(object: KubeObject): string | undefined {
  return object.metadata.ownerReferences?.find((r) => r.controller)?.uid;
}

/** The label controllers put on the pods of one revision (StatefulSet, DaemonSet). */
export const REVISION_LABEL = 'controller-revision-hash';

/** Pods controlled by the resource itself, all current (Job, ReplicaSet). */
export const ownPods: Pick<PodStrategy, 'podOwners' | 'currentRevision' | 'revisionOf'> = {
  podOwners: (resource) => (resource.metadata.uid ? [resource.metadata.uid] : []),
  currentRevision: () => ALL_PODS,
  revisionOf: () => '',
};

/**
 * What a pod says of its controller, as a revision object of `kind` that
 * the resource `owner` controls: the stand-in for a revision that may not
 * be read. Only a controller named `<resource>-<hash>` (no further dash:
 * not another resource's `<resource>-canary-<hash>`) is taken.
 */
export function standInRevision(pod: KubeObject, kind: string, owner: KubeObject): KubeObject | undefined {
  const reference = pod.metadata.ownerReferences?.find((r) => r.controller);
  const prefix = `${owner.metadata.name ?? ''}-`;
  if (!reference || reference.kind !== kind || !reference.name.startsWith(prefix)) return undefined;
  if (reference.name.slice(prefix.length).includes('-') || !owner.metadata.uid) return undefined;
  return {
    apiVersion: reference.apiVersion,
    kind,
    metadata: {
      name: reference.name,
      uid: reference.uid,
      ownerReferences: [
        {
          apiVersion: owner.apiVersion ?? '',
          kind: owner.kind ?? '',
          name: owner.metadata.name ?? '',
          uid: owner.metadata.uid,
          controller: true,
        },
      ],
    },
  };
}

import type { ResourceType } from '../../kube/resources.js';
import { daemonSetPods } from './daemonset.js';
import { deploymentPods } from './deployment.js';
import { jobPods, podItself, replicaSetPods } from './owned.js';
import { statefulSetPods } from './statefulset.js';
import type { PodStrategy } from './strategy.js';

/**
 * Pod strategies by "group/Kind", the way status rules are registered: a
 * kind that runs pods through owners of its own (an Argo Rollout owns
 * ReplicaSets) is one more entry. Kinds without one have no pods to follow.
 */
export const POD_STRATEGIES: Readonly<Record<string, PodStrategy>> = {
  '/Pod': podItself,
  'apps/Deployment': deploymentPods,
  'apps/ReplicaSet': replicaSetPods,
  'apps/StatefulSet': statefulSetPods,
  'apps/DaemonSet': daemonSetPods,
  'batch/Job': jobPods,
};

export function podStrategyFor(type: ResourceType): PodStrategy | undefined {
  return POD_STRATEGIES[`${type.group}/${type.kind}`];
}

export {
  ALL_PODS,
  type CurrentRevision,
  controllerUid,
  type PodStrategy,
  type Revisions,
} from './strategy.js';

import type { KubeObject } from '../kube/types.js';
import { condition, describeCondition, name, num } from './fields.js';
import { generic } from './generic.js';
import { podsVerdict } from './pod.js';
import { Reason } from './reasons.js';
import type { Verdict, VerdictContext } from './types.js';
import { failed, progressing, ready } from './verdict.js';

/** ReplicaSet: available, ready and fully labeled replicas against desired; ReplicaFailure. */
export function replicaSet(object: KubeObject, context: VerdictContext): Verdict {
  const early = generic(object);
  if (early) return early;
  const rsName = name(object);
  const desired = num(object, 'spec', 'replicas') ?? 1;
  const readyCount = num(object, 'status', 'readyReplicas') ?? 0;
  const available = num(object, 'status', 'availableReplicas') ?? 0;
  const labeled = num(object, 'status', 'fullyLabeledReplicas') ?? 0;
  const progress = { desired, ready: readyCount, available };
  const replicaFailure = condition(object, 'ReplicaFailure');
  if (replicaFailure?.status === 'True') {
    return failed(
      Reason.ReplicaFailure,
      `replicaset "${rsName}" cannot create pods: ${describeCondition(replicaFailure)}`,
      {
        hint: 'check ResourceQuota and LimitRange objects and admission webhooks named in the message',
        progress,
      },
    );
  }
  const pods = podsVerdict(desired, context);
  if (pods.failure) return { ...pods.failure, progress };
  if (available >= desired && readyCount >= desired && labeled >= desired) {
    return ready(Reason.Ready, `replicaset "${rsName}" has ${available} available replicas`, { progress });
  }
  const what =
    readyCount < desired
      ? `${readyCount} of ${desired} replicas are ready`
      : `${available} of ${desired} replicas are available`;
  return progressing(
    Reason.WaitingForAvailable,
    `Waiting for replicaset "${rsName}": ${what}...${pods.worst ? ` (${pods.worst.message})` : ''}`,
    {
      progress,
      ...(pods.worst?.hint ? { hint: pods.worst.hint } : {}),
    },
  );
}

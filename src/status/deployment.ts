import type { KubeObject } from '../kube/types.js';
import { bool, condition, describeCondition, name, num, str } from './fields.js';
import { generic } from './generic.js';
import { failuresAllowed, podsVerdict } from './pod.js';
import { Reason } from './reasons.js';
import type { Verdict, VerdictContext } from './types.js';
import { failed, progressing, ready } from './verdict.js';

/**
 * Deployment: kubectl rollout status' ordered rules (updated < desired; old
 * replicas pending termination; available < updated), with the messages
 * users know, plus what kubectl leaves to the progress deadline:
 * ReplicaFailure on the Deployment or its new ReplicaSet (quota, admission)
 * and failing pods of the new ReplicaSet, judged as soon as they exceed the
 * failure allowance. Ready only when every replica is updated and available
 * and no old replica is left.
 * https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/rollout_status.go
 */
export function deployment(object: KubeObject, context: VerdictContext): Verdict {
  const early = generic(object);
  if (early) return early;
  const deploymentName = name(object);
  const desired = num(object, 'spec', 'replicas') ?? 1;
  const updated = num(object, 'status', 'updatedReplicas') ?? 0;
  const replicas = num(object, 'status', 'replicas') ?? 0;
  const available = num(object, 'status', 'availableReplicas') ?? 0;
  const readyCount = num(object, 'status', 'readyReplicas') ?? 0;
  const progress = { desired, updated, ready: readyCount, available };
  const waiting = `Waiting for deployment "${deploymentName}" rollout to finish`;

  const pinned = revisionPin(object, context.deploymentRevision);
  if (pinned) return { ...pinned, progress };
  const progressingCondition = condition(object, 'Progressing');
  if (progressingCondition?.reason === 'ProgressDeadlineExceeded') {
    return failed(
      Reason.ProgressDeadlineExceeded,
      `deployment "${deploymentName}" exceeded its progress deadline`,
      {
        hint: 'the rollout made no progress within spec.progressDeadlineSeconds: see the pod errors and events',
        progress,
      },
    );
  }
  const replicaFailure = [
    condition(object, 'ReplicaFailure'),
    condition(context.newReplicaSet, 'ReplicaFailure'),
  ].find((c) => c?.status === 'True');
  const pods = podsVerdict(desired, context);
  if (replicaFailure) {
    // Quota and admission errors: the ReplicaSet controller retries, so it
    // counts against the allowance like a failing pod would.
    const allowed = failuresAllowed(context, desired);
    const message = `deployment "${deploymentName}" cannot create pods: ${describeCondition(replicaFailure)}`;
    const hint = 'check ResourceQuota and LimitRange objects and admission webhooks named in the message';
    if (allowed <= 1 || pods.failure) return failed(Reason.ReplicaFailure, message, { hint, progress });
    return progressing(Reason.ReplicaFailure, message, { hint, progress });
  }
  if (pods.failure) return { ...pods.failure, progress };
  if (updated >= desired && replicas <= updated && available >= updated) {
    return ready(Reason.Ready, `deployment "${deploymentName}" successfully rolled out`, { progress });
  }
  const problem = pods.worst;
  const extra = {
    progress,
    ...(bool(object, 'spec', 'paused')
      ? { hint: 'the deployment is paused: resume it with kubectl rollout resume' }
      : {}),
    ...(problem?.hint && !bool(object, 'spec', 'paused') ? { hint: problem.hint } : {}),
  };
  const suffix = problem ? ` (${problem.message})` : '';
  if (bool(object, 'spec', 'paused')) {
    return progressing(
      Reason.Paused,
      `deployment "${deploymentName}" is paused: ${updated} of ${desired} replicas updated`,
      extra,
    );
  }
  if (updated < desired) {
    return progressing(
      Reason.UpdatingReplicas,
      `${waiting}: ${updated} out of ${desired} new replicas have been updated...${suffix}`,
      extra,
    );
  }
  if (replicas > updated) {
    return progressing(
      Reason.OldReplicasPending,
      `${waiting}: ${replicas - updated} old replicas are pending termination...${suffix}`,
      extra,
    );
  }
  return progressing(
    Reason.WaitingForAvailable,
    `${waiting}: ${available} of ${updated} updated replicas are available...${suffix}`,
    extra,
  );
}

/**
 * `kubectl rollout status --revision N`: a Deployment running an older
 * revision is waited for (its controller may not have numbered the new
 * one yet, where kubectl gives up); a newer one is kubectl's error.
 */
function revisionPin(object: KubeObject, pinned: number | undefined): Verdict | undefined {
  // 0 is kubectl's default: the newest revision, whichever it is.
  if (!pinned) return undefined;
  const text = str(object, 'metadata', 'annotations', 'deployment.kubernetes.io/revision');
  const running = text !== undefined && /^\d+$/.test(text) ? Number(text) : 0;
  const deploymentName = name(object);
  if (running > pinned)
    return failed(
      Reason.RevisionReplaced,
      `deployment "${deploymentName}": desired revision (${pinned}) is different from the running revision (${running})`,
      { hint: `a newer rollout replaced it: kubectl rollout history deployment/${deploymentName}` },
    );
  if (running < pinned)
    return progressing(
      Reason.RevisionPending,
      `waiting for deployment "${deploymentName}" to reach revision ${pinned} (it is at ${running === 0 ? 'no revision yet' : `revision ${running}`})`,
    );
  return undefined;
}

import type { KubeObject } from '../kube/types.js';
import { name, num, str } from './fields.js';
import { generic } from './generic.js';
import { podsVerdict } from './pod.js';
import { Reason } from './reasons.js';
import type { Verdict, VerdictContext } from './types.js';
import { progressing, ready } from './verdict.js';

/**
 * StatefulSet, after kubectl rollout status, with two differences:
 * - RollingUpdate without a partition (or partition 0) is judged by
 *   currentRevision == updateRevision and every replica updated and ready —
 *   kubectl only compares revisions, which the controller can leave equal
 *   for a moment before it observes a template change.
 * - OnDelete is not an error (kubectl refuses it): ready when every pod is
 *   ready, with the updated count and a hint that pods must be deleted by hand.
 * observedGeneration 0 means not yet observed, as in kubectl.
 */
export function statefulSet(object: KubeObject, context: VerdictContext): Verdict {
  const early = generic(object);
  if (early) return early;
  const stsName = name(object);
  if ((num(object, 'status', 'observedGeneration') ?? 0) === 0) {
    return progressing(Reason.SpecNotObserved, 'Waiting for statefulset spec update to be observed...');
  }
  const desired = num(object, 'spec', 'replicas') ?? 1;
  const readyCount = num(object, 'status', 'readyReplicas') ?? 0;
  const updated = num(object, 'status', 'updatedReplicas') ?? 0;
  const available = num(object, 'status', 'availableReplicas') ?? readyCount;
  const progress = { desired, updated, ready: readyCount, available };
  const pods = podsVerdict(desired, context);
  if (pods.failure) return { ...pods.failure, progress };
  const problem = pods.worst ? ` (${pods.worst.message})` : '';
  const hint = pods.worst?.hint ? { hint: pods.worst.hint } : {};
  if (readyCount < desired) {
    return progressing(
      Reason.WaitingForReady,
      `Waiting for ${desired - readyCount} pods to be ready...${problem}`,
      { progress, ...hint },
    );
  }
  const strategy = str(object, 'spec', 'updateStrategy', 'type') ?? 'RollingUpdate';
  const updateRevision = str(object, 'status', 'updateRevision') ?? '';
  const currentRevision = str(object, 'status', 'currentRevision') ?? '';
  if (strategy === 'OnDelete') {
    const pending = updated < desired && updateRevision !== currentRevision;
    return ready(
      Reason.Ready,
      `statefulset "${stsName}": ${readyCount} pods ready, ${updated} of ${desired} updated`,
      {
        progress,
        ...(pending
          ? { hint: 'updateStrategy is OnDelete: delete the old pods by hand to update them' }
          : {}),
      },
    );
  }
  const partition = num(object, 'spec', 'updateStrategy', 'rollingUpdate', 'partition') ?? 0;
  if (partition > 0) {
    const target = Math.max(0, desired - partition);
    if (updated < target) {
      return progressing(
        Reason.PartitionedRollout,
        `Waiting for partitioned roll out to finish: ${updated} out of ${target} new pods have been updated...`,
        { progress },
      );
    }
    return ready(Reason.Ready, `partitioned roll out complete: ${updated} new pods have been updated...`, {
      progress,
    });
  }
  if (updateRevision !== currentRevision || updated < desired) {
    return progressing(
      Reason.RevisionUpdate,
      `waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision}...`,
      { progress },
    );
  }
  return ready(
    Reason.Ready,
    `statefulset rolling update complete ${num(object, 'status', 'currentReplicas') ?? updated} pods at revision ${currentRevision}...`,
    {
      progress,
    },
  );
}

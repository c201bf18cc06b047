import type { KubeObject } from '../kube/types.js';
import { name, num, str } from './fields.js';
import { generic } from './generic.js';
import { podsVerdict } from './pod.js';
import { Reason } from './reasons.js';
import type { Verdict, VerdictContext } from './types.js';
import { progressing, ready } from './verdict.js';

/**
 * DaemonSet, after kubectl rollout status: updatedNumberScheduled and
 * numberAvailable against desiredNumberScheduled; a status whose counters are
 * missing has not been written yet and is progressing. OnDelete (which
 * kubectl refuses) is ready when every scheduled pod is available, with a
 * hint when pods still run the old template.
 */
export function daemonSet(object: KubeObject, context: VerdictContext): Verdict {
  const early = generic(object);
  if (early) return early;
  const dsName = name(object);
  const desired = num(object, 'status', 'desiredNumberScheduled');
  const updated = num(object, 'status', 'updatedNumberScheduled');
  const available = num(object, 'status', 'numberAvailable');
  const readyCount = num(object, 'status', 'numberReady');
  const waiting = `Waiting for daemon set "${dsName}" rollout to finish`;
  if (desired === undefined || num(object, 'status', 'observedGeneration') === undefined) {
    return progressing(Reason.SpecNotObserved, 'Waiting for daemon set spec update to be observed...');
  }
  const progress = { desired, updated: updated ?? 0, ready: readyCount ?? 0, available: available ?? 0 };
  const pods = podsVerdict(desired, context);
  if (pods.failure) return { ...pods.failure, progress };
  const problem = pods.worst ? ` (${pods.worst.message})` : '';
  const hint = pods.worst?.hint ? { hint: pods.worst.hint } : {};
  const onDelete = str(object, 'spec', 'updateStrategy', 'type') === 'OnDelete';
  if (!onDelete && (updated ?? 0) < desired) {
    return progressing(
      Reason.UpdatingReplicas,
      `${waiting}: ${updated ?? 0} out of ${desired} new pods have been updated...${problem}`,
      {
        progress,
        ...hint,
      },
    );
  }
  if ((available ?? 0) < desired) {
    const of = onDelete
      ? `${available ?? 0} of ${desired} pods are available`
      : `${available ?? 0} of ${desired} updated pods are available`;
    return progressing(Reason.WaitingForAvailable, `${waiting}: ${of}...${problem}`, { progress, ...hint });
  }
  if (onDelete) {
    return ready(
      Reason.Ready,
      `daemon set "${dsName}": ${available} pods available, ${updated ?? 0} of ${desired} updated`,
      {
        progress,
        ...((updated ?? 0) < desired
          ? { hint: 'updateStrategy is OnDelete: delete the old pods by hand to update them' }
          : {}),
      },
    );
  }
  return ready(Reason.Ready, `daemon set "${dsName}" successfully rolled out`, { progress });
}

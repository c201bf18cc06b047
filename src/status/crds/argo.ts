import type { KubeObject } from '../../kube/types.js';
import { condition, describeCondition, field, list, name, str } from '../fields.js';
import { generic } from '../generic.js';
import { Reason } from '../reasons.js';
import type { Verdict } from '../types.js';
import { failed, progressing, ready } from '../verdict.js';

/**
 * Argo Rollouts Rollout: status.phase Healthy, Progressing, Paused or
 * Degraded (rollout/status.go `calculateRolloutPhase`), an aborted update,
 * InvalidSpec. A paused canary waits for its promotion: progressing, not
 * failed. https://argoproj.github.io/argo-rollouts/features/specification/
 */
export function argoRollout(object: KubeObject): Verdict {
  const early = generic(object);
  if (early) return early;
  const what = `rollout "${name(object)}"`;
  const message = str(object, 'status', 'message');
  const said = message ? `: ${message}` : '';
  const invalid = condition(object, 'InvalidSpec');
  if (invalid?.status === 'True')
    return failed('InvalidSpec', `${what}: ${describeCondition(invalid)}`, { hint: 'fix the Rollout spec' });
  const progress = condition(object, 'Progressing');
  if (field(object, 'status', 'abort') === true || progress?.reason === 'RolloutAborted')
    return failed('RolloutAborted', `${what} was aborted${said}`, {
      hint: 'the update was aborted (by an analysis or by hand): see the AnalysisRun, then retry or undo it',
    });
  const phase = str(object, 'status', 'phase');
  if (
    phase === 'Degraded' ||
    (progress?.status === 'False' && progress.reason === 'ProgressDeadlineExceeded')
  )
    return failed(Reason.Degraded, `${what} is Degraded${said}`, {
      hint: 'the new pods do not become available: see the pod errors above',
    });
  if (phase === 'Paused' || list(object, 'status', 'pauseConditions').length > 0)
    return progressing(Reason.Paused, `${what} is paused${said}`, {
      hint: 'waiting for promotion: kubectl argo rollouts promote NAME',
    });
  if (phase === 'Healthy') return ready(Reason.Ready, `${what} is Healthy`);
  return progressing(Reason.Progressing, `${what} is ${phase ?? 'progressing'}${said}`);
}

/** Argo CD Application: health and sync status. https://argo-cd.readthedocs.io/en/stable/operator-manual/health/ */
export function argoApplication(object: KubeObject): Verdict {
  const early = generic(object);
  if (early) return early;
  const what = `application "${name(object)}"`;
  const health = str(object, 'status', 'health', 'status') ?? 'Unknown';
  const sync = str(object, 'status', 'sync', 'status') ?? 'Unknown';
  const operation = str(object, 'status', 'operationState', 'phase');
  const message =
    str(object, 'status', 'health', 'message') ?? str(object, 'status', 'operationState', 'message');
  if (operation === 'Failed' || operation === 'Error') {
    return failed('SyncFailed', `${what}: sync ${operation.toLowerCase()}${message ? `: ${message}` : ''}`, {
      hint: 'see the sync result in Argo CD (argocd app get)',
    });
  }
  if (health === 'Degraded')
    return failed(Reason.Degraded, `${what} is Degraded${message ? `: ${message}` : ''}`);
  if (health === 'Healthy' && sync === 'Synced') return ready(Reason.Ready, `${what} is Healthy and Synced`);
  if (health === 'Suspended') {
    return progressing('Suspended', `${what} is Suspended`, {
      hint: 'a resource of the application is suspended (paused rollout or suspended job)',
    });
  }
  return progressing(Reason.Progressing, `${what}: health ${health}, sync ${sync}`);
}

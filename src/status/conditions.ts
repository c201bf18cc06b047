import type { KubeObject } from '../kube/types.js';
import { condition, describeCondition, name, str } from './fields.js';
import { generic } from './generic.js';
import { Reason } from './reasons.js';
import type { Verdict } from './types.js';
import { failed, progressing, ready } from './verdict.js';

const READY_CONDITIONS = ['Ready', 'Available', 'Succeeded', 'Complete'];
const READY_PHASES = new Set([
  'ready',
  'running',
  'succeeded',
  'active',
  'bound',
  'available',
  'healthy',
  'complete',
  'completed',
  'established',
  'deployed',
]);
const FAILED_PHASES = new Set(['failed', 'failure', 'error', 'degraded', 'lost']);

/** `Progressing=False` reasons that mean the controller gave up (Deployment, Argo Rollouts). */
const GAVE_UP = new Set(['ProgressDeadlineExceeded', 'RolloutAborted']);

/**
 * Failure evidence in a status, which outranks every readiness signal: a
 * failed phase or state, `Progressing=False` because the controller gave
 * up, `Succeeded=False` (Tekton, Knative: it ran and failed).
 */
function failureEvidence(object: KubeObject, what: string): Verdict | undefined {
  for (const key of ['phase', 'state']) {
    const word = str(object, 'status', key);
    if (word !== undefined && FAILED_PHASES.has(word.toLowerCase())) {
      const message = str(object, 'status', 'message');
      return failed(Reason.PhaseFailed, `${what} is ${word}${message ? `: ${message}` : ''}`);
    }
  }
  const progress = condition(object, 'Progressing');
  if (progress?.status === 'False' && GAVE_UP.has(progress.reason ?? ''))
    return failed(progress.reason as string, `${what}: ${describeCondition(progress)}`);
  const succeeded = condition(object, 'Succeeded');
  if (succeeded?.status === 'False')
    return failed(succeeded.reason ?? Reason.ConditionFalse, `${what}: ${describeCondition(succeeded)}`);
  return undefined;
}

/**
 * Any other kind: failure evidence first ({@link failureEvidence}), then the
 * first of the Ready, Available, Succeeded, Complete conditions (True →
 * ready; otherwise progressing with its reason and message), then
 * `status.phase` words (Ready/Running/Succeeded… → ready, others →
 * progressing), else ready once it exists.
 */
export function byConditions(object: KubeObject): Verdict {
  const early = generic(object);
  if (early) return early;
  const what = `${(object.kind ?? 'resource').toLowerCase()} "${name(object)}"`;
  const failure = failureEvidence(object, what);
  if (failure) return failure;
  for (const type of READY_CONDITIONS) {
    const c = condition(object, type);
    if (!c) continue;
    if (c.status === 'True') return ready(Reason.Ready, `${what}: ${type}`);
    return progressing(
      c.reason ?? Reason.ConditionFalse,
      `${what}: ${type} is ${c.status}: ${describeCondition(c)}`,
    );
  }
  const phase = str(object, 'status', 'phase');
  if (phase !== undefined) {
    const word = phase.toLowerCase();
    if (READY_PHASES.has(word)) return ready(Reason.Ready, `${what} is ${phase}`);
    return progressing(Reason.Progressing, `${what} is ${phase}`);
  }
  return ready(Reason.Exists, `${what} exists`);
}

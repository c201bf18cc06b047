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

/**
 * Any other kind: the first of the Ready, Available, Succeeded, Complete
 * conditions (True → ready; False → progressing with its reason and
 * message), then `status.phase` words (Ready/Running/Succeeded… → ready,
 * Failed/Error… → failed, others → progressing), else ready once it exists.
 */
export function byConditions(object: KubeObject): Verdict {
  const early = generic(object);
  if (early) return early;
  const what = `${(object.kind ?? 'resource').toLowerCase()} "${name(object)}"`;
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
    if (FAILED_PHASES.has(word)) {
      return failed(
        Reason.PhaseFailed,
        `${what} is ${phase}${str(object, 'status', 'message') ? `: ${str(object, 'status', 'message')}` : ''}`,
      );
    }
    return progressing(Reason.Progressing, `${what} is ${phase}`);
  }
  return ready(Reason.Exists, `${what} exists`);
}

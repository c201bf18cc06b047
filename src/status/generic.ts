import type { KubeObject } from '../kube/types.js';
import { condition, describeCondition, num, str } from './fields.js';
import { Reason } from './reasons.js';
import type { Verdict } from './types.js';
import { failed, progressing } from './verdict.js';

/** How kubectl names a kind in its messages ("daemon set", "deployment"). */
export function kindWord(object: KubeObject): string {
  const kind = object.kind ?? 'resource';
  return kind === 'DaemonSet' ? 'daemon set' : kind.toLowerCase();
}

/**
 * Checks that apply to every kind, before its own rule (kstatus' order):
 * being deleted; a spec the controller has not seen yet (observedGeneration
 * behind generation); the standard Stalled and Reconciling conditions.
 */
export function generic(object: KubeObject): Verdict | undefined {
  const name = str(object, 'metadata', 'name') ?? '';
  if (str(object, 'metadata', 'deletionTimestamp')) {
    return progressing(Reason.Terminating, `${kindWord(object)} "${name}" is terminating`);
  }
  const generation = num(object, 'metadata', 'generation');
  const observed = generationIn(object, 'status', 'observedGeneration');
  if (generation !== undefined && observed !== undefined && observed < generation) {
    return progressing(
      Reason.SpecNotObserved,
      `Waiting for ${kindWord(object)} spec update to be observed...`,
    );
  }
  const stalled = condition(object, 'Stalled');
  if (stalled?.status === 'True') {
    return failed(Reason.Stalled, `${kindWord(object)} "${name}" is stalled: ${describeCondition(stalled)}`);
  }
  const reconciling = condition(object, 'Reconciling');
  if (reconciling?.status === 'True') {
    return progressing(
      Reason.Reconciling,
      `${kindWord(object)} "${name}" is reconciling: ${describeCondition(reconciling)}`,
    );
  }
  return undefined;
}

/** A generation as a number, whether the status writes it as one or as a string (Argo Rollouts: "3"). */
function generationIn(object: KubeObject, ...path: string[]): number | undefined {
  const text = str(object, ...path);
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : num(object, ...path);
}

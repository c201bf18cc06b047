import type { KubeObject } from '../kube/types.js';
import { condition, conditions, describeCondition, num, str } from './fields.js';
import { Reason } from './reasons.js';
import type { Verdict } from './types.js';
import { failed, progressing } from './verdict.js';

/** How kubectl names a kind in its messages ("daemon set", "deployment"). */
export function kindWord(object: KubeObject): string {
  const kind = object.kind ?? 'resource';
  return kind === 'DaemonSet' ? 'daemon set' : kind.toLowerCase();
}

/** `kind "name"`, as messages about an object start. */
export function describeObject(object: KubeObject): string {
  return `${(object.kind ?? 'resource').toLowerCase()} "${str(object, 'metadata', 'name') ?? ''}"`;
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
  const behind = behindGeneration(object);
  if (behind !== undefined) {
    return progressing(
      Reason.SpecNotObserved,
      `Waiting for ${kindWord(object)} spec update to be observed...${behind ? ` (condition ${behind} is older)` : ''}`,
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

/**
 * Whether the status is older than the spec: `status.observedGeneration`
 * behind `metadata.generation` (''), or a condition's own observedGeneration
 * (kstatus conditions: Gateway API, Flux, cert-manager) — its type.
 */
function behindGeneration(object: KubeObject): string | undefined {
  const generation = num(object, 'metadata', 'generation');
  if (generation === undefined) return undefined;
  const observed = generationIn(object, 'status', 'observedGeneration');
  if (observed !== undefined && observed < generation) return '';
  return conditions(object).find((c) => {
    const seen = generationIn(c, 'observedGeneration');
    return seen !== undefined && seen < generation;
  })?.type;
}

/** A generation as a number, whether the status writes it as one or as a string (Argo Rollouts: "3"). */
function generationIn(object: unknown, ...path: string[]): number | undefined {
  const text = str(object, ...path);
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : num(object, ...path);
}

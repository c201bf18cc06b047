import { groupOf, isKubernetesGroup } from '../kube/resources.js';
import type { KubeObject } from '../kube/types.js';
import { conditions, describeCondition, num, record, str } from './fields.js';
import { describeObject, generic } from './generic.js';
import { Reason } from './reasons.js';
import type { Verdict } from './types.js';
import { failed, progressing, ready } from './verdict.js';
import { isFailureReason, stateWords, wordOf } from './words.js';

/** The standard readiness conditions, read first and in this order; then any other of the ready words. */
const STANDARD = ['Ready', 'Available', 'Succeeded', 'Complete'];

/** `Progressing=False` reasons that mean the controller gave up (Deployment, Argo Rollouts). */
const GAVE_UP = new Set(['ProgressDeadlineExceeded', 'RolloutAborted']);

/**
 * Failure evidence in a status, which outranks every readiness signal: a
 * state field with a failure word (Failed, Error, Degraded…), a condition
 * named by one (`Failed=True`, `Degraded=True`), `Progressing=False`
 * because the controller gave up, `Succeeded=False` (Tekton, Knative: it
 * ran and failed), or a readiness condition False for a failure reason
 * (`Ready=False` `ReconcileError`).
 */
export function failureEvidence(object: KubeObject, what: string): Verdict | undefined {
  const state = stateWords(object).find((s) => s.word === 'failed');
  if (state) {
    const message = str(object, 'status', 'message') ?? str(object, 'status', 'reason');
    return failed(Reason.PhaseFailed, `${what} is ${state.value}${message ? `: ${message}` : ''}`);
  }
  for (const c of conditions(object)) {
    if (c.status === 'True' && wordOf(c.type) === 'failed')
      return failed(c.reason ?? c.type, `${what}: ${c.type}: ${describeCondition(c)}`);
    if (c.status !== 'False') continue;
    if (c.type === 'Progressing' && GAVE_UP.has(c.reason ?? ''))
      return failed(c.reason as string, `${what}: ${describeCondition(c)}`);
    if (c.type === 'Succeeded' || (wordOf(c.type) === 'ready' && isFailureReason(c.reason)))
      return failed(
        c.reason ?? Reason.ConditionFalse,
        `${what}: ${c.type} is False: ${describeCondition(c)}`,
      );
  }
  return undefined;
}

/**
 * Readiness from the conditions: every condition named by a ready word
 * (Ready, Available, Succeeded, Complete first, then Healthy, Synced,
 * Running…) must be True; the first that is not is what it waits for.
 */
function conditionReadiness(object: KubeObject, what: string): Verdict | undefined {
  const readiness = conditions(object)
    .filter((c) => wordOf(c.type) === 'ready')
    .sort((a, b) => rank(a.type) - rank(b.type));
  const waiting = readiness.find((c) => c.status !== 'True');
  if (waiting)
    return progressing(
      waiting.reason ?? Reason.ConditionFalse,
      `${what}: ${waiting.type} is ${waiting.status}: ${describeCondition(waiting)}`,
    );
  const first = readiness[0];
  return first ? ready(Reason.Ready, `${what}: ${first.type}`) : undefined;
}

const rank = (type: string) => (STANDARD.includes(type) ? STANDARD.indexOf(type) : STANDARD.length);

/** Readiness from a state field: a ready or waiting word, or any other value (waiting). */
function stateReadiness(object: KubeObject, what: string): Verdict | undefined {
  const [state] = stateWords(object);
  if (state) {
    const says = `${what} is ${state.value}`;
    return state.word === 'ready' ? ready(Reason.Ready, says) : progressing(Reason.Progressing, says);
  }
  const phase = str(object, 'status', 'phase');
  return phase === undefined ? undefined : progressing(Reason.Progressing, `${what} is ${phase}`);
}

/**
 * An object whose status says nothing kubedog can read. Ready only when it
 * has no status at all (a ConfigMap, a Role), when its controller says it
 * has seen the current spec and nothing more (observedGeneration), or when
 * it is one of Kubernetes' own kinds; a custom resource with a status of
 * its own waits — "exists" would be a guess.
 */
function unreadable(object: KubeObject, what: string): Verdict {
  const status = record(object, 'status');
  const fields = Object.keys(status ?? {});
  if (fields.length === 0) return ready(Reason.Exists, `${what} exists (it reports no status)`);
  const generation = num(object, 'metadata', 'generation');
  if (generation !== undefined && num(object, 'status', 'observedGeneration') === generation)
    return ready(Reason.Observed, `${what}: its controller observed generation ${generation}`);
  if (isKubernetesGroup(groupOf(object)))
    return ready(Reason.Exists, `${what} exists (kubedog has no readiness rule for its kind)`);
  return progressing(
    Reason.UnknownStatus,
    `${what}: no readiness signal in its status (${fields.map((f) => `status.${f}`).join(', ')})`,
    {
      hint: `describe how ${object.kind ?? 'it'} reports readiness in a rules file (--rules), or do not wait for it`,
    },
  );
}

/**
 * A custom resource that reports no status while its controller is
 * expected to (`context.statusExpected`): not ready — "exists" would call
 * it ready before its controller has judged it. Undefined otherwise.
 */
export function awaitingStatus(object: KubeObject, statusExpected: boolean | undefined): Verdict | undefined {
  if (!statusExpected || isKubernetesGroup(groupOf(object))) return undefined;
  if (Object.keys(record(object, 'status') ?? {}).length > 0) return undefined;
  return progressing(
    Reason.AwaitingStatus,
    `${describeObject(object)}: waiting for its controller to report a status`,
    {
      hint: `its controller never reported a status: check that the operator of ${groupOf(object)} is running (its pods, their logs)`,
    },
  );
}

/**
 * Any kind without a rule of its own (the Go kubedog's generic tracker, with
 * failure evidence first): {@link failureEvidence}; then the readiness
 * conditions; then the state fields' words (status.phase, state, status,
 * health…, see words.ts); then {@link unreadable}.
 */
export function byConditions(object: KubeObject): Verdict {
  const early = generic(object);
  if (early) return early;
  const what = describeObject(object);
  return (
    failureEvidence(object, what) ??
    conditionReadiness(object, what) ??
    stateReadiness(object, what) ??
    unreadable(object, what)
  );
}

import type { KubeObject } from '../../kube/types.js';
import { configGraceMs } from '../events.js';
import { type Condition, conditions, describeCondition, field, str } from '../fields.js';
import { describeObject, generic } from '../generic.js';
import { Reason } from '../reasons.js';
import type { Verdict, VerdictContext, VerdictRule } from '../types.js';
import { failed, progressing, ready } from '../verdict.js';
import { isFailureReason } from '../words.js';

/**
 * Two shapes most custom resources report their state in, as rules: a set
 * of conditions, or one state field. A rule for a kind is one of these with
 * its project's words; kinds that need more (Argo Rollouts, Gateway API,
 * KubeVirt) have a function of their own.
 */

/** How one condition counts, when it is not the plain readiness of {@link ConditionsRule.ready}. */
export type ConditionCheck = (c: Condition) => 'failed' | 'waits' | 'grace' | undefined;

export interface ConditionsRule {
  /** Conditions that must all be True for ready, in the order they are waited for. */
  ready: readonly string[];
  /**
   * What any condition means besides: `failed` at once, `grace` — failed
   * once it has lasted `configGraceMs` (the controller may recover: a
   * Secret created later in the same release), `waits`. Default: one of
   * the ready conditions False for a failure reason ({@link isFailureReason}) is failed.
   */
  check?: ConditionCheck;
  /** What to check when it failed, in one line. */
  hint: string;
  /** Waits while this is true of the object (suspended, paused), saying why. */
  waitsWhile?: (object: KubeObject) => string | undefined;
}

const defaultCheck =
  (readyTypes: readonly string[]): ConditionCheck =>
  (c) =>
    c.status === 'False' && readyTypes.includes(c.type) && isFailureReason(c.reason) ? 'failed' : undefined;

/** A rule for a kind that reports its state in conditions. */
export function conditionsRule(rule: ConditionsRule): VerdictRule {
  const check = rule.check ?? defaultCheck(rule.ready);
  return (object, context) => {
    const early = generic(object);
    if (early) return early;
    const what = describeObject(object);
    const all = conditions(object);
    const judged = all.flatMap((c) => judgeCheck(check(c), c, what, rule.hint, context) ?? []);
    // Failure evidence first, whichever condition carries it.
    const said = judged.find((v) => v.state === 'failed') ?? judged[0];
    if (said) return said;
    const suspended = rule.waitsWhile?.(object);
    if (suspended) return progressing(Reason.Progressing, `${what} ${suspended}`);
    const waiting = rule.ready.map((type) => all.find((c) => c.type === type) ?? type);
    const notReady = waiting.find((c) => typeof c === 'string' || c.status !== 'True');
    if (notReady === undefined) return ready(Reason.Ready, `${what} is ${rule.ready.join(' and ')}`);
    if (typeof notReady === 'string')
      return progressing(Reason.Progressing, `${what}: no ${notReady} condition yet`);
    return progressing(
      notReady.reason ?? Reason.Progressing,
      `${what}: ${notReady.type} is ${notReady.status}: ${describeCondition(notReady)}`,
    );
  };
}

function judgeCheck(
  outcome: ReturnType<ConditionCheck>,
  c: Condition,
  what: string,
  hint: string,
  context: VerdictContext,
): Verdict | undefined {
  const says = `${what}: ${c.type} is ${c.status}: ${describeCondition(c)}`;
  if (outcome === 'failed') return failed(c.reason ?? c.type, says, { hint });
  if (outcome === 'waits') return progressing(c.reason ?? Reason.Progressing, says);
  if (outcome !== 'grace') return undefined;
  const lasted = lastedBeyondGrace(c, context);
  if (lasted !== undefined)
    return failed(c.reason ?? c.type, `${says} (for ${Math.round(lasted / 1000)}s)`, { hint });
  return progressing(c.reason ?? Reason.Progressing, says);
}

/**
 * How long a condition has held, when that is longer than the grace window
 * for what the controller may recover from (`configGraceMs`); else undefined.
 */
export function lastedBeyondGrace(c: Condition, context: VerdictContext): number | undefined {
  const since = Date.parse(c.lastTransitionTime ?? '');
  const lasted = Number.isNaN(since) ? 0 : context.now.getTime() - since;
  return lasted > configGraceMs(context) ? lasted : undefined;
}

export interface StateRule {
  /** Where the state is, under `status` ("phase", "PostgresClusterStatus"). */
  field: string;
  ready: readonly string[];
  /** Failed values, or every value not ready and not progressing. */
  failed: readonly string[] | 'others';
  /** Progressing values (needed when `failed` is 'others'). */
  progressing?: readonly string[];
  /** A field under `status` with the controller's explanation ("message", "phaseReason"). */
  message?: string;
  hint: string;
}

/** A rule for a kind that reports its state in one field of its status. */
export function stateRule(rule: StateRule): VerdictRule {
  return (object) => {
    const early = generic(object);
    if (early) return early;
    const what = describeObject(object);
    const value = str(object, 'status', rule.field);
    if (value === undefined) return progressing(Reason.Progressing, `${what}: no status.${rule.field} yet`);
    const why = rule.message ? str(object, 'status', rule.message) : undefined;
    const says = `${what} is ${value}${why ? `: ${why}` : ''}`;
    if (rule.ready.includes(value)) return ready(Reason.Ready, says);
    const failing =
      rule.failed === 'others' ? !(rule.progressing ?? []).includes(value) : rule.failed.includes(value);
    return failing
      ? failed(Reason.PhaseFailed, says, { hint: rule.hint })
      : progressing(Reason.Progressing, says);
  };
}

/** `spec.suspend: true` (Flux, Argo Workflows, KEDA's paused annotation aside): it does not reconcile. */
export function suspended(object: KubeObject): string | undefined {
  return field(object, 'spec', 'suspend') === true
    ? 'is suspended (spec.suspend): it is not reconciled'
    : undefined;
}

import { groupOf } from '../kube/resources.js';
import type { KubeObject } from '../kube/types.js';
import { awaitingStatus, byConditions } from './conditions.js';
import { customResourceDefinition } from './crd.js';
import { CRD_RULES, crdRuleByShape } from './crds/index.js';
import { daemonSet } from './daemonset.js';
import { deployment } from './deployment.js';
import { releaseRecordRule } from './helm.js';
import { job } from './job.js';
import { pod } from './pod.js';
import { persistentVolumeClaim } from './pvc.js';
import { redactCredentials } from './redact.js';
import { replicaSet } from './replicaset.js';
import { applyRule, findRule } from './rules.js';
import { ingress, service } from './service.js';
import { identifiable } from './shape.js';
import { statefulSet } from './statefulset.js';
import type { Verdict, VerdictContext, VerdictRule } from './types.js';

/** Kind rules by "group/Kind" (core kinds have an empty group). */
export const RULES: Readonly<Record<string, VerdictRule>> = {
  '/Pod': pod,
  '/Service': service,
  '/PersistentVolumeClaim': persistentVolumeClaim,
  'apps/Deployment': deployment,
  'apps/ReplicaSet': replicaSet,
  'apps/StatefulSet': statefulSet,
  'apps/DaemonSet': daemonSet,
  'batch/Job': job,
  'networking.k8s.io/Ingress': ingress,
  'apiextensions.k8s.io/CustomResourceDefinition': customResourceDefinition,
  ...CRD_RULES,
};

/**
 * The verdict on one object: `progressing`, `ready` or `failed`, with a
 * reason, a kubectl-like message, a hint for failures, and progress counts.
 *
 * Order: the user's rules for the kind (context.rules); a custom resource
 * without a status while its controller is expected to report one
 * (`context.statusExpected`) waits; then the built-in
 * rule for "group/Kind" (Kubernetes' kinds and over 60 custom resources of
 * common operators) — each starts with the generic checks (deletion,
 * observedGeneration, Stalled/Reconciling) — or Helm's status for a
 * release record (a Secret or ConfigMap of Helm's), then, for any other kind,
 * failure evidence first and the status' words (docs/readiness.md). Never touches the network or the clock
 * (`context.now` is the time), and never throws, whatever the object's shape.
 * Credentials its message quotes from the status are masked.
 * @example
 * import { computeVerdict } from 'kubedog';
 *
 * const job = await client.get('Job', { name: 'migrate' });
 * const verdict = computeVerdict(job, { now: new Date() });
 * console.log(`${verdict.state}: ${verdict.message}`);
 * // prints: ready: job "migrate" completed: 1 succeeded
 */
export function computeVerdict(object: KubeObject, context: VerdictContext): Verdict {
  return withoutCredentials(judge(identifiable(object), context));
}

function judge(object: KubeObject, context: VerdictContext): Verdict {
  const rule = context.rules ? findRule(context.rules, object) : undefined;
  if (rule) return applyRule(rule, object);
  const unreported = awaitingStatus(object, context.statusExpected);
  if (unreported) return unreported;
  const kindRule =
    RULES[`${groupOf(object)}/${object.kind ?? ''}`] ?? releaseRecordRule(object) ?? crdRuleByShape(object);
  return (kindRule ?? byConditions)(object, context);
}

/** A verdict's words quote the status (a condition's message): what they quote of a credential is masked. */
function withoutCredentials(verdict: Verdict): Verdict {
  const message = redactCredentials(verdict.message);
  const hint = verdict.hint === undefined ? undefined : redactCredentials(verdict.hint);
  if (message === verdict.message && hint === verdict.hint) return verdict;
  return { ...verdict, message, ...(hint !== undefined ? { hint } : {}) };
}

export { type Dependents, deletionVerdict } from './deletion.js';
export { classifyEvent, eventTime } from './events.js';
export { JOB_POD_PROBLEMS } from './job.js';
export {
  type PodProblemOptions,
  podEventProblems,
  podProblems,
  podStatusProblems,
  readinessWindowMs,
} from './pod.js';
export { FailureReason, Reason } from './reasons.js';
export { redactCredentials } from './redact.js';
export { type CustomRule, parseRules } from './rules.js';
export { type PodsJudgement, ProblemTally } from './tally.js';
export type {
  FailureClass,
  Problem,
  Progress,
  Verdict,
  VerdictContext,
  VerdictOptions,
  VerdictState,
} from './types.js';

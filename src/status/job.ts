import type { KubeObject } from '../kube/types.js';
import { bool, condition, describeCondition, field, name, num, str } from './fields.js';
import { generic } from './generic.js';
import { type PodProblemOptions, podsVerdict } from './pod.js';
import { Reason } from './reasons.js';
import type { Verdict, VerdictContext } from './types.js';
import { failed, progressing, ready } from './verdict.js';

/** Job pods that exit with an error are retried: the Job's backoffLimit decides when that is a failure. */
export const JOB_POD_PROBLEMS: PodProblemOptions = { countExitFailures: false };

/**
 * Job: Complete → ready; Failed → failed with the Job's reason
 * (BackoffLimitExceeded, DeadlineExceeded, PodFailurePolicy,
 * MaxFailedIndexesExceeded); suspended → progressing with a hint; not started
 * → progressing. A running Job is *not* ready: kstatus calls it Current, but
 * in CI "the migration job is running" is not "the migration succeeded".
 * Pods failing with errors are left to backoffLimit; pods that can never
 * start (bad image, missing config) fail the Job early.
 */
export function job(object: KubeObject, context: VerdictContext): Verdict {
  const early = generic(object);
  if (early) return early;
  const jobName = name(object);
  const active = num(object, 'status', 'active') ?? 0;
  const succeeded = num(object, 'status', 'succeeded') ?? 0;
  const failedCount = num(object, 'status', 'failed') ?? 0;
  const completions = num(object, 'spec', 'completions');
  const progress = {
    active,
    succeeded,
    failed: failedCount,
    ...(completions !== undefined ? { desired: completions } : {}),
  };
  const complete = condition(object, 'Complete');
  if (complete?.status === 'True') {
    return ready(Reason.JobComplete, `job "${jobName}" completed: ${succeeded} succeeded`, { progress });
  }
  // Since 1.31 the controller says a Job succeeded before its lingering pods are stopped; it cannot fail after that.
  const met = condition(object, 'SuccessCriteriaMet');
  if (met?.status === 'True') {
    return ready(Reason.JobComplete, `job "${jobName}" succeeded: ${describeCondition(met)}`, { progress });
  }
  const failure = condition(object, 'Failed');
  if (failure?.status === 'True') {
    return failed(
      failure.reason ?? Reason.PodFailed,
      `job "${jobName}" failed: ${describeCondition(failure)}`,
      {
        hint: jobHint(failure.reason),
        progress,
      },
    );
  }
  // Since 1.31 the controller sets FailureTarget/SuccessCriteriaMet before the final condition.
  const target = condition(object, 'FailureTarget');
  if (target?.status === 'True') {
    return failed(
      target.reason ?? Reason.PodFailed,
      // The same words as the Failed condition that follows: one failure, one message.
      `job "${jobName}" failed: ${describeCondition(target)}`,
      {
        hint: jobHint(target.reason),
        progress,
      },
    );
  }
  const lost = lostIndexes(object);
  if (lost) {
    return failed(Reason.FailedIndexes, `job "${jobName}" will fail: ${lost}`, {
      hint: jobHint(Reason.FailedIndexes),
      progress,
    });
  }
  if (bool(object, 'spec', 'suspend')) {
    return progressing(Reason.JobSuspended, `job "${jobName}" is suspended`, {
      hint: 'spec.suspend is true: the Job starts when it is resumed',
      progress,
    });
  }
  const pods = podsVerdict(1, context, JOB_POD_PROBLEMS);
  if (pods.failure) return { ...pods.failure, progress };
  if (!str(object, 'status', 'startTime')) {
    return progressing(Reason.JobNotStarted, `job "${jobName}" has not started yet`, { progress });
  }
  const of = completions !== undefined ? ` of ${completions}` : '';
  return progressing(
    Reason.JobRunning,
    `job "${jobName}" is running: ${active} active, ${succeeded}${of} succeeded, ${failedCount} failed${pods.worst ? ` (${pods.worst.message})` : ''}`,
    { progress, ...(pods.worst?.hint ? { hint: pods.worst.hint } : {}) },
  );
}

function jobHint(reason: string | undefined): string {
  switch (reason) {
    case 'BackoffLimitExceeded':
      return 'the pods failed more often than spec.backoffLimit allows: see their logs';
    case 'DeadlineExceeded':
      return 'the Job ran longer than spec.activeDeadlineSeconds';
    case 'PodFailurePolicy':
      return 'a pod failure matched a FailJob rule of spec.podFailurePolicy: see the pod logs';
    case 'MaxFailedIndexesExceeded':
      return 'more indexes failed than spec.maxFailedIndexes allows';
    case 'FailedIndexes':
      return "an index's pods failed more often than spec.backoffLimitPerIndex allows: see the logs of that index's pods";
    default:
      return 'see the logs of the Job pods';
  }
}

/**
 * An Indexed Job with failed indexes (backoffLimitPerIndex) and no successPolicy can only end
 * Failed (FailedIndexes): the controller waits for its other indexes to finish, then fails it.
 * With a successPolicy it may still succeed, so that is left to its conditions.
 */
function lostIndexes(object: KubeObject): string | undefined {
  const failedIndexes = str(object, 'status', 'failedIndexes');
  const limit = num(object, 'spec', 'backoffLimitPerIndex');
  if (!failedIndexes || limit === undefined) return undefined;
  if (field(field(object, 'spec'), 'successPolicy') !== undefined) return undefined;
  return `index ${failedIndexes} failed (more than backoffLimitPerIndex ${limit} failures); it fails with FailedIndexes once its other indexes finish`;
}

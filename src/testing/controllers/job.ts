import type { KubeObject } from '../../kube/types.js';
import {
  COMPLETION_INDEX,
  formatIndexes,
  type IndexedState,
  indexedOutcome,
  indexedState,
  isIndexed,
} from './job-indexes.js';
import {
  controllerRef,
  get,
  isTerminal,
  num,
  owned,
  podReady,
  podTemplate,
  type Runtime,
  setCondition,
  str,
  timestamp,
  typeOf,
} from './runtime.js';

const POD_BACKOFF_START = 10_000;
const POD_BACKOFF_MAX = 360_000;

/**
 * The Job controller: runs up to `parallelism` pods until `completions`
 * succeeded; failed pods are retried with back-off (10 s doubling to 6 min)
 * until more than `backoffLimit` failed (BackoffLimitExceeded);
 * activeDeadlineSeconds (DeadlineExceeded); podFailurePolicy rules on exit
 * codes (FailJob, Ignore, Count); suspend. Terminal conditions are written as
 * since Kubernetes 1.31: FailureTarget/SuccessCriteriaMet first, then Failed/Complete.
 * https://kubernetes.io/docs/concepts/workloads/controllers/job/
 */
export class JobController {
  readonly #runtime: Runtime;
  readonly #failedAt = new Map<string, number>();
  readonly #timers = new Map<string, () => void>();

  constructor(runtime: Runtime) {
    this.#runtime = runtime;
  }

  stopAll(): void {
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
  }

  reconcile(namespace: string, name: string): void {
    const { store, clock, events } = this.#runtime;
    const job = store.get(typeOf('Job'), namespace, name);
    const key = `${namespace}/${name}`;
    this.#timers.get(key)?.();
    this.#timers.delete(key);
    if (!job) return;
    const conditions = (get(job, 'status', 'conditions') as Record<string, unknown>[] | undefined) ?? [];
    const finished = conditions.some(
      (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
    );
    const pods = owned(this.#runtime, 'Pod', job);
    for (const pod of pods) {
      if (str(pod, 'status', 'phase') === 'Failed' && !this.#failedAt.has(pod.metadata.uid ?? '')) {
        this.#failedAt.set(pod.metadata.uid ?? '', clock.now());
      }
    }
    const policy = evaluateFailurePolicy(job, pods);
    const indexes = isIndexed(job) ? indexedState(job, pods, (p) => !isTerminal(p)) : undefined;
    const succeeded = indexes
      ? indexes.succeeded.size
      : pods.filter((p) => str(p, 'status', 'phase') === 'Succeeded').length;
    const failedCount = pods.filter(
      (p) => str(p, 'status', 'phase') === 'Failed' && !policy.ignored.has(p.metadata.uid ?? ''),
    ).length;
    const active = pods.filter((p) => !isTerminal(p));
    const parallelism = num(job, 'spec', 'parallelism') ?? 1;
    const completions = num(job, 'spec', 'completions') ?? 1;
    // With backoffLimitPerIndex each index has its own limit, and the Job's defaults to unbounded.
    const backoffLimit =
      num(job, 'spec', 'backoffLimit') ??
      (num(job, 'spec', 'backoffLimitPerIndex') !== undefined ? Number.POSITIVE_INFINITY : 6);
    const suspended = get(job, 'spec', 'suspend') === true;
    const now = timestamp(clock);
    const startTime = str(job, 'status', 'startTime') ?? (suspended ? undefined : now);
    const deadline = num(job, 'spec', 'activeDeadlineSeconds');
    let next = conditions;
    let completionTime = str(job, 'status', 'completionTime');
    const fail = (reason: string, message: string) => {
      next = setCondition(next, { type: 'FailureTarget', status: 'True', reason, message }, now, {
        lastProbeTime: now,
      });
      next = setCondition(next, { type: 'Failed', status: 'True', reason, message }, now, {
        lastProbeTime: now,
      });
      for (const pod of active) this.#runtime.deletePod(namespace, pod.metadata.name ?? '');
      events.record(job, 'Warning', reason, message, { component: 'job-controller' });
    };
    // As since v1.31: SuccessCriteriaMet, the pods still running stopped, then Complete once they are gone.
    const complete = (reason: string, message: string) => {
      next = setCondition(next, { type: 'SuccessCriteriaMet', status: 'True', reason, message }, now, {
        lastProbeTime: now,
      });
      // Complete on a later pass, when no pod was left to stop.
      for (const pod of active) this.#runtime.deletePod(namespace, pod.metadata.name ?? '');
      if (active.length > 0) return;
      next = setCondition(next, { type: 'Complete', status: 'True', reason, message }, now, {
        lastProbeTime: now,
      });
      completionTime = now;
      events.record(job, 'Normal', 'Completed', 'Job completed', { component: 'job-controller' });
    };
    const criteriaMet = conditions.find((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True');
    const decided = indexes && indexedOutcome(job, indexes);
    if (!finished) {
      if (policy.failJob) fail('PodFailurePolicy', policy.failJob);
      else if (decided?.failed) fail(decided.reason, decided.message);
      else if (failedCount > backoffLimit)
        fail('BackoffLimitExceeded', 'Job has reached the specified backoff limit');
      else if (
        deadline !== undefined &&
        startTime &&
        clock.now() - Date.parse(startTime) >= deadline * 1000
      ) {
        fail('DeadlineExceeded', 'Job was active longer than specified deadline');
      } else if (criteriaMet) complete(String(criteriaMet.reason), String(criteriaMet.message));
      else if (decided) complete(decided.reason, decided.message);
      else if (succeeded >= completions)
        complete('CompletionsReached', 'Reached expected number of succeeded pods');
      else if (!suspended) {
        const wanted = Math.min(parallelism, completions - succeeded) - active.length;
        const lastFailure = Math.max(
          0,
          ...[...this.#failedAt.entries()]
            .filter(([uid]) => pods.some((p) => p.metadata.uid === uid))
            .map(([, t]) => t),
        );
        const backoff =
          failedCount === 0 ? 0 : Math.min(POD_BACKOFF_START * 2 ** (failedCount - 1), POD_BACKOFF_MAX);
        const wait = lastFailure + backoff - clock.now();
        if (wanted > 0 && wait > 0) {
          this.#timers.set(
            key,
            clock.after(wait, () => this.#runtime.enqueue(`Job/${key}`)),
          );
        } else if (indexes) {
          for (const index of indexes.pending.slice(0, Math.max(0, parallelism - active.length)))
            this.#createPod(job, index);
        } else {
          for (let i = 0; i < wanted; i++) this.#createPod(job);
        }
        if (deadline !== undefined && startTime) {
          const remaining = Date.parse(startTime) + deadline * 1000 - clock.now();
          const existing = this.#timers.get(key);
          const cancelDeadline = clock.after(Math.max(0, remaining), () =>
            this.#runtime.enqueue(`Job/${key}`),
          );
          this.#timers.set(key, () => {
            existing?.();
            cancelDeadline();
          });
        }
      }
      if (suspended)
        next = setCondition(
          next,
          { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' },
          now,
          { lastProbeTime: now },
        );
    }
    const after = owned(this.#runtime, 'Pod', job);
    const status = {
      ...((job.status as object) ?? {}),
      ...(startTime ? { startTime } : {}),
      ...(completionTime ? { completionTime } : {}),
      active: after.filter((p) => !isTerminal(p)).length,
      ready: after.filter(podReady).length,
      succeeded,
      failed: failedCount,
      ...(indexes ? indexedStatus(job, indexes) : {}),
      terminating: 0,
      uncountedTerminatedPods: {},
      conditions: next,
    };
    const fresh = store.get(typeOf('Job'), namespace, name);
    if (!fresh) return;
    store.replaceStatus(typeOf('Job'), namespace, name, status);
  }

  /** A pod of the Job (of one index, for an Indexed Job: named, labelled and annotated with it). */
  #createPod(job: KubeObject, index?: number): void {
    const name = job.metadata.name ?? '';
    const uid = job.metadata.uid ?? '';
    const template = podTemplate(job);
    const indexed: Record<string, string> = index === undefined ? {} : { [COMPLETION_INDEX]: String(index) };
    const labels = {
      ...(template.metadata?.labels ?? {}),
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': uid,
      'job-name': name,
      ...indexed,
    };
    const pod = this.#runtime.store.create(typeOf('Pod'), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...(template.metadata ?? {}),
        generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
        namespace: job.metadata.namespace,
        labels,
        annotations: { ...(template.metadata?.annotations ?? {}), ...indexed },
        ownerReferences: [controllerRef(job)],
      },
      spec: { restartPolicy: 'Never', ...structuredClone((get(template, 'spec') as object) ?? {}) },
    });
    this.#runtime.events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, {
      component: 'job-controller',
    });
  }
}

/** An Indexed Job's status fields: the indexes that succeeded, and (with a per-index limit) those that failed. */
function indexedStatus(job: KubeObject, indexes: IndexedState): Record<string, unknown> {
  const perIndex = num(job, 'spec', 'backoffLimitPerIndex') !== undefined;
  return {
    completedIndexes: formatIndexes(indexes.succeeded),
    ...(perIndex ? { failedIndexes: formatIndexes(indexes.failed) } : {}),
  };
}

interface PolicyResult {
  failJob: string | undefined;
  ignored: Set<string>;
}

/** podFailurePolicy basics: onExitCodes rules with FailJob, Ignore and Count. */
function evaluateFailurePolicy(job: KubeObject, pods: KubeObject[]): PolicyResult {
  const rules =
    (get(job, 'spec', 'podFailurePolicy', 'rules') as Record<string, unknown>[] | undefined) ?? [];
  const result: PolicyResult = { failJob: undefined, ignored: new Set() };
  for (const pod of pods) {
    if (str(pod, 'status', 'phase') !== 'Failed') continue;
    const statuses = (get(pod, 'status', 'containerStatuses') as Record<string, unknown>[] | undefined) ?? [];
    for (const [index, rule] of rules.entries()) {
      const onExit = rule.onExitCodes as
        | { containerName?: string; operator?: string; values?: number[] }
        | undefined;
      if (!onExit) continue;
      const hit = statuses.find((s) => {
        const code = num(s, 'state', 'terminated', 'exitCode');
        if (code === undefined || code === 0) return false;
        if (onExit.containerName && s.name !== onExit.containerName) return false;
        const listed = (onExit.values ?? []).includes(code);
        return onExit.operator === 'NotIn' ? !listed : listed;
      });
      if (!hit) continue;
      if (rule.action === 'FailJob' && !result.failJob) {
        result.failJob = `Container ${String(hit.name)} for pod ${pod.metadata.namespace}/${pod.metadata.name} failed with exit code ${num(hit, 'state', 'terminated', 'exitCode')} matching FailJob rule at index ${index}`;
      }
      if (rule.action === 'Ignore') result.ignored.add(pod.metadata.uid ?? '');
      break;
    }
  }
  return result;
}

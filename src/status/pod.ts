import type { KubeObject } from '../kube/types.js';
import { events as eventProblems, redactCredentials } from './events.js';
import { condition, field, list, name, num, record, str } from './fields.js';
import { generic } from './generic.js';
import { Reason } from './reasons.js';
import type { FailureClass, Problem, Verdict, VerdictContext } from './types.js';
import { failed, progressing, ready } from './verdict.js';

/**
 * Pods: the container and pod failure classification every controller rule
 * uses, and the verdict of a bare Pod.
 *
 * Container waiting/terminated reasons are the kubelet's
 * (pkg/kubelet/images/types.go, pkg/kubelet/kuberuntime); see
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-states.
 */

const DEFAULT_UNSCHEDULABLE_GRACE_MS = 30_000;
const DEFAULT_CONFIG_GRACE_MS = 60_000;

interface ContainerView {
  name: string;
  init: boolean;
  status: Record<string, unknown>;
  spec: Record<string, unknown> | undefined;
}

function containers(pod: KubeObject): ContainerView[] {
  const specs = (key: string) => list(pod, 'spec', key).filter((c) => typeof field(c, 'name') === 'string');
  const view = (statusKey: string, specKey: string, init: boolean) =>
    list(pod, 'status', statusKey)
      .filter((s): s is Record<string, unknown> => typeof field(s, 'name') === 'string')
      .map((status) => ({
        name: status.name as string,
        init,
        status,
        spec: specs(specKey).find((c) => field(c, 'name') === status.name) as
          | Record<string, unknown>
          | undefined,
      }));
  return [
    ...view('initContainerStatuses', 'initContainers', true),
    ...view('containerStatuses', 'containers', false),
  ];
}

function image(container: ContainerView): string {
  return str(container.spec, 'image') ?? str(container.status, 'image') ?? 'the image';
}

/** Readiness probe budget: initialDelaySeconds + periodSeconds × failureThreshold, plus the startup probe's. */
export function readinessWindowMs(spec: unknown): number | undefined {
  const probe = record(spec, 'readinessProbe');
  if (!probe) return undefined;
  const budget = (p: Record<string, unknown> | undefined) =>
    p
      ? (num(p, 'initialDelaySeconds') ?? 0) +
        (num(p, 'periodSeconds') ?? 10) * (num(p, 'failureThreshold') ?? 3)
      : 0;
  return (budget(probe) + budget(record(spec, 'startupProbe'))) * 1000;
}

const configObject = /(configmap|secret)s? "([^"]+)" not found/i;

/**
 * What a failed image pull comes to: `image "web:v2": not found`. The
 * runtime's error wraps its cause Go-style (`rpc error: code = NotFound desc
 * = failed to pull and unpack image …: failed to resolve reference …: not
 * found`), so the cause is its last part; the whole error is in the pod's
 * Failed event. Other messages (an older kubelet's `Back-off pulling image`)
 * are kept as they are.
 */
function pullFailure(imageName: string, message: string): string {
  const rpc = message.indexOf('rpc error: code = ');
  if (rpc === -1) return message || `cannot pull image "${imageName}"`;
  const desc = message.indexOf(' desc = ', rpc);
  const error = desc === -1 ? message.slice(rpc) : message.slice(desc + ' desc = '.length);
  const last = error.lastIndexOf(': ');
  const cause = (last === -1 ? error : error.slice(last + 2)).trim();
  return `image "${imageName}": ${cause || error}`;
}

export interface PodProblemOptions {
  /**
   * Count containers that exited with an error. Off for Job pods: the Job's
   * backoffLimit decides when retries become a failure.
   */
  countExitFailures?: boolean;
}

/** Every problem a pod shows, classified. */
export function podProblems(
  pod: KubeObject,
  context: VerdictContext,
  options: PodProblemOptions = {},
): Problem[] {
  const podName = name(pod);
  const restartPolicy = str(pod, 'spec', 'restartPolicy') ?? 'Always';
  const countExit = options.countExitFailures ?? true;
  const problems: Problem[] = [];
  const add = (
    container: ContainerView | undefined,
    cls: FailureClass,
    reason: string,
    message: string,
    extra: { hint?: string; occurrences?: number; since?: string | undefined; graceMs?: number } = {},
  ) => {
    const problem: Problem = {
      class: cls,
      reason,
      message: redactCredentials(message),
      pod: podName,
      occurrences: extra.occurrences ?? 1,
    };
    if (container) problem.container = container.name;
    if (extra.hint) problem.hint = extra.hint;
    if (extra.since) problem.since = extra.since;
    if (extra.graceMs !== undefined) problem.graceMs = extra.graceMs;
    problems.push(problem);
  };
  const podStart = str(pod, 'status', 'startTime') ?? str(pod, 'metadata', 'creationTimestamp');

  for (const c of containers(pod)) {
    const restarts = num(c.status, 'restartCount') ?? 0;
    const waiting = record(c.status, 'state', 'waiting');
    const terminated = record(c.status, 'state', 'terminated');
    const running = record(c.status, 'state', 'running');
    const last = record(c.status, 'lastState', 'terminated');
    const where = `container ${c.name}`;
    if (waiting) {
      const reason = str(waiting, 'reason') ?? '';
      const message = str(waiting, 'message') ?? '';
      switch (reason) {
        case 'InvalidImageName':
          add(c, 'fatal-now', reason, `${where}: ${message || `invalid image name "${image(c)}"`}`, {
            hint: `the image reference "${image(c)}" is not valid: fix spec.containers[].image`,
          });
          break;
        case 'ErrImageNeverPull':
          add(
            c,
            'fatal-now',
            reason,
            `${where}: ${message || `image "${image(c)}" is not present and imagePullPolicy is Never`}`,
            {
              hint: 'imagePullPolicy is Never and the image is not on the node: load it there or change the policy',
            },
          );
          break;
        case 'ErrImagePull':
        case 'ImagePullBackOff':
          // ImagePullBackOff follows at least one failed pull (ErrImagePull): two failures seen.
          add(c, 'fatal-after-allowance', reason, `${where}: ${reason}: ${pullFailure(image(c), message)}`, {
            hint: `check the image name and tag ("${image(c)}"), that it exists in the registry, and the pod's imagePullSecrets`,
            occurrences: reason === 'ImagePullBackOff' ? 2 : 1,
          });
          break;
        case 'CrashLoopBackOff': {
          const exit = last ? describeExit(last) : 'exited';
          const oom = str(last, 'reason') === 'OOMKilled';
          add(
            c,
            'fatal-after-allowance',
            oom ? 'OOMKilled' : reason,
            `${where} keeps crashing (${exit}), restarted ${restarts} times`,
            {
              hint: oom
                ? oomHint(c)
                : 'see the last log lines of the previous container instance for why it exits',
              occurrences: Math.max(1, restarts),
            },
          );
          break;
        }
        case 'CreateContainerConfigError': {
          const missing = configObject.exec(message);
          add(c, 'fatal-after-grace', reason, `${where}: ${message || reason}`, {
            hint: missing
              ? `create the ${missing[1]?.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap'} "${missing[2]}" or fix the reference to it`
              : 'a ConfigMap, Secret or key the container refers to is missing',
            since: podStart,
            graceMs: context.configGraceMs ?? DEFAULT_CONFIG_GRACE_MS,
          });
          break;
        }
        case 'CreateContainerError':
        case 'RunContainerError':
        case 'PreStartHookError':
        case 'PostStartHookError':
          add(c, 'fatal-after-allowance', reason, `${where}: ${reason}: ${message}`.replace(/: $/, ''), {
            hint: 'the runtime could not start the container: check command, args, volume mounts and securityContext',
            occurrences: 1 + restarts,
          });
          break;
        default:
          // ContainerCreating, PodInitializing and friends: part of a normal start.
          break;
      }
      continue;
    }
    if (terminated) {
      const exitCode = num(terminated, 'exitCode') ?? 0;
      const reason = str(terminated, 'reason') ?? (exitCode === 0 ? 'Completed' : 'Error');
      if (exitCode === 0 && reason !== 'OOMKilled') continue;
      if (!countExit && !c.init) continue;
      const final = restartPolicy === 'Never' || (c.init && restartPolicy === 'Never');
      add(c, final ? 'fatal-now' : 'fatal-after-allowance', reason, `${where} ${describeExit(terminated)}`, {
        hint:
          reason === 'OOMKilled'
            ? oomHint(c)
            : `the container exited with code ${exitCode}: see its last log lines`,
        occurrences: restarts + 1,
      });
      continue;
    }
    if (running && restarts > 0 && last && countExit) {
      // Restarted by liveness/startup probes or after crashes, now running again.
      const reason = str(last, 'reason') === 'OOMKilled' ? 'OOMKilled' : 'Restarted';
      add(
        c,
        'fatal-after-allowance',
        reason,
        `${where} restarted ${restarts} times (last: ${describeExit(last)})`,
        {
          hint:
            reason === 'OOMKilled'
              ? oomHint(c)
              : 'the container was restarted: check liveness/startup probes and its logs',
          occurrences: restarts,
        },
      );
    }
    if (running && field(c.status, 'ready') === false && !c.init) {
      const window = readinessWindowMs(c.spec);
      const probeFailing = (context.events ?? []).some(
        (e) =>
          str(e, 'reason') === 'Unhealthy' &&
          str(e, 'involvedObject', 'name') === podName &&
          /^Readiness probe failed/.test(str(e, 'message') ?? ''),
      );
      if (window !== undefined && probeFailing) {
        add(
          c,
          context.ignoreReadinessProbeFailures ? 'transient' : 'fatal-after-grace',
          Reason.ReadinessProbeFailing,
          `${where} is running but its readiness probe keeps failing`,
          {
            hint: `the readiness probe failed for longer than its budget (${window / 1000}s): check the probe's path and port and the app's health endpoint`,
            since: str(running, 'startedAt'),
            graceMs: window,
          },
        );
      }
    }
  }

  const scheduled = condition(pod, 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    add(
      undefined,
      'fatal-after-grace',
      Reason.Unschedulable,
      `pod ${podName} cannot be scheduled: ${scheduled.message ?? ''}`.trim(),
      {
        hint: "check the pod's resource requests against the nodes' capacity, its nodeSelector/affinity, and taints and tolerations",
        since: scheduled.lastTransitionTime ?? podStart,
        graceMs: context.unschedulableGraceMs ?? DEFAULT_UNSCHEDULABLE_GRACE_MS,
      },
    );
  }
  if (str(pod, 'status', 'phase') === 'Failed' && str(pod, 'status', 'reason') === 'Evicted') {
    // A controller replaces an evicted pod; a bare pod is gone for good.
    const owned = list(pod, 'metadata', 'ownerReferences').some((o) => field(o, 'controller') === true);
    add(
      undefined,
      owned ? 'transient' : 'fatal-now',
      'Evicted',
      `pod ${podName} was evicted: ${str(pod, 'status', 'message') ?? ''}`.trim(),
      {
        hint: 'the node ran short of resources (memory, disk): check requests and limits',
      },
    );
  }
  for (const problem of eventProblems(context.events ?? [], context)) {
    const same = SAME_AS_CONDITION[problem.reason] ?? problem.reason;
    if (
      problem.pod === podName &&
      !problems.some(
        (p) => (p.reason === problem.reason || p.reason === same) && p.container === problem.container,
      )
    ) {
      problems.push(problem);
    }
  }
  return problems;
}

/**
 * Events that tell what a pod's own status already says: the status is
 * preferred (its time is the transition's, and one reason is reported, not
 * whichever grace happens to run out first).
 */
const SAME_AS_CONDITION: Record<string, string> = { FailedScheduling: Reason.Unschedulable };

function describeExit(terminated: Record<string, unknown>): string {
  const exitCode = num(terminated, 'exitCode');
  const reason = str(terminated, 'reason');
  const signal = num(terminated, 'signal');
  const parts = [
    exitCode !== undefined ? `exit code ${exitCode}` : undefined,
    reason,
    signal ? `signal ${signal}` : undefined,
  ];
  return `terminated (${parts.filter(Boolean).join(', ') || 'unknown'})`;
}

function oomHint(c: ContainerView): string {
  const limit = str(c.spec, 'resources', 'limits', 'memory');
  return `the container ran out of memory${limit ? ` (limit ${limit})` : ''}: raise resources.limits.memory or use less`;
}

/**
 * Decides whether problems add up to a failure: any `fatal-now`; a
 * `fatal-after-grace` problem older than its window; or more
 * `fatal-after-allowance` occurrences than allowed. Returns the failed
 * verdict, or undefined.
 */
export function judgeProblems(problems: Problem[], allowed: number, now: Date): Verdict | undefined {
  const fatal = problems.find((p) => p.class === 'fatal-now');
  if (fatal) return failed(fatal.reason, fatal.message, { hint: fatal.hint });
  const expired = problems.find(
    (p) =>
      p.class === 'fatal-after-grace' &&
      p.since !== undefined &&
      now.getTime() - Date.parse(p.since) > (p.graceMs ?? 0),
  );
  if (expired) {
    const seconds = Math.round((now.getTime() - Date.parse(expired.since ?? '')) / 1000);
    return failed(expired.reason, `${expired.message} (for ${seconds}s)`, { hint: expired.hint });
  }
  const counted = problems.filter((p) => p.class === 'fatal-after-allowance');
  const total = counted.reduce((n, p) => n + p.occurrences, 0);
  if (total > allowed) {
    const worst = counted.reduce((a, b) => (b.occurrences > a.occurrences ? b : a));
    return failed(worst.reason, `${worst.message} (${total} failures, ${allowed} allowed)`, {
      hint: worst.hint,
    });
  }
  return undefined;
}

/** The problem to show while still progressing: the most serious one. */
export function worstProblem(problems: Problem[]): Problem | undefined {
  const rank: Record<FailureClass, number> = {
    'fatal-now': 3,
    'fatal-after-grace': 2,
    'fatal-after-allowance': 1,
    transient: 0,
  };
  return [...problems].sort((a, b) => rank[b.class] - rank[a.class])[0];
}

/** Verdict of the pods of a controller's current revision: failed, or undefined. */
export function podsVerdict(
  pods: KubeObject[],
  replicas: number,
  context: VerdictContext,
  options: PodProblemOptions = {},
): { failure: Verdict | undefined; worst: Problem | undefined } {
  // Pod problems, plus Warning events about the controller itself (FailedCreate on a ReplicaSet).
  const controllerEvents = (context.events ?? []).filter((e) => str(e, 'involvedObject', 'kind') !== 'Pod');
  const problems = [
    ...pods.flatMap((pod) => podProblems(pod, context, options)),
    ...eventProblems(controllerEvents, context),
  ];
  const allowed = (context.failuresAllowedPerReplica ?? 1) * Math.max(1, replicas);
  return { failure: judgeProblems(problems, allowed, context.now), worst: worstProblem(problems) };
}

/**
 * A bare Pod: Succeeded is ready (run to completion), Running and Ready is
 * ready, Failed is failed; otherwise progressing, failing early on the
 * problems above.
 */
export function podVerdict(pod: KubeObject, context: VerdictContext): Verdict {
  const podName = name(pod);
  const phase = str(pod, 'status', 'phase') ?? 'Pending';
  if (phase === 'Succeeded') return ready(Reason.PodSucceeded, `pod "${podName}" succeeded`);
  const podReady = condition(pod, 'Ready')?.status === 'True';
  if (phase === 'Running' && podReady) return ready(Reason.Ready, `pod "${podName}" is running and ready`);
  const problems = podProblems(pod, context);
  if (phase === 'Failed') {
    const cause = worstProblem(problems);
    const message = str(pod, 'status', 'message') ?? cause?.message ?? 'all containers terminated';
    return failed(
      str(pod, 'status', 'reason') ?? cause?.reason ?? Reason.PodFailed,
      `pod "${podName}" failed: ${message}`,
      {
        hint: cause?.hint,
      },
    );
  }
  const failure = judgeProblems(problems, context.failuresAllowedPerReplica ?? 1, context.now);
  if (failure) return failure;
  const worst = worstProblem(problems);
  const initTotal = list(pod, 'spec', 'initContainers').length;
  const initDone = list(pod, 'status', 'initContainerStatuses').filter(
    (s) => num(s, 'state', 'terminated', 'exitCode') === 0,
  ).length;
  if (initTotal > 0 && initDone < initTotal) {
    return progressing(
      Reason.PodInitializing,
      `pod "${podName}": Init:${initDone}/${initTotal}${worst ? `: ${worst.message}` : ''}`,
      {
        ...(worst?.hint ? { hint: worst.hint } : {}),
      },
    );
  }
  if (worst) {
    return progressing(
      worst.reason,
      `pod "${podName}": ${worst.message}`,
      worst.hint ? { hint: worst.hint } : {},
    );
  }
  const waiting = containers(pod)
    .map((c) => str(c.status, 'state', 'waiting', 'reason'))
    .find(Boolean);
  if (phase === 'Pending') {
    return progressing(Reason.PodPending, `pod "${podName}" is pending${waiting ? `: ${waiting}` : ''}`);
  }
  const notReady = containers(pod)
    .filter((c) => !c.init && field(c.status, 'ready') !== true)
    .map((c) => c.name);
  return progressing(
    Reason.PodNotReady,
    `pod "${podName}" is ${phase.toLowerCase()} but not ready${notReady.length ? `: containers not ready: ${notReady.join(', ')}` : ''}`,
  );
}

/** The rule registered for core/Pod: generic checks first. */
export function pod(object: KubeObject, context: VerdictContext): Verdict {
  return generic(object) ?? podVerdict(object, context);
}

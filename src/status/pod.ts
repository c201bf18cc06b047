import type { KubeObject } from '../kube/types.js';
import { classifyEvent, configGraceMs, eventContainer, eventCount, unschedulableGraceMs } from './events.js';
import { condition, field, list, name, num, record, str } from './fields.js';
import { generic } from './generic.js';
import { FailureReason, Reason } from './reasons.js';
import { redactCredentials } from './redact.js';
import { eventSource, type PodsJudgement, ProblemTally, podSource } from './tally.js';
import type { Problem, Verdict, VerdictContext, VerdictOptions } from './types.js';
import { failed, progressing, ready } from './verdict.js';

/**
 * Pods: the container and pod failure classification every controller rule
 * uses, and the verdict of a bare Pod.
 *
 * Container waiting/terminated reasons are the kubelet's
 * (pkg/kubelet/images/types.go, pkg/kubelet/kuberuntime); see
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-states.
 */

interface ContainerView {
  name: string;
  init: boolean;
  /**
   * A native sidecar: an init container with `restartPolicy: Always` (Kubernetes 1.29+). It
   * counts as initialized once started, runs beside the app containers, counts for the pod's
   * readiness, and is always restarted; the kubelet stops it once the app containers are done.
   */
  sidecar: boolean;
  status: Record<string, unknown>;
  spec: Record<string, unknown> | undefined;
}

function containers(pod: KubeObject): ContainerView[] {
  const specs = (key: string) => list(pod, 'spec', key).filter((c) => typeof field(c, 'name') === 'string');
  const view = (statusKey: string, specKey: string, init: boolean) =>
    list(pod, 'status', statusKey)
      .filter((s): s is Record<string, unknown> => typeof field(s, 'name') === 'string')
      .map((status) => {
        const spec = specs(specKey).find((c) => field(c, 'name') === status.name) as
          | Record<string, unknown>
          | undefined;
        return { name: status.name as string, init, sidecar: init && isSidecar(spec), status, spec };
      });
  return [
    ...view('initContainerStatuses', 'initContainers', true),
    ...view('containerStatuses', 'containers', false),
  ];
}

const isSidecar = (spec: unknown): boolean => str(spec, 'restartPolicy') === 'Always';

const waitingReason = (c: ContainerView) => str(c.status, 'state', 'waiting', 'reason') ?? '';

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

/** A problem before its pod and container are filled in. */
type Finding = Omit<Problem, 'pod' | 'container' | 'occurrences'> & { occurrences?: number };
/** What a waiting reason comes to; its reason is the waiting reason unless it says otherwise. */
type WaitingFinding = Omit<Finding, 'reason'> & { reason?: string };

interface WaitingCase {
  container: ContainerView;
  /** `container NAME`, how messages start. */
  where: string;
  reason: string;
  message: string;
  restarts: number;
  pod: KubeObject;
  context: VerdictContext;
}

const startFailure = (w: WaitingCase): WaitingFinding => ({
  class: 'fatal-after-allowance',
  message: `${w.where}: ${w.reason}: ${w.message}`.replace(/: $/, ''),
  hint: 'the runtime could not start the container: check command, args, volume mounts and securityContext',
  occurrences: 1 + w.restarts,
});

const pullFailed = (w: WaitingCase): WaitingFinding => ({
  class: 'fatal-after-allowance',
  message: `${w.where}: ${w.reason}: ${pullFailure(image(w.container), w.message)}`,
  hint: `check the image name and tag ("${image(w.container)}"), that it exists in the registry, and the pod's imagePullSecrets`,
  // ImagePullBackOff follows at least one failed pull (ErrImagePull): two failures seen.
  occurrences: Math.max(w.reason === FailureReason.ImagePullBackOff ? 2 : 1, failedPulls(w)),
});

/**
 * The failed pulls of the container that the pod's Events count (the
 * kubelet's `Failed to pull image`, with its `count`), however old: the
 * container still waits on its image, so a track started after eight
 * failed pulls counts eight.
 */
function failedPulls(w: WaitingCase): number {
  let pulls = 0;
  for (const event of w.context.events ?? []) {
    if (str(event, 'reason') !== 'Failed' || str(event, 'involvedObject', 'name') !== name(w.pod)) continue;
    if (!str(event, 'message')?.startsWith('Failed to pull image')) continue;
    if ((eventContainer(event) ?? w.container.name) === w.container.name) pulls += eventCount(event);
  }
  return pulls;
}

/**
 * Waiting reasons that are problems, and what each comes to. Reasons not
 * here (ContainerCreating, PodInitializing, …) are part of a normal start.
 */
const WAITING: Readonly<Record<string, (w: WaitingCase) => WaitingFinding>> = {
  [FailureReason.InvalidImageName]: (w) => ({
    class: 'fatal-now',
    message: `${w.where}: ${w.message || `invalid image name "${image(w.container)}"`}`,
    hint: `the image reference "${image(w.container)}" is not valid: fix spec.containers[].image`,
  }),
  [FailureReason.ErrImageNeverPull]: (w) => ({
    class: 'fatal-now',
    message: `${w.where}: ${w.message || `image "${image(w.container)}" is not present and imagePullPolicy is Never`}`,
    hint: 'imagePullPolicy is Never and the image is not on the node: load it there or change the policy',
  }),
  [FailureReason.ErrImagePull]: pullFailed,
  [FailureReason.ImagePullBackOff]: pullFailed,
  [FailureReason.CrashLoopBackOff]: (w) => {
    const last = record(w.container.status, 'lastState', 'terminated');
    const oom = str(last, 'reason') === FailureReason.OOMKilled;
    return {
      class: 'fatal-after-allowance',
      reason: oom ? FailureReason.OOMKilled : w.reason,
      message: `${w.where} keeps crashing (${last ? describeExit(last) : 'exited'}), restarted ${w.restarts} times`,
      hint: oom
        ? oomHint(w.container)
        : 'see the last log lines of the previous container instance for why it exits',
      // Waiting out a back-off after its restarts, the instance before it crashed too: restarts + 1
      // crashes (the kubelet restarts the first crash at once, so a crash loop shows two in a second).
      occurrences: w.restarts + 1,
    };
  },
  [FailureReason.CreateContainerConfigError]: (w) => {
    const missing = configObject.exec(w.message);
    const since = str(w.pod, 'status', 'startTime') ?? str(w.pod, 'metadata', 'creationTimestamp');
    return {
      class: 'fatal-after-grace',
      message: `${w.where}: ${w.message || w.reason}`,
      hint: missing
        ? `create the ${missing[1]?.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap'} "${missing[2]}" or fix the reference to it`
        : 'a ConfigMap, Secret or key the container refers to is missing',
      ...(since ? { since } : {}),
      graceMs: configGraceMs(w.context),
    };
  },
  [FailureReason.CreateContainerError]: startFailure,
  [FailureReason.RunContainerError]: startFailure,
  [FailureReason.PreStartHookError]: startFailure,
  [FailureReason.PostStartHookError]: startFailure,
};

/** A container that exited: an error exit (or an OOM kill) is a problem; restartPolicy Never makes it final. */
function terminatedFinding(
  c: ContainerView,
  pod: KubeObject,
  restarts: number,
  options: PodProblemOptions,
): Finding | undefined {
  const terminated = record(c.status, 'state', 'terminated');
  const exitCode = num(terminated, 'exitCode') ?? 0;
  const reason = str(terminated, 'reason') ?? (exitCode === 0 ? 'Completed' : FailureReason.Error);
  if (!terminated || (exitCode === 0 && reason !== FailureReason.OOMKilled)) return undefined;
  if (options.countExitFailures === false && !c.init) return undefined;
  // The kubelet stops the sidecars of a pod whose app containers are done: how they exit is not the pod's result.
  if (c.sidecar && str(pod, 'status', 'phase') === 'Succeeded') return undefined;
  const final = !c.sidecar && (str(pod, 'spec', 'restartPolicy') ?? 'Always') === 'Never';
  return {
    class: final ? 'fatal-now' : 'fatal-after-allowance',
    reason,
    message: `container ${c.name} ${describeExit(terminated)}`,
    hint:
      reason === FailureReason.OOMKilled
        ? oomHint(c)
        : `the container exited with code ${exitCode}: see its last log lines`,
    occurrences: restarts + 1,
  };
}

/** A container running again after restarts (liveness or startup probes, crashes). */
function restartedFinding(c: ContainerView, restarts: number): Finding | undefined {
  const last = record(c.status, 'lastState', 'terminated');
  if (!last || restarts === 0) return undefined;
  const oom = str(last, 'reason') === FailureReason.OOMKilled;
  return {
    class: 'fatal-after-allowance',
    reason: oom ? FailureReason.OOMKilled : FailureReason.Restarted,
    message: `container ${c.name} restarted ${restarts} times (last: ${describeExit(last)})`,
    hint: oom ? oomHint(c) : 'the container was restarted: check liveness/startup probes and its logs',
    occurrences: restarts,
  };
}

/** A running container whose readiness probe keeps failing (Unhealthy events), judged against its probe budget. */
function readinessFinding(c: ContainerView, pod: KubeObject, context: VerdictContext): Finding | undefined {
  if ((c.init && !c.sidecar) || field(c.status, 'ready') !== false) return undefined;
  const window = readinessWindowMs(c.spec);
  const podName = name(pod);
  const probeFailing = (context.events ?? []).some(
    (e) =>
      str(e, 'reason') === 'Unhealthy' &&
      str(e, 'involvedObject', 'name') === podName &&
      /^Readiness probe failed/.test(str(e, 'message') ?? ''),
  );
  if (window === undefined || !probeFailing) return undefined;
  const since = str(c.status, 'state', 'running', 'startedAt');
  return {
    class: context.ignoreReadinessProbeFailures ? 'transient' : 'fatal-after-grace',
    reason: FailureReason.ReadinessProbeFailing,
    message: `container ${c.name} is running but its readiness probe keeps failing`,
    hint: `the readiness probe failed for longer than its budget (${window / 1000}s): check the probe's path and port and the app's health endpoint`,
    ...(since ? { since } : {}),
    graceMs: context.readinessProbeGraceMs?.[c.name] ?? window,
  };
}

function containerFindings(
  c: ContainerView,
  pod: KubeObject,
  context: VerdictContext,
  options: PodProblemOptions,
): Finding[] {
  const restarts = num(c.status, 'restartCount') ?? 0;
  const waiting = record(c.status, 'state', 'waiting');
  if (waiting) {
    const reason = str(waiting, 'reason') ?? '';
    const rule = WAITING[reason];
    const message = str(waiting, 'message') ?? '';
    if (!rule) return [];
    return [
      {
        reason,
        ...rule({ container: c, where: `container ${c.name}`, reason, message, restarts, pod, context }),
      },
    ];
  }
  if (record(c.status, 'state', 'terminated')) {
    const finding = terminatedFinding(c, pod, restarts, options);
    return finding ? [finding] : [];
  }
  if (!record(c.status, 'state', 'running')) return [];
  const restarted = options.countExitFailures === false ? undefined : restartedFinding(c, restarts);
  return [restarted, readinessFinding(c, pod, context)].filter((f): f is Finding => f !== undefined);
}

/** Problems of the pod itself: it cannot be scheduled, or it was evicted. */
function podFindings(pod: KubeObject, context: VerdictContext): Finding[] {
  const findings: Finding[] = [];
  const podName = name(pod);
  const scheduled = condition(pod, 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    const since =
      scheduled.lastTransitionTime ??
      str(pod, 'status', 'startTime') ??
      str(pod, 'metadata', 'creationTimestamp');
    findings.push({
      class: 'fatal-after-grace',
      reason: FailureReason.Unschedulable,
      message: `pod ${podName} cannot be scheduled: ${scheduled.message ?? ''}`.trim(),
      hint: "check the pod's resource requests against the nodes' capacity, its nodeSelector/affinity, and taints and tolerations",
      ...(since ? { since } : {}),
      graceMs: unschedulableGraceMs(context),
    });
  }
  if (str(pod, 'status', 'phase') === 'Failed' && str(pod, 'status', 'reason') === FailureReason.Evicted) {
    // A controller replaces an evicted pod; a bare pod is gone for good.
    const owned = list(pod, 'metadata', 'ownerReferences').some((o) => field(o, 'controller') === true);
    findings.push({
      class: owned ? 'transient' : 'fatal-now',
      reason: FailureReason.Evicted,
      message: `pod ${podName} was evicted: ${str(pod, 'status', 'message') ?? ''}`.trim(),
      hint: 'the node ran short of resources (memory, disk): check requests and limits',
    });
  }
  return findings;
}

/**
 * The problems a pod's own status shows (its containers' states, its
 * scheduling, an eviction), classified. `context.events` are the pod's
 * Events: readiness probe failures are judged from them.
 */
export function podStatusProblems(
  pod: KubeObject,
  context: VerdictContext,
  options: PodProblemOptions = {},
): Problem[] {
  const podName = name(pod);
  const problem = (finding: Finding, container?: ContainerView): Problem => ({
    ...finding,
    message: redactCredentials(finding.message),
    pod: podName,
    ...(container ? { container: container.name } : {}),
    occurrences: finding.occurrences ?? 1,
  });
  return [
    ...containers(pod).flatMap((c) => containerFindings(c, pod, context, options).map((f) => problem(f, c))),
    ...podFindings(pod, context).map((f) => problem(f)),
  ];
}

/**
 * The problems a pod's Warning Events add to those of its status (`known`):
 * only what the status does not already say (a FailedScheduling Event says
 * what the Unschedulable condition says, and the condition is preferred: its
 * time is the transition's).
 */
export function podEventProblems(pod: KubeObject, context: VerdictContext, known: Problem[]): Problem[] {
  const podName = name(pod);
  const problems: Problem[] = [];
  for (const event of context.events ?? []) {
    const problem = classifyEvent(event, context);
    if (!problem || problem.pod !== podName) continue;
    const same = SAME_AS_CONDITION[problem.reason] ?? problem.reason;
    const said = [...known, ...problems].some(
      (p) => (p.reason === problem.reason || p.reason === same) && p.container === problem.container,
    );
    if (!said) problems.push(problem);
  }
  return problems;
}

/** Every problem a pod shows, from its status and its Events (`context.events`), classified. */
export function podProblems(
  pod: KubeObject,
  context: VerdictContext,
  options: PodProblemOptions = {},
): Problem[] {
  const own = podStatusProblems(pod, context, options);
  return [...own, ...podEventProblems(pod, context, own)];
}

const SAME_AS_CONDITION: Record<string, string> = {
  [FailureReason.FailedScheduling]: FailureReason.Unschedulable,
};

/** `terminated (exit code 1, Error)`: how a container's instance ended. */
export function describeExit(terminated: Record<string, unknown>): string {
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
 * The tally of a controller's pods when the caller gives them (and their
 * Events) at once: each pod's problems, plus the Warning Events about the
 * controller itself (FailedCreate on a ReplicaSet).
 */
function tallyOf(pods: KubeObject[], context: VerdictContext, options: PodProblemOptions): ProblemTally {
  const tally = new ProblemTally();
  for (const pod of pods) tally.set(podSource(name(pod)), podProblems(pod, context, options));
  const controllerEvents = (context.events ?? []).filter((e) => str(e, 'involvedObject', 'kind') !== 'Pod');
  for (const [index, event] of controllerEvents.entries()) {
    const problem = classifyEvent(event, context);
    if (problem) tally.set(eventSource(index), [problem]);
  }
  return tally;
}

/** The failures a resource of `replicas` tolerates: `failuresAllowed`, else per replica × replicas. */
export function failuresAllowed(context: VerdictOptions, replicas: number): number {
  return context.failuresAllowed ?? (context.failuresAllowedPerReplica ?? 1) * Math.max(1, replicas);
}

/**
 * What the problems of a controller's current pods come to: a failure once
 * they exceed what `failuresAllowedPerReplica` × replicas allows (or a
 * fatal or expired one), and the worst of them. From `context.tally` when
 * the caller keeps one, else from `context.pods` and `context.events`.
 */
export function podsVerdict(
  replicas: number,
  context: VerdictContext,
  options: PodProblemOptions = {},
): PodsJudgement {
  const tally = context.tally ?? tallyOf(context.pods ?? [], context, options);
  return tally.judge(failuresAllowed(context, replicas), context.now);
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
  const tally = ProblemTally.of(podProblems(pod, context));
  if (phase === 'Failed') {
    const cause = tally.worst();
    const message = str(pod, 'status', 'message') ?? cause?.message ?? 'all containers terminated';
    return failed(
      str(pod, 'status', 'reason') ?? cause?.reason ?? Reason.PodFailed,
      `pod "${podName}" failed: ${message}`,
      { hint: cause?.hint },
    );
  }
  const { failure, worst } = tally.judge(failuresAllowed(context, 1), context.now);
  return failure ?? pendingPodVerdict(pod, phase, worst);
}

/** A pod on its way: initializing, pending or not ready yet, with its worst problem if it has one. */
function pendingPodVerdict(pod: KubeObject, phase: string, worst: Problem | undefined): Verdict {
  const podName = name(pod);
  const hint = worst?.hint ? { hint: worst.hint } : {};
  const views = containers(pod);
  const initTotal = list(pod, 'spec', 'initContainers').length;
  // As kubectl's Init:N/M: a sidecar is initialized once it started, another init container once it exited 0.
  const initDone = views.filter((c) =>
    c.sidecar
      ? field(c.status, 'started') === true
      : c.init && num(c.status, 'state', 'terminated', 'exitCode') === 0,
  ).length;
  if (initTotal > 0 && initDone < initTotal) {
    return progressing(
      Reason.PodInitializing,
      `pod "${podName}": Init:${initDone}/${initTotal}${worst ? `: ${worst.message}` : ''}`,
      hint,
    );
  }
  if (worst) return progressing(worst.reason, `pod "${podName}": ${worst.message}`, hint);
  const waiting = views.map(waitingReason).find(Boolean);
  if (phase === 'Pending') {
    return progressing(Reason.PodPending, `pod "${podName}" is pending${waiting ? `: ${waiting}` : ''}`);
  }
  const notReady = views
    .filter((c) => (!c.init || c.sidecar) && field(c.status, 'ready') !== true)
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

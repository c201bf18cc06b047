import type { KubeObject } from '../kube/types.js';
import { num, str } from './fields.js';
import { FailureReason } from './reasons.js';
import { redactCredentials } from './redact.js';
import type { FailureClass, Problem, VerdictContext, VerdictOptions } from './types.js';

/**
 * Classification of Warning events (reasons from the kubelet, scheduler,
 * controllers and volume plugins; see kubernetes/pkg/kubelet/events/event.go
 * and the controllers' recorders). Container problems are judged from the
 * pod's container states in pod.ts; events add what states do not show:
 * controller failures (FailedCreate), volumes, scheduling, probes.
 */

interface EventRule {
  class: FailureClass;
  hint: string;
  /** Grace window for `fatal-after-grace`. */
  graceMs?: (context: VerdictContext) => number;
}

/** How long a missing ConfigMap/Secret or a mount failure may last (`configGraceMs`, 60 s). */
export const configGraceMs = (c: VerdictOptions) => c.configGraceMs ?? 60_000;
/** How long a pod may stay unschedulable (`unschedulableGraceMs`, 30 s). */
export const unschedulableGraceMs = (c: VerdictOptions) => c.unschedulableGraceMs ?? 30_000;

const RULES: Record<string, EventRule> = {
  [FailureReason.FailedCreate]: {
    class: 'fatal-after-allowance',
    hint: 'the controller cannot create pods: check ResourceQuota and LimitRange objects and admission webhooks named in the message',
  },
  [FailureReason.FailedScheduling]: {
    class: 'fatal-after-grace',
    hint: "check the pod's resource requests against the nodes' capacity, its nodeSelector/affinity, and taints and tolerations",
    graceMs: unschedulableGraceMs,
  },
  [FailureReason.FailedMount]: {
    class: 'fatal-after-grace',
    hint: 'a volume cannot be mounted: check that its PersistentVolumeClaim, ConfigMap or Secret exists',
    graceMs: configGraceMs,
  },
  [FailureReason.FailedAttachVolume]: {
    class: 'fatal-after-grace',
    hint: 'the volume cannot be attached to the node: check the PersistentVolume and the storage driver',
    graceMs: configGraceMs,
  },
  [FailureReason.BackoffLimitExceeded]: {
    class: 'fatal-now',
    hint: 'the Job failed more often than spec.backoffLimit: see the logs of its pods',
  },
  [FailureReason.DeadlineExceeded]: {
    class: 'fatal-now',
    hint: 'the Job ran longer than spec.activeDeadlineSeconds',
  },
  [FailureReason.ProgressDeadlineExceeded]: {
    class: 'fatal-now',
    hint: 'the rollout made no progress within spec.progressDeadlineSeconds: see the pod errors above',
  },
  // Judged from container states instead, which also say which container.
  BackOff: { class: 'transient', hint: 'a container is restarting or an image pull is backing off' },
  Failed: { class: 'transient', hint: 'see the container state' },
  NodeNotReady: { class: 'transient', hint: 'the node is not ready; pods are moved if it does not recover' },
  NodeLost: { class: 'transient', hint: 'the node stopped reporting; pods are moved if it does not recover' },
  ProvisioningFailed: {
    class: 'transient',
    hint: 'the volume cannot be provisioned: check the StorageClass and its provisioner',
  },
};

/** The time an event last happened (events.k8s.io and core/v1 fields). */
export function eventTime(event: KubeObject): string | undefined {
  return (
    str(event, 'lastTimestamp') ??
    str(event, 'series', 'lastObservedTime') ??
    str(event, 'eventTime') ??
    str(event, 'firstTimestamp') ??
    str(event, 'metadata', 'creationTimestamp')
  );
}

/** How many times an event happened (core/v1 `count`, or its series'). */
export function eventCount(event: KubeObject): number {
  return Math.max(1, num(event, 'count') ?? num(event, 'series', 'count') ?? 1);
}

/** The container an Event is about, from its `involvedObject.fieldPath` (`spec.containers{app}`). */
export function eventContainer(event: KubeObject): string | undefined {
  const fieldPath = str(event, 'involvedObject', 'fieldPath');
  return fieldPath ? /spec\.(?:initC|c)ontainers\{([^}]+)\}/.exec(fieldPath)?.[1] : undefined;
}

export function eventFirstTime(event: KubeObject): string | undefined {
  return str(event, 'firstTimestamp') ?? str(event, 'eventTime') ?? eventTime(event);
}

/** Classifies one Warning event; undefined for Normal events and events from before tracking started. */
export function classifyEvent(event: KubeObject, context: VerdictContext): Problem | undefined {
  if (str(event, 'type') !== 'Warning') return undefined;
  const last = eventTime(event);
  if (context.trackingSince && last && Date.parse(last) < context.trackingSince.getTime()) return undefined;
  const reason = str(event, 'reason') ?? '';
  const message = redactCredentials(str(event, 'message') ?? '');
  let rule = RULES[reason];
  if (reason === 'Unhealthy') {
    // Liveness and startup probe failures restart the container (counted by
    // its restarts); readiness failures are judged by the pod rule's window.
    rule = {
      class: 'transient',
      hint: "a probe is failing: check its path and port and the app's health endpoint",
    };
  }
  if (reason === FailureReason.Evicted)
    rule = { class: 'transient', hint: 'the node ran short of resources: check requests and limits' };
  const kind = str(event, 'involvedObject', 'kind');
  const problem: Problem = {
    class: rule?.class ?? 'transient',
    reason,
    message:
      `${kind ? `${kind.toLowerCase()} ` : ''}${str(event, 'involvedObject', 'name') ?? ''}: ${message}`.trim(),
    occurrences: reason === FailureReason.FailedCreate ? eventCount(event) : 1,
  };
  if (kind === 'Pod') problem.pod = str(event, 'involvedObject', 'name') ?? '';
  const container = eventContainer(event);
  if (container) problem.container = container;
  if (rule?.hint)
    problem.hint = reason === FailureReason.FailedCreate ? (quotaHint(message) ?? rule.hint) : rule.hint;
  if (rule?.graceMs) {
    problem.graceMs = rule.graceMs(context);
    const since = eventFirstTime(event);
    if (since) problem.since = since;
  }
  return problem;
}

function quotaHint(message: string): string | undefined {
  const quota = /exceeded quota: ([\w.-]+)/.exec(message)?.[1];
  return quota
    ? `the ResourceQuota "${quota}" is exhausted: raise it or lower the pods' requests`
    : undefined;
}

import type { RbacRule } from '../kube/rbac.js';
import type { FailureReason } from '../status/reasons.js';
import type { Progress, Verdict } from '../status/types.js';
import type { ResourceRef } from './resource-ref.js';

export type { ResourceRef } from './resource-ref.js';

interface Base {
  /** When kubedog saw it (ISO 8601). */
  time: string;
  /** The tracked resource it is about. */
  resource: ResourceRef;
}

/** The resource exists; `ready` says whether it was ready at first sight. */
export interface AddedEvent extends Base {
  /** Tells the events apart: `switch (event.type)` narrows to this one. */
  type: 'added';
  /** It was ready when first seen. */
  ready: boolean;
  /** Its first verdict: state, reason, message, hint, progress. */
  verdict: Verdict;
  /** When the cluster created it (its `creationTimestamp`), when it says. */
  created?: string;
}

/** The verdict changed, or its progress moved. */
export interface StatusEvent extends Base {
  /** Tells the events apart: `switch (event.type)` narrows to this one. */
  type: 'status';
  /** The verdict now. */
  verdict: Verdict;
  /** Replicas desired, updated, ready, available (or the kind's own counts), when the kind has them. */
  progress?: Progress;
}

/** The resource is ready (a rollout ends here); a Helm hook deleted once it succeeded, too. */
export interface ReadyEvent extends Base {
  /** Tells the events apart: `switch (event.type)` narrows to this one. */
  type: 'ready';
  /** The verdict's words (`deployment "web" successfully rolled out`), and what they were drawn from when that is less than usual. */
  message: string;
}

/**
 * The resource failed — or, in a rollout, timed out (`Timeout`), saw no
 * activity at all (`NoActivity`), or was deleted (`Deleted`). `reason` is a
 * {@link FailureReason} or a reason copied from the cluster (a Job's
 * `PodFailurePolicy`, a container's `ContainerCannotRun`).
 */
export interface FailedEvent extends Base {
  /** Tells the events apart: `switch (event.type)` narrows to this one. */
  type: 'failed';
  /** Why, in one word (`ImagePullBackOff`, `Timeout`, `BackoffLimitExceeded`). */
  reason: FailureReason | (string & Record<never, never>);
  /** What failed and how, one line. */
  message: string;
  /** What to do about it, when kubedog knows. */
  hint?: string;
  /** What a person needs to see next: Warning Events and the last log lines of the failing containers. */
  report: FailureReport;
}

/** A Warning Event in a failure report. */
export interface ReportedWarning {
  /** `Pod/web-7f9c-x` */
  involvedObject: string;
  /** The Event's reason (`BackOff`, `FailedScheduling`). */
  reason: string;
  /** The Event's message, credentials masked. */
  message: string;
  /** How many times it happened. */
  count: number;
}

/** The last lines of one failing container. */
export interface ContainerLines {
  /** The pod's name. */
  pod: string;
  /** The container's name. */
  container: string;
  /** The lines come from the previous (crashed) instance of the container. */
  previous: boolean;
  /** Its last lines, oldest first (at most 20). */
  lines: string[];
}

/** What is known about a failure besides its reason. */
export interface FailureReport {
  /** Warning Events of the resource, its ReplicaSets and its pods, oldest first (the last 20). */
  warnings: ReportedWarning[];
  /**
   * The last lines of each failing container (at most 10 containers): of
   * its crashed instance for a restarted one, read from the API even when
   * logs were not followed.
   */
  logs: ContainerLines[];
  /**
   * What kubedog found by reading one object further, one line each: the
   * ConfigMap a pod waits for does not exist, an imagePullSecret is
   * missing, no node is big enough (`docs/readiness.md`, Explained failures).
   */
  findings: string[];
}

/** The resource was deleted; waiting for its deletion, also: it did not exist to begin with. */
export interface DeletedEvent extends Base {
  /** Tells the events apart: `switch (event.type)` narrows to this one. */
  type: 'deleted';
  /** `deployment/web was deleted`, `deployment/web does not exist`. */
  message: string;
}

/** A Kubernetes Event about the resource (or one of its pods), once per new occurrence. */
export interface KubeEventEvent extends Base {
  /** Tells the events apart: `switch (event.type)` narrows to this one. */
  type: 'event';
  /** `Normal` or `Warning`. */
  eventType: 'Normal' | 'Warning' | string;
  /** The Event's reason (`Scheduled`, `BackOff`). */
  reason: string;
  /** The Event's message, credentials masked. */
  message: string;
  /** The object the Event is about (`Pod/web-7f9c-x`). */
  involvedObject: string;
  /** How many times it happened. */
  count: number;
}

/** A ReplicaSet of a tracked Deployment appeared; `new` when it runs the current template. */
export interface ReplicaSetEvent extends Base {
  /** Tells the events apart: `switch (event.type)` narrows to this one. */
  type: 'replicaset';
  /** The ReplicaSet's name. */
  replicaSet: string;
  /** It is the current revision's. */
  new: boolean;
}

/**
 * A pod of the resource appeared, changed phase, became ready (its Ready
 * condition turned True, said once; a pod ready when first seen is not
 * said again), or was deleted.
 */
export interface PodEvent extends Base {
  /** Tells the events apart: `switch (event.type)` narrows to this one. */
  type: 'pod';
  /** The pod's name. */
  pod: string;
  /** What happened to it. */
  change: 'added' | 'phase' | 'ready' | 'deleted';
  /** Its phase (`Pending`, `Running`, `Succeeded`, `Failed`). */
  phase: string;
  /** Container names, init containers first. */
  containers: string[];
  /** Its Ready condition is True, as of this event. */
  ready: boolean;
  /** How many of `containers` are ready, as of this event (a completed init container is, as the kubelet reports it). */
  readyContainers: number;
  /** Whether the pod belongs to the current revision. */
  current: boolean;
  /** When the cluster created it (its `creationTimestamp`), when it says. */
  created?: string;
}

/**
 * A container of a pod is failing, or the pod itself (unschedulable,
 * evicted): said once per pod, container, reason and failure count.
 */
export interface PodErrorEvent extends Base {
  /** Tells the events apart: `switch (event.type)` narrows to this one. */
  type: 'pod-error';
  /** The pod's name. */
  pod: string;
  /** The failing container; none for a problem of the pod itself. */
  container?: string;
  /** Why (`CrashLoopBackOff`, `ImagePullBackOff`, `Unschedulable`). */
  reason: string;
  /** What is wrong, one line, credentials masked. */
  message: string;
  /** How many times the container has been restarted (its `restartCount`; 0 for the pod itself). */
  restarts: number;
  /**
   * The failures this problem counts against `failuresAllowedPerReplica`:
   * an image pull back-off counts 2 (a failed pull, then the back-off), a
   * crash loop its restarts.
   */
  failures: number;
  /** What to do about it, when kubedog knows. */
  hint?: string;
}

/** Log lines from one container. */
export interface LogEvent extends Base {
  /** Tells the events apart: `switch (event.type)` narrows to this one. */
  type: 'log';
  /** The pod's name. */
  pod: string;
  /** The container's name. */
  container: string;
  /** The lines, as the container wrote them (one network chunk's worth). */
  lines: string[];
  /** When the container wrote each line (RFC 3339 with nanoseconds, the runtime's stamp), one per line. */
  times: string[];
}

/**
 * A read the track went on without, because the API server refused it
 * (403): what it was, the RBAC rule that would allow it, and what the track
 * does without it.
 */
export interface DeniedRead {
  /**
   * What could not be read, as RBAC names it: `events`, `pods`, `pods/log`,
   * `replicasets`, `controllerrevisions`, `secrets` (a Helm revision's
   * record), `customresourcedefinitions`.
   */
  read: string;
  /** The rule that would allow it (`formatRule` prints it as a person pastes it). */
  rule: RbacRule;
  /** What the track does without it (`judged from its status and its pods by selector`). */
  without: string;
}

interface NoticeBase extends Base {
  /** Tells the events apart: `switch (event.type)` narrows to this one. */
  type: 'notice';
  /** What happened, one line, in English (what the CLI prints). */
  message: string;
}

/**
 * One watch or log stream broke (`…-interrupted`, once per episode), came
 * back (`…-resumed`), was re-listed after `410 Gone` (`watch-relisted`), or
 * ended for good (`log-ended`).
 */
export interface StreamNotice extends NoticeBase {
  /** What happened to the stream. */
  code:
    | 'watch-interrupted'
    | 'watch-resumed'
    | 'watch-relisted'
    | 'log-interrupted'
    | 'log-resumed'
    | 'log-ended';
  /** Which stream: `watch of pods in shop`, `log of web-1/app`. */
  stream: string;
  /** Why it broke, or what the server said. */
  reason?: string;
  /** Reconnects (resumed) or re-lists (re-listed) in the episode. */
  count?: number;
}

/**
 * Many streams at once (in a `multitrack`): the connection to the API
 * server was lost — every stream that broke within a moment, one notice —
 * and restored once every one of them came back (nothing lost: watches
 * resume from their resourceVersion, logs from their last line's time).
 */
export interface ConnectionNotice extends NoticeBase {
  /** Lost, or restored. */
  code: 'connection-lost' | 'connection-restored';
  /** How many streams broke (and, restored, came back). */
  streams: number;
  /** Why the first one broke. */
  reason?: string;
}

/** A read the API server refused (403) that the track goes on without. */
export interface DeniedNotice extends NoticeBase {
  /** A refused read. */
  code: 'denied';
  /** The read, the rule that would allow it, and what the track does without it. */
  denied: DeniedRead;
}

/**
 * Anything else the track says: a read it does without for another reason
 * (`unavailable`), a malformed object skipped (`skipped`), a kind waited for
 * (`kind-not-served`), log streams at their limit (`log-streams-capped`),
 * what was wrong with a resource's annotations (`annotation`), what a Helm
 * release's track waits for (`helm`).
 */
export interface OtherNotice extends NoticeBase {
  /** What it is about. */
  code: 'unavailable' | 'skipped' | 'kind-not-served' | 'log-streams-capped' | 'annotation' | 'helm';
}

/**
 * What the tracker itself says, by `code` (narrowing to the data it
 * carries): a stream's trouble ({@link StreamNotice}), the connection's
 * ({@link ConnectionNotice}), a refused read ({@link DeniedNotice}), the
 * rest ({@link OtherNotice}). `message` says it in a line.
 */
export type NoticeEvent = StreamNotice | ConnectionNotice | DeniedNotice | OtherNotice;

/** Every notice's `code`. */
export type NoticeCode = NoticeEvent['code'];

/**
 * What a tracker yields; `type` tells them apart (`switch (event.type)`
 * narrows): `added`, `status`, `ready`, `failed`, `deleted`, `event`
 * (a Kubernetes Event), `replicaset`, `pod`, `pod-error`, `log`, `notice`.
 * Each has `time` (ISO 8601) and `resource`.
 */
export type TrackEvent =
  | AddedEvent
  | StatusEvent
  | ReadyEvent
  | FailedEvent
  | DeletedEvent
  | KubeEventEvent
  | ReplicaSetEvent
  | PodEvent
  | PodErrorEvent
  | LogEvent
  | NoticeEvent;

export type TrackEventType = TrackEvent['type'];

/** How one resource ended, in a {@link MultitrackSummary}. */
export interface SummaryEntry {
  /** Which resource. */
  resource: ResourceRef;
  /** The last verdict's reason (`Ready`, `ImagePullBackOff`, `Timeout`, `UpdatingReplicas` …). */
  reason: string;
  /** The last verdict's message (a failure's, for failed ones). */
  message: string;
  /** From the start of the track to the resource's end (or to the end of the track, for pending ones). */
  elapsedMs: number;
}

/**
 * How the whole track came out:
 * - `ready`: every resource waited for is ready (failures that did not count are in `failed`);
 * - `failed`: a failure counted (fail mode `fail-whole-deploy`, or `hope-until-end` once nothing else was left);
 * - `timeout`: the timeout ran out first;
 * - `deleted`: following, or waiting for deletions (`until: 'deleted'`), every resource was deleted;
 * - `exists`: waiting for creations (`until: 'exists'`), every resource exists.
 */
export type Outcome = 'ready' | 'failed' | 'timeout' | 'deleted' | 'exists';

/** A step of a pod's start, as the rollout timeline marks it. */
export type PodStep =
  | 'created'
  | 'scheduled'
  | 'pulled'
  | 'started'
  | 'running'
  | 'ready'
  | 'failing'
  | 'deleted';

/**
 * When each of a resource's pods reached each step (the first time,
 * milliseconds from the start of the track, as kubedog saw it), and when
 * the resource became ready or failed.
 */
export interface ResourceTimeline {
  resource: ResourceRef;
  /** When its track reached ready or failed. */
  end?: { state: 'ready' | 'failed'; atMs: number };
  pods: { pod: string; steps: { step: PodStep; atMs: number }[] }[];
}

/** How every resource of a multitrack ended. */
export interface MultitrackSummary {
  /** How the whole track came out: `ready`, `failed`, `timeout` or `deleted` ({@link Outcome}). */
  outcome: Outcome;
  /** From the start of the track to its end. */
  elapsedMs: number;
  /**
   * Resources that became ready — or, waiting for deletions or creations,
   * that are gone (reason `Deleted`) or exist (reason `Exists`).
   */
  ready: SummaryEntry[];
  /** Failed resources; `ignored` when their fail mode made the failure not count. */
  failed: (SummaryEntry & { ignored: boolean })[];
  /** Still progressing when the track ended (a failure elsewhere ended it, or they were not waited for). */
  pending: SummaryEntry[];
  /** The rollout timeline of every resource: its pods' steps, and its end. */
  timeline: ResourceTimeline[];
  /**
   * The reads the API server refused that the track went on without (one
   * entry per resource and read): its verdicts were drawn from less.
   */
  degraded: (DeniedRead & { resource: ResourceRef })[];
}

/** The last event of a multitrack. */
export interface SummaryEvent {
  /** Tells the events apart: `switch (event.type)` narrows to this one. */
  type: 'summary';
  /** When the track ended (ISO 8601). */
  time: string;
  /** How every resource ended, and the whole track's outcome. */
  summary: MultitrackSummary;
}

/** What `multitrack` yields: the events of every resource, then the summary. */
export type MultitrackEvent = TrackEvent | SummaryEvent;

/**
 * How much room an event takes in a tracker's queue: a log event one per
 * line, anything else one. A queue of 1,000 then holds at most about 1,000
 * lines a slow consumer has not taken yet, however the network chunked them.
 */
export const eventWeight = (event: { type: string; lines?: readonly string[] }): number =>
  event.type === 'log' ? (event.lines?.length ?? 1) : 1;

/** A track event before the tracker stamps it with `time` and `resource`. */
export type TrackEventInit = TrackEvent extends infer E
  ? E extends TrackEvent
    ? Omit<E, 'time' | 'resource'>
    : never
  : never;

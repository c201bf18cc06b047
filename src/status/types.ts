import type { KubeObject } from '../kube/types.js';
import type { ProblemTally } from './tally.js';

/** Where a resource stands. */
export type VerdictState = 'progressing' | 'ready' | 'failed';

/** The counts a status table shows; which ones are set depends on the kind. */
export interface Progress {
  desired?: number;
  updated?: number;
  ready?: number;
  available?: number;
  /** Jobs. */
  active?: number;
  succeeded?: number;
  failed?: number;
}

/** What {@link computeVerdict} says of an object, and what `status` events carry. */
export interface Verdict {
  /** `progressing`, `ready` or `failed`. */
  state: VerdictState;
  /** CamelCase reason, one of the constants in reasons.ts or a reason taken from the object. */
  reason: string;
  /** One line for people; kubectl's wording where kubectl has one. */
  message: string;
  /** What to check or do, in one line. */
  hint?: string;
  /** Replica or completion counts, for kinds that have them. */
  progress?: Progress;
}

/**
 * How serious a container or event problem is:
 * - `fatal-now`: the resource has failed;
 * - `fatal-after-allowance`: counted against `failuresAllowedPerReplica` × replicas;
 * - `fatal-after-grace`: failed when it lasts longer than a window (it can clear by itself);
 * - `transient`: shown, never fatal.
 */
export type FailureClass = 'fatal-now' | 'fatal-after-allowance' | 'fatal-after-grace' | 'transient';

/** One problem found on a pod, a container or in an event. */
export interface Problem {
  class: FailureClass;
  reason: string;
  message: string;
  hint?: string;
  pod?: string;
  container?: string;
  /** How many failures this problem accounts for (restarts, failed pulls). */
  occurrences: number;
  /** When the problem started, for grace windows (RFC 3339). */
  since?: string;
  /** The grace window of a `fatal-after-grace` problem. */
  graceMs?: number;
}

/** How strict verdicts are (all optional). */
export interface VerdictOptions {
  /** Failures tolerated per replica before a resource fails (kubedog's default). @default 1 */
  failuresAllowedPerReplica?: number;
  /**
   * Failures tolerated by the whole resource, whatever its replicas (the Go
   * kubedog's `AllowFailuresCount`); instead of `failuresAllowedPerReplica`.
   */
  failuresAllowed?: number;
  /** Do not fail on readiness probe failures. @default false */
  ignoreReadinessProbeFailures?: boolean;
  /** How long a pod may stay unschedulable before it fails. @default 30000 */
  unschedulableGraceMs?: number;
  /** How long CreateContainerConfigError (missing ConfigMap/Secret) and mount failures may last. @default 60000 */
  configGraceMs?: number;
  /**
   * Per container, how long its readiness probe may keep failing before it
   * counts (werf's `ignore-readiness-probe-fails-for-CONTAINER`), instead of
   * the probe's own budget.
   */
  readinessProbeGraceMs?: Record<string, number>;
  /**
   * A Deployment is judged at this revision only (its
   * `deployment.kubernetes.io/revision`, as `kubectl rollout status
   * --revision`): before it, waiting for it; past it, failed — a newer
   * rollout replaced it. 0, as kubectl's default: the newest, not pinned.
   */
  deploymentRevision?: number;
}

/** What {@link computeVerdict} judges an object with, besides the object. */
export interface VerdictContext extends VerdictOptions {
  /** The current time: verdicts never read the clock themselves. */
  now: Date;
  /** The pods of the resource's current revision (for controllers). */
  pods?: KubeObject[];
  /**
   * Events about the resource (and about its pods, when `pods` are given).
   * Warning Events of pods outside `pods` do not count.
   */
  events?: KubeObject[];
  /**
   * @internal The problems of the current pods, kept up to date by the
   * caller (a tracker): judged in constant time, instead of going over
   * `pods` and `events`.
   */
  tally?: ProblemTally;
  /** Events older than this do not count as failures. */
  trackingSince?: Date;
  /** For Deployments: the ReplicaSet of the current revision. */
  newReplicaSet?: KubeObject;
  /**
   * A custom resource's controller is expected to report a status (the
   * object is new, or its kind's CRD declares a status subresource): while
   * it reports none, the object is not ready. @default false
   */
  statusExpected?: boolean;
  /** User-supplied rules for custom kinds (see rules.ts). */
  rules?: readonly import('./rules.js').CustomRule[];
}

/** A verdict function for one kind. Pure: no I/O, no clock. */
export type VerdictRule = (object: KubeObject, context: VerdictContext) => Verdict;

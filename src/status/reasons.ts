/**
 * The reasons kubedog gives. A verdict, a `pod-error` or a `failed` event
 * carries one of these, or a reason copied from the object or Event it
 * judged (a Job's `PodFailurePolicy`, a container's `ContainerCannotRun`),
 * which keeps the cluster's own name.
 */

/** Why a resource failed, or why one of its pods is failing. */
export const FailureReason = {
  // The track itself.
  /** The timeout ran out before the resource was ready. */
  Timeout: 'Timeout',
  /** Nothing happened at all for the no-activity timeout. */
  NoActivity: 'NoActivity',
  /** The resource was deleted while a rollout waited for it. */
  Deleted: 'Deleted',
  // Controllers and conditions.
  Stalled: 'Stalled',
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  /** A Deployment pinned to a revision (`rollout status --revision`) runs a newer one. */
  RevisionReplaced: 'RevisionReplaced',
  ReplicaFailure: 'ReplicaFailure',
  PodFailed: 'PodFailed',
  ClaimLost: 'ClaimLost',
  NamesNotAccepted: 'NamesNotAccepted',
  PhaseFailed: 'PhaseFailed',
  ConditionFalse: 'ConditionFalse',
  Degraded: 'Degraded',
  // Containers (the kubelet's waiting and terminated reasons).
  InvalidImageName: 'InvalidImageName',
  ErrImageNeverPull: 'ErrImageNeverPull',
  ErrImagePull: 'ErrImagePull',
  ImagePullBackOff: 'ImagePullBackOff',
  CrashLoopBackOff: 'CrashLoopBackOff',
  CreateContainerConfigError: 'CreateContainerConfigError',
  CreateContainerError: 'CreateContainerError',
  RunContainerError: 'RunContainerError',
  PreStartHookError: 'PreStartHookError',
  PostStartHookError: 'PostStartHookError',
  OOMKilled: 'OOMKilled',
  /** A container that exited with an error, when its runtime gave no reason. */
  Error: 'Error',
  /** A container that was restarted and runs again. */
  Restarted: 'Restarted',
  ReadinessProbeFailing: 'ReadinessProbeFailing',
  // Pods.
  Unschedulable: 'Unschedulable',
  Evicted: 'Evicted',
  // Warning Events.
  FailedCreate: 'FailedCreate',
  FailedScheduling: 'FailedScheduling',
  FailedMount: 'FailedMount',
  FailedAttachVolume: 'FailedAttachVolume',
  BackoffLimitExceeded: 'BackoffLimitExceeded',
  DeadlineExceeded: 'DeadlineExceeded',
  // Helm.
  /** Helm says the release failed (`helm status`: failed), or it was uninstalled while tracked. */
  HelmReleaseFailed: 'HelmReleaseFailed',
  /** Helm recorded a hook of the revision as failed, and the hook object is gone. */
  HelmHookFailed: 'HelmHookFailed',
} as const;

/** A reason of kubedog's own failures: see {@link FailureReason}. */
export type FailureReason = (typeof FailureReason)[keyof typeof FailureReason];

/** Every reason of kubedog's own verdicts (reasons copied from objects and events keep their own names). */
export const Reason = {
  ...FailureReason,
  Ready: 'Ready',
  Terminating: 'Terminating',
  SpecNotObserved: 'SpecNotObserved',
  Reconciling: 'Reconciling',
  Paused: 'Paused',
  UpdatingReplicas: 'UpdatingReplicas',
  OldReplicasPending: 'OldReplicasPending',
  WaitingForAvailable: 'WaitingForAvailable',
  WaitingForReady: 'WaitingForReady',
  PartitionedRollout: 'PartitionedRollout',
  RevisionUpdate: 'RevisionUpdate',
  /** A Deployment pinned to a revision (`rollout status --revision`) has not reached it yet. */
  RevisionPending: 'RevisionPending',
  JobNotStarted: 'JobNotStarted',
  JobRunning: 'JobRunning',
  JobSuspended: 'JobSuspended',
  JobComplete: 'JobComplete',
  /** An Indexed Job lost an index to backoffLimitPerIndex: it can only end Failed (as the Job's own reason). */
  FailedIndexes: 'FailedIndexes',
  PodPending: 'PodPending',
  PodInitializing: 'PodInitializing',
  PodNotReady: 'PodNotReady',
  PodSucceeded: 'PodSucceeded',
  WaitingForIP: 'WaitingForIP',
  WaitingForLoadBalancer: 'WaitingForLoadBalancer',
  ClaimPending: 'ClaimPending',
  NotEstablished: 'NotEstablished',
  Progressing: 'Progressing',
  /** An object that reports no status, or one of Kubernetes' own kinds without a rule: it exists. */
  Exists: 'Exists',
  /** Its controller observed the current generation, and its status says nothing more. */
  Observed: 'Observed',
  /** A status kubedog cannot read: it waits (a rules file can describe it). */
  UnknownStatus: 'UnknownStatus',
  /** A custom resource whose controller has not reported a status yet, and is expected to. */
  AwaitingStatus: 'AwaitingStatus',
  /** The resource does not exist (yet). */
  NotFound: 'NotFound',
  // Waiting for a deletion (`until: 'deleted'`).
  /** It exists, and nobody asked to delete it. */
  NotDeleting: 'NotDeleting',
  /** Its deletion waits for finalizers (or a Namespace's content). */
  FinalizersPending: 'FinalizersPending',
  /** Its deletion waits for its dependents (foreground deletion). */
  DependentsPending: 'DependentsPending',
  // Helm.
  /** Helm is still installing, upgrading or rolling back the revision. */
  HelmPending: 'HelmPending',
  /** Helm deployed the revision. */
  HelmDeployed: 'HelmDeployed',
  /** Helm deployed the revision, then a newer one replaced it. */
  HelmSuperseded: 'HelmSuperseded',
  /** A hook Helm ran and deleted after it succeeded (`hook-delete-policy: hook-succeeded`). */
  HelmHookSucceeded: 'HelmHookSucceeded',
} as const;

export type KnownReason = (typeof Reason)[keyof typeof Reason];

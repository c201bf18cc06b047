/** kubedog: track Kubernetes resources while they roll out. Public library API (re-exports only). */
export { type ExecCredentialStatus, runExecPlugin } from './kube/auth.js';
export type { RetryOptions } from './kube/backoff.js';
export {
  type KindLike,
  KubeClient,
  type KubeClientOptions,
  type ListOptions,
  type ListResult,
  type ObjectRef,
  type RequestOptions,
} from './kube/client.js';
export {
  type ClusterConfig,
  type ExecConfig,
  kubeConfigFromString,
  type LoadKubeConfigOptions,
  loadInCluster,
  loadKubeConfig,
  type ResolvedKubeConfig,
  type UserConfig,
} from './kube/config.js';
export { parseDuration, parseSince } from './kube/duration.js';
export {
  InvalidInputError,
  isKubeApiError,
  isKubeConfigError,
  isKubedogError,
  KubeApiError,
  KubeAuthError,
  KubeConfigError,
  KubeConnectionError,
  KubeDecodeError,
  KubedogError,
  type KubedogErrorCode,
  type KubeStatus,
  KubeTlsError,
} from './kube/errors.js';
export { LineSplitter, readLines } from './kube/lines.js';
export type { LogLine, LogNotice, LogOptions } from './kube/logs.js';
export { parseManifests } from './kube/manifests.js';
export { REDACTED, type RecordedLine } from './kube/recorder.js';
export { BUILTIN_RESOURCES, findBuiltinResource, type ResourceType, resourcePath } from './kube/resources.js';
export { parseFieldSelector, parseLabelSelector } from './kube/selector.js';
export type {
  KubeList,
  KubeObject,
  ObjectMeta,
  OwnerReference,
  WatchEvent,
  WatchEventType,
} from './kube/types.js';
export type { WatchNotice, WatchOptions } from './kube/watch.js';
export {
  type CustomRule,
  classifyEvent,
  computeVerdict,
  type FailureClass,
  FailureReason,
  type Problem,
  type Progress,
  parseRules,
  podProblems,
  Reason,
  readinessWindowMs,
  redactCredentials,
  type Verdict,
  type VerdictContext,
  type VerdictOptions,
  type VerdictState,
} from './status/index.js';
export type {
  AddedEvent,
  ContainerLines,
  DeletedEvent,
  FailedEvent,
  FailureReport,
  KubeEventEvent,
  LogEvent,
  MultitrackEvent,
  MultitrackSummary,
  NoticeEvent,
  Outcome,
  PodErrorEvent,
  PodEvent,
  ReadyEvent,
  ReplicaSetEvent,
  ReportedWarning,
  ResourceRef,
  StatusEvent,
  SummaryEntry,
  SummaryEvent,
  TrackEvent,
  TrackEventType,
} from './track/events.js';
export { type FeedCallbacks, feed, STOP } from './track/feed.js';
export { decodeHelmRelease, encodeHelmRelease, type HelmRelease, readHelmRelease } from './track/helm.js';
export type { LogOptions as TrackLogOptions } from './track/logs.js';
export { multitrack } from './track/multitrack.js';
export type { FailMode } from './track/outcome.js';
export {
  type KindTracker,
  type TrackOptions,
  type TrackTarget,
  trackDaemonSet,
  trackDeployment,
  trackIngress,
  trackJob,
  trackPersistentVolumeClaim,
  trackPod,
  trackReplicaSet,
  trackResource,
  trackService,
  trackStatefulSet,
} from './track/resource.js';
export { SharedWatches, sharedWatches } from './track/shared-watch.js';
export type { LogSource, TrackSource, WatchSource } from './track/sources.js';
export {
  isTrackable,
  type MultitrackSpec,
  specFromManifest,
  specFromObject,
  specsFromCluster,
  TRACKABLE_KINDS,
} from './track/specs.js';

/**
 * kubedog: track Kubernetes resources while they roll out. The public
 * library API (re-exports only): the client, the trackers and multitrack,
 * manifest sources, verdicts, errors (Helm releases: `kubedog/helm`). `api/kubedog.api.md` lists
 * every name and signature.
 */

export { parseMultitrackSpecs } from './inputs/go-specs.js';
export { specFromManifest, specFromObject, specsFromCluster } from './inputs/specs.js';
export type { ApplyOptions, KubeClientOptions } from './kube/client.js';
export { KubeClient } from './kube/client.js';
export type { Clock } from './kube/clock.js';
export { kubeConfigFromString, loadKubeConfig, type ResolvedKubeConfig } from './kube/config.js';
export {
  InvalidInputError,
  isKubeApiError,
  isKubeConfigError,
  isKubedogError,
  KubeApiError,
  KubeAuthError,
  KubeClientClosedError,
  KubeConfigError,
  KubeConnectionError,
  KubeDecodeError,
  KubedogError,
  type KubedogErrorCode,
  KubeTlsError,
} from './kube/errors.js';
export { parseManifests } from './kube/manifests.js';
export type { KubeObject, WatchEvent } from './kube/types.js';
export {
  computeVerdict,
  deletionVerdict,
  FailureReason,
  parseRules,
  type Verdict,
  type VerdictContext,
  type VerdictOptions,
} from './status/index.js';
export { findJsonPath, parseJsonPath } from './status/jsonpath.js';
export type {
  AddedEvent,
  DeletedEvent,
  DeniedRead,
  FailedEvent,
  FailureReport,
  KubeEventEvent,
  LogEvent,
  MultitrackEvent,
  MultitrackSummary,
  NoticeEvent,
  PodErrorEvent,
  PodEvent,
  ReadyEvent,
  ReplicaSetEvent,
  ResourceRef,
  StatusEvent,
  SummaryEntry,
  SummaryEvent,
  TrackEvent,
} from './track/events.js';
export { type FeedCallbacks, feed, STOP } from './track/feed.js';
export { type MultitrackSpec, multitrack } from './track/multitrack.js';
export type { FailMode } from './track/outcome.js';
export {
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
export type { WatchScope } from './track/scope.js';
export type { TrackSource } from './track/sources.js';

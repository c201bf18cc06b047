import type { KindLike, ObjectRef, RequestOptions, ResolveOptions } from '../kube/client.js';
import type { LogLine, LogOptions as LogStreamOptions } from '../kube/logs.js';
import type { ResourceType } from '../kube/resources.js';
import type { KubeObject, WatchEvent } from '../kube/types.js';
import type { WatchOptions } from '../kube/watch.js';

/** Reads container logs: `KubeClient.logBatches`. */
export interface LogSource {
  logBatches(pod: ObjectRef, options?: LogStreamOptions): AsyncIterable<LogLine[]>;
}

/** Watches a kind: `KubeClient.watch` (the objects that exist as ADDED, then every change). */
export interface WatchSource {
  watch<T extends KubeObject = KubeObject>(
    kind: KindLike,
    options?: WatchOptions,
  ): AsyncIterable<WatchEvent<T>>;
}

/**
 * All a tracker needs of a cluster: kinds resolved to their types, watches
 * and container logs. A {@link KubeClient} is one; tests can pass objects
 * of their own.
 */
export interface TrackSource extends WatchSource, LogSource {
  /** The namespace of resources given without one. */
  readonly namespace: string;
  /**
   * Lists objects (`KubeClient.list`); optional: a failure report uses it
   * to read the Warning Events the events watch had not delivered yet, and
   * a Helm release's track to find its revisions.
   */
  list?(
    kind: KindLike,
    options: { namespace?: string; labelSelector?: string; fieldSelector?: string; signal?: AbortSignal },
  ): Promise<{ items: KubeObject[] }>;
  /**
   * Reads one object (`KubeClient.get`); optional: a failure report uses it
   * to look one object further (the ConfigMap a pod waits for).
   */
  get?(kind: KindLike, ref: ObjectRef, options?: RequestOptions): Promise<KubeObject>;
  /** A kind spelling (`deploy`) to its REST type; see {@link KubeClient.resolveType}. */
  resolveType(kind: KindLike, options?: ResolveOptions): Promise<ResourceType>;
}

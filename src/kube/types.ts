/** The parts of Kubernetes objects the client relies on; everything else passes through untouched. */

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [field: string]: unknown;
}

/** A Kubernetes object as the API serves it; `spec`, `status` and the rest are the kind's own. */
export interface KubeObject {
  /** `apps/v1`, `v1`, `cert-manager.io/v1`… (the API server leaves it out of list items; the client puts it back). */
  apiVersion?: string;
  /** `Deployment`, `Pod`… */
  kind?: string;
  /** Name, namespace, labels, annotations, owners… */
  metadata: ObjectMeta;
  /** The kind's own fields: `spec`, `status`, `data`… */
  [field: string]: unknown;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change seen by a watch. BOOKMARK and ERROR events are handled inside the client. */
export interface WatchEvent<T extends KubeObject = KubeObject> {
  /** `ADDED`, `MODIFIED` or `DELETED`. */
  type: WatchEventType;
  /** The object after the change (for `DELETED`, as it was last). */
  object: T;
}

/** A JSON object (not null, not a list): what a field must be for its own fields to be read. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

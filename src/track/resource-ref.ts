import type { ResourceType } from '../kube/resources.js';

/** The resource a track event is about: its kind as the API names it (`Deployment`, `Certificate`). */
export interface ResourceRef {
  /** The kind as the API names it. */
  kind: string;
  /** `''` for cluster-scoped kinds. */
  namespace: string;
  /** Its `metadata.name`. */
  name: string;
  /** A Helm hook: the phase of the release that runs it (`pre-upgrade`, `post-install`, `test`). */
  helmHook?: string;
}

/** A resource's identity once its type is known: the namespace only for namespaced kinds. */
export function resourceRef(
  type: ResourceType,
  namespace: string,
  name: string,
  helmHook?: string | undefined,
): ResourceRef {
  return {
    kind: type.kind,
    namespace: type.namespaced ? namespace : '',
    name,
    ...(helmHook ? { helmHook } : {}),
  };
}

/** A resource's identity as one string (`Kind/namespace/name`), for maps keyed by resource. */
export const resourceKey = (r: ResourceRef): string => `${r.kind}/${r.namespace}/${r.name}`;

/** `deployment/web`: how kubedog's messages name a resource, as kubectl does. */
export const describeResource = (r: ResourceRef): string => `${r.kind.toLowerCase()}/${r.name}`;

import type { KubeObject } from '../kube/types.js';

/**
 * What a tracker's watches ask the API server for.
 *
 * - `'resource'`: only the resource's own objects — the resource by
 *   `metadata.name`; its ReplicaSets or ControllerRevisions and its pods by
 *   its label selector (once the resource is seen: the selector is in it);
 *   Events by `involvedObject.name`, one watch per object (the resource, each
 *   revision, each pod) up to {@link EVENT_WATCHES}, then one for the
 *   namespace. What the server sends grows with the resource, not with the
 *   namespace.
 * - `'namespace'`: one watch per kind and namespace, shared by every
 *   tracker of the client, the same selections made in the client (each
 *   tracker gets only its own objects). Connections stay fixed however many
 *   resources are tracked; every object of the namespace is read.
 * - `'auto'`: `'resource'` when the track has at most {@link SCOPED_RESOURCES}
 *   resources in the namespace, `'namespace'` beyond.
 *
 * Either way a tracker sees the same objects: the selection is a superset
 * of what the model takes as the resource's (pods belong through their
 * controller, which only ever controls pods its selector matches).
 */
export type WatchScope = 'auto' | 'resource' | 'namespace';

/**
 * Up to this many resources of one namespace, each is watched on its own
 * (8 connections for a Deployment of 3 pods, about 0.02 CPU s more than a
 * share of the namespace's watches); beyond it, the namespace's shared
 * watches (4 connections in all, whatever the namespace holds cost once)
 * cost less. Measured in bench/scale.ts and bench/busy-namespace.ts.
 */
export const SCOPED_RESOURCES = 10;

/** A tracker's Event watches per object, at most: beyond them, one watch of the namespace's Events. */
export const EVENT_WATCHES = 12;

/** The scope of a tracker that is one of `count` resources of its namespace. */
export function scopeFor(asked: WatchScope | undefined, count: number): 'resource' | 'namespace' {
  if (asked === 'resource' || asked === 'namespace') return asked;
  return count <= SCOPED_RESOURCES ? 'resource' : 'namespace';
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const EXPRESSIONS: Record<string, (key: string, values: string) => string> = {
  In: (key, values) => `${key} in (${values})`,
  NotIn: (key, values) => `${key} notin (${values})`,
  Exists: (key) => key,
  DoesNotExist: (key) => `!${key}`,
};

/**
 * A workload's `spec.selector` as a label selector query
 * (`app=web,tier in (a,b)`), or undefined when it selects everything or
 * says nothing the query language can say (then the namespace is watched).
 */
export function podSelectorOf(resource: KubeObject): string | undefined {
  const selector = (resource.spec as { selector?: LabelSelector } | undefined)?.selector;
  if (!selector || typeof selector !== 'object') return undefined;
  const terms = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const term = EXPRESSIONS[operator];
    if (!term || ((operator === 'In' || operator === 'NotIn') && values.length === 0)) return undefined;
    terms.push(term(key, values.join(',')));
  }
  return terms.length > 0 ? terms.join(',') : undefined;
}

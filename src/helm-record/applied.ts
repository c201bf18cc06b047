import type { KubeObject } from '../kube/types.js';
import { recordSummary } from './codec.js';

interface ManagedEntry {
  time?: string;
  subresource?: string;
}

/**
 * Whether the object was created after `since` (ms since the epoch): in a
 * later second, since the API server's timestamps have whole seconds.
 */
export const createdAfter = (object: KubeObject, since: number): boolean =>
  Date.parse(object.metadata.creationTimestamp ?? '') > since;

/**
 * Whether the object was created or changed after `since`: its creation,
 * or a change to more than its status in `metadata.managedFields` (the API
 * server stamps every write), in a later second.
 */
export function changedAfter(object: KubeObject, since: number): boolean {
  if (createdAfter(object, since)) return true;
  const entries = (object.metadata.managedFields ?? []) as ManagedEntry[];
  return entries.some((entry) => !entry.subresource && Date.parse(entry.time ?? '') > since);
}

/** Whether the record says Helm started the hook (it records the start once the earlier run's object is deleted). */
export function hookStarted(record: KubeObject, kind: string, name: string): boolean {
  const summary = recordSummary(record);
  return summary.readable && summary.hooks.some((h) => h.kind === kind && h.name === name && h.started);
}

/**
 * Whether Helm has applied a revision's resources, as its record tells:
 * the revision is no longer pending (deployed, failed, superseded), or one
 * of its `post-*` hooks ran — Helm runs those after the resources. While
 * it is pending, the `pre-*` hooks may still be running, and the
 * resources are still the previous revision's.
 */
export function recordSaysApplied(record: KubeObject): boolean {
  const summary = recordSummary(record);
  // A record that does not decode: its own track fails on it; nothing is held for it here.
  if (!summary.readable || !summary.status.startsWith('pending-')) return true;
  return summary.hooks.some((hook) => hook.started && hook.events.some((e) => e.startsWith('post-')));
}

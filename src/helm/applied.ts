import type { KubeObject } from '../kube/types.js';
import { decodeRecord } from './codec.js';

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

/** The hooks of a record's release (none when it cannot be read). */
function hooksOf(record: KubeObject): Record<string, unknown>[] {
  try {
    const hooks = decodeRecord(record).hooks;
    return Array.isArray(hooks) ? (hooks as Record<string, unknown>[]) : [];
  } catch {
    return [];
  }
}

const started = (hook: Record<string, unknown>) => {
  const phase = (hook.last_run as { phase?: unknown } | undefined)?.phase;
  return typeof phase === 'string' && phase !== '';
};

/** Whether the record says Helm started the hook (it records the start once the earlier run's object is deleted). */
export const hookStarted = (record: KubeObject, kind: string, name: string): boolean =>
  hooksOf(record).some((hook) => hook.kind === kind && hook.name === name && started(hook));

/**
 * Whether Helm has applied a revision's resources, as its record tells:
 * the revision is no longer pending (deployed, failed, superseded), or one
 * of its `post-*` hooks ran — Helm runs those after the resources. While
 * it is pending, the `pre-*` hooks may still be running, and the
 * resources are still the previous revision's.
 */
export function recordSaysApplied(record: KubeObject): boolean {
  let status: unknown;
  try {
    status = (decodeRecord(record).info as { status?: unknown } | undefined)?.status;
  } catch {
    // The record's own track fails on it; nothing is held for it here.
    return true;
  }
  if (typeof status !== 'string' || !status.startsWith('pending-')) return true;
  return hooksOf(record).some((hook) => {
    const events = Array.isArray(hook.events) ? (hook.events as unknown[]) : [];
    return events.some((e) => typeof e === 'string' && e.startsWith('post-')) && started(hook);
  });
}

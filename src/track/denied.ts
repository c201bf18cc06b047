import { formatRule, isForbidden, ruleFor, WATCH_VERBS } from '../kube/rbac.js';
import type { DeniedRead, TrackEventInit } from './events.js';
import type { WatchName } from './model/model.js';

/** What a track does without each read it can do without. */
const WITHOUT: Record<Exclude<WatchName, 'resource'> | 'log', (revisions: string) => string> = {
  event: () => 'Kubernetes Events are not shown; failures are judged from the pods’ statuses',
  pod: () => 'its pods are neither shown nor followed; it is judged from its status alone',
  revision: (revisions) =>
    revisions === 'ReplicaSet'
      ? 'judged from its status and its pods by selector (the current ReplicaSet is the one its Progressing condition names)'
      : 'every pod of the resource is judged as current',
  release: () => 'whether Helm applied the revision is judged from the resource alone',
  log: () => 'its containers’ logs are not shown, nor in a failure report',
};

/**
 * The notice of a read the API server refused (403) that the track goes on
 * without: what it was, the RBAC rule to add (verbs as the read needs them:
 * a watch lists first), and what the track does without it. `revisions`:
 * the kind's revision objects (ReplicaSet, ControllerRevision).
 */
export function deniedNotice(
  read: Exclude<WatchName, 'resource'> | 'log',
  error: unknown,
  revisions = '',
): TrackEventInit {
  const without = WITHOUT[read](revisions);
  const rule = isForbidden(error) ? ruleFor(error, read === 'log' ? ['get'] : WATCH_VERBS) : undefined;
  if (!rule) return { type: 'notice', message: `${(error as Error).message}; going on: ${without}` };
  const denied: DeniedRead = { read: rule.resources[0] ?? read, rule, without };
  return {
    type: 'notice',
    code: 'denied',
    denied,
    message: `may not read ${denied.read} (403 Forbidden): ${without}; to allow it, add the rule ${formatRule(rule)}`,
  };
}

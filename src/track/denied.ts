import { formatRule, isForbidden, ruleFor, WATCH_VERBS } from '../kube/rbac.js';
import type { DeniedRead, TrackEventInit } from './events.js';
import type { WatchName } from './model/model.js';

/** What a track does without each read it can do without. */
const WITHOUT: Record<DeniableRead, (revisions: string) => string> = {
  event: () => 'Kubernetes Events are not shown; failures are judged from the pods’ statuses',
  pod: () => 'its pods are neither shown nor followed; it is judged from its status alone',
  revision: (revisions) =>
    revisions === 'ReplicaSet'
      ? 'judged from its status and its pods by selector (the current ReplicaSet is the one its Progressing condition names)'
      : 'every pod of the resource is judged as current',
  release: () => 'whether Helm applied the revision is judged from the resource alone',
  log: () => 'its containers’ logs are not shown, nor in a failure report',
  crd: () =>
    'whether its controller is to report a status is judged by its age (created within a minute of the track: it waits for one)',
};

/** The reads a track can do without: its watches but the resource's, logs, and its kind's CRD. */
export type DeniableRead = Exclude<WatchName, 'resource'> | 'log' | 'crd';

/** The verbs each read needs: a watch lists first; the rest are reads of one object. */
const verbsOf = (read: DeniableRead) => (read === 'log' || read === 'crd' ? ['get'] : WATCH_VERBS);

/**
 * The notice of a read the API server refused (403) that the track goes on
 * without: what it was, the RBAC rule to add (verbs as the read needs them:
 * a watch lists first), and what the track does without it. `revisions`:
 * the kind's revision objects (ReplicaSet, ControllerRevision).
 */
export function deniedNotice(read: DeniableRead, error: unknown, revisions = ''): TrackEventInit {
  const without = WITHOUT[read](revisions);
  const rule = isForbidden(error) ? ruleFor(error, verbsOf(read)) : undefined;
  if (!rule)
    return {
      type: 'notice',
      code: 'unavailable',
      message: `${(error as Error).message}; going on: ${without}`,
    };
  const denied: DeniedRead = { read: rule.resources[0] ?? read, rule, without };
  return {
    type: 'notice',
    code: 'denied',
    denied,
    message: `may not read ${denied.read} (403 Forbidden): ${without}; to allow it, add the rule ${formatRule(rule)}`,
  };
}

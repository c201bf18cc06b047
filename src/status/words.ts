import type { KubeObject } from '../kube/types.js';
import { conditions, str } from './fields.js';

/**
 * Status words, for kinds nobody described: what a controller's own
 * vocabulary says — the word lists of the Go kubedog's generic tracker
 * (pkg/tracker/generic/resource_state_json_paths.go), plus what the
 * operators of docs/readiness.md write. Matched whole, ignoring case,
 * spaces, `-`, `_` and `.` ("In Progress", "in-progress", "IN_PROGRESS").
 */

export type Word = 'ready' | 'progressing' | 'failed';

const READY_WORDS = [
  'ready',
  'success',
  'succeeded',
  'complete',
  'completed',
  'finished',
  'finalized',
  'done',
  'available',
  'running',
  'ok',
  'active',
  'live',
  'healthy',
  'started',
  'initialized',
  'approved',
  'bound',
  'established',
  'deployed',
  'synced',
  'valid',
  'green',
];

const PROGRESSING_WORDS = [
  'creating',
  'updating',
  'waiting',
  'awaiting',
  'pending',
  'finishing',
  'starting',
  'readying',
  'in progress',
  'progressing',
  'initialization',
  'initializing',
  'approving',
  'reconciling',
  'provisioning',
  'deploying',
  'scaling',
  'unknown',
  'invalid',
  'yellow',
  'red',
];

const FAILED_WORDS = [
  'failure',
  'failed',
  'abort',
  'aborted',
  'terminated',
  'error',
  'errored',
  'rejection',
  'rejected',
  'degraded',
  'lost',
  'crashloopbackoff',
];

const fold = (word: string) => word.toLowerCase().replace(/[\s._-]+/g, '');

const WORDS = new Map<string, Word>([
  ...READY_WORDS.map((w) => [fold(w), 'ready'] as const),
  ...PROGRESSING_WORDS.map((w) => [fold(w), 'progressing'] as const),
  ...FAILED_WORDS.map((w) => [fold(w), 'failed'] as const),
]);

/** The lists, as docs/readiness.md shows them. */
export const WORD_LISTS: Readonly<Record<Word, readonly string[]>> = {
  ready: READY_WORDS,
  progressing: PROGRESSING_WORDS,
  failed: FAILED_WORDS,
};

/** What a status word says, if it is one of the lists. */
export function wordOf(text: string): Word | undefined {
  return WORDS.get(fold(text));
}

/** The status fields a controller writes its state into, in the order they are read. */
export const STATE_FIELDS = [
  'phase',
  'currentPhase',
  'state',
  'currentState',
  'status',
  'currentStatus',
  'health',
  'currentHealth',
  'PostgresClusterStatus',
] as const;

/** A state field whose value is one of the words: where, what it says and what it is. */
export interface StateWord {
  field: string;
  value: string;
  word: Word;
}

/** The state fields of the object whose values are known words, in {@link STATE_FIELDS} order. */
export function stateWords(object: KubeObject): StateWord[] {
  const found: StateWord[] = [];
  for (const field of STATE_FIELDS) {
    const value = str(object, 'status', field);
    const word = value === undefined ? undefined : wordOf(value);
    if (value !== undefined && word) found.push({ field, value, word });
  }
  return found;
}

/**
 * A condition reason that says the controller failed, not that it waits:
 * `InstallFailed`, `ReconcileError`, `InvalidSpec`, `RolloutAborted`.
 * `NotReady`, `DependencyNotReady`, `Progressing` are not.
 */
export function isFailureReason(reason: string | undefined): boolean {
  return (
    reason !== undefined &&
    /(Fail(ed|ure)?|Error|Errored|Invalid|Rejected|Abort(ed)?|Denied)(?=[A-Z]|$)/.test(reason)
  );
}

/** Condition types that mean ready when True, by their word ("Available", "Healthy", "Synced"…). */
export function readyConditionTypes(object: KubeObject): string[] {
  return conditions(object)
    .map((c) => c.type)
    .filter((type) => wordOf(type) === 'ready');
}

import type { KubeObject } from '../../kube/types.js';
import { get, num, str } from './runtime.js';

/**
 * Indexed Jobs (`completionMode: Indexed`) as the Job controller keeps them:
 * each pod runs one index (the `batch.kubernetes.io/job-completion-index`
 * annotation); an index succeeds once; with `backoffLimitPerIndex` an index
 * whose pods failed more often than that is failed for good
 * (`status.failedIndexes`), and the Job fails once every index has ended
 * (`FailedIndexes`) or more than `maxFailedIndexes` failed; `successPolicy`
 * ends the Job as soon as its rule's indexes (and count) succeeded.
 * https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode
 */
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

export interface IndexedState {
  succeeded: Set<number>;
  failed: Set<number>;
  /** Indexes to start a pod for: neither ended nor running (lowest first). */
  pending: number[];
}

export const isIndexed = (job: KubeObject): boolean => str(job, 'spec', 'completionMode') === 'Indexed';

export function indexOf(pod: KubeObject): number | undefined {
  const value = pod.metadata.annotations?.[COMPLETION_INDEX];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Where each index stands, from the Job's pods and the indexes it already counted as failed. */
export function indexedState(
  job: KubeObject,
  pods: KubeObject[],
  isActive: (pod: KubeObject) => boolean,
): IndexedState {
  const completions = num(job, 'spec', 'completions') ?? 1;
  const perIndex = num(job, 'spec', 'backoffLimitPerIndex');
  const succeeded = new Set<number>();
  const failed = new Set(parseIndexes(str(job, 'status', 'failedIndexes') ?? '', completions));
  const running = new Set<number>();
  const failuresOf = new Map<number, number>();
  for (const pod of pods) {
    const index = indexOf(pod);
    if (index === undefined || index >= completions) continue;
    const phase = str(pod, 'status', 'phase');
    if (phase === 'Succeeded') succeeded.add(index);
    else if (phase === 'Failed') failuresOf.set(index, (failuresOf.get(index) ?? 0) + 1);
    else if (isActive(pod)) running.add(index);
  }
  if (perIndex !== undefined)
    for (const [index, failures] of failuresOf)
      if (failures > perIndex && !succeeded.has(index)) failed.add(index);
  const pending: number[] = [];
  for (let index = 0; index < completions; index++)
    if (!succeeded.has(index) && !failed.has(index) && !running.has(index)) pending.push(index);
  return { succeeded, failed, pending };
}

/** The Job's end an Indexed Job's indexes decide, if they decide one. */
export function indexedOutcome(
  job: KubeObject,
  state: IndexedState,
): { failed: boolean; reason: string; message: string } | undefined {
  const completions = num(job, 'spec', 'completions') ?? 1;
  if (num(job, 'spec', 'backoffLimitPerIndex') !== undefined) {
    const maxFailed = num(job, 'spec', 'maxFailedIndexes');
    if (maxFailed !== undefined && state.failed.size > maxFailed)
      return {
        failed: true,
        reason: 'MaxFailedIndexesExceeded',
        message: 'Job has exceeded the specified maximal number of failed indexes',
      };
    if (state.failed.size > 0 && state.failed.size + state.succeeded.size >= completions)
      return { failed: true, reason: 'FailedIndexes', message: 'Job has failed indexes' };
  }
  const rules = (get(job, 'spec', 'successPolicy', 'rules') as Record<string, unknown>[] | undefined) ?? [];
  for (const [index, rule] of rules.entries())
    if (successRuleMet(rule, state.succeeded, completions))
      return { failed: false, reason: 'SuccessPolicy', message: `Matched rules at index ${index}` };
  return undefined;
}

function successRuleMet(rule: Record<string, unknown>, succeeded: Set<number>, completions: number): boolean {
  const listed =
    typeof rule.succeededIndexes === 'string' ? parseIndexes(rule.succeededIndexes, completions) : undefined;
  const count = typeof rule.succeededCount === 'number' ? rule.succeededCount : undefined;
  const met = (listed ?? [...succeeded]).filter((i) => succeeded.has(i)).length;
  if (listed && count === undefined) return met === listed.length;
  return count !== undefined && met >= count;
}

/** `1,3-5` → [1, 3, 4, 5], as the API writes index sets; only the indexes below `completions`. */
export function parseIndexes(text: string, completions: number): number[] {
  const indexes: number[] = [];
  for (const part of text.split(',')) {
    if (!/^\d+(-\d+)?$/.test(part)) continue;
    const [from = 0, to] = part.split('-').map((n) => Number(n));
    for (let i = from; i <= Math.min(to ?? from, completions - 1); i++) indexes.push(i);
  }
  return indexes;
}

/** [1, 3, 4, 5] → `1,3-5`. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i] as number;
    let end = start;
    while (sorted[i + 1] === end + 1) end = sorted[++i] as number;
    parts.push(end === start ? String(start) : `${start}-${end}`);
  }
  return parts.join(',');
}

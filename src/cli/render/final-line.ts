import { formatElapsed } from '../../report/names.js';
import { FailureReason } from '../../status/reasons.js';
import { conditionCheck } from '../../status/wait-condition.js';
import type { MultitrackSummary, SummaryEntry } from '../../track/events.js';
import type { TrackArgs } from '../args.js';

/** What the last line needs to know of the command line, and how it names resources. */
export interface FinalLineContext {
  args: Pick<TrackArgs, 'mode' | 'until' | 'timeout' | 'condition'>;
  names: (entries: SummaryEntry[]) => string;
}

const NOT_DONE: Record<TrackArgs['until'], string> = {
  ready: 'not ready',
  never: 'not ready',
  once: 'not ready',
  deleted: 'not deleted',
  exists: 'not created',
};

/** The last line of a track, from its summary (without its ✓ or ✗); what it could not read, said last. */
export function finalLine(summary: MultitrackSummary, context: FinalLineContext): string {
  return `${outcomeLine(summary, context)}${withoutReads(summary)}`;
}

/** ` (without access to events, replicasets)`: the reads refused, once each, when there were any. */
function withoutReads(summary: MultitrackSummary): string {
  const reads = [...new Set(summary.degraded.map((d) => d.read))];
  return reads.length > 0 ? ` (without access to ${reads.join(', ')})` : '';
}

/** `rollout status --watch=false`: judged once, a failure is exit 1, anything else 0 (kubectl's). */
export const judgedOnce = (args: Pick<TrackArgs, 'mode' | 'until'>) =>
  args.mode === 'status' && args.until === 'once';

/** Each resource as it was judged, the failures first: `deploy/web: Waiting for …; deploy/db ready`. */
function judgedOnceLine(summary: MultitrackSummary, names: FinalLineContext['names']): string {
  const failed = summary.failed.map((f) => `${names([f])} failed: ${f.message}`);
  const pending = summary.pending.map((p) => `${names([p])}: ${p.message}`);
  const ready = summary.ready.length > 0 ? [`${names(summary.ready)} ready`] : [];
  return `judged once: ${[...failed, ...pending, ...ready].join('; ')}`;
}

function outcomeLine(summary: MultitrackSummary, context: FinalLineContext): string {
  const { args, names } = context;
  if (judgedOnce(args) && summary.outcome === 'ready') return judgedOnceLine(summary, names);
  const elapsed = formatElapsed(summary.elapsedMs);
  const total = summary.ready.length + summary.failed.length + summary.pending.length;
  switch (summary.outcome) {
    case 'failed': {
      const counted = summary.failed.filter((f) => !f.ignored);
      return total === 1
        ? `${names(counted)} failed after ${elapsed}: ${counted[0]?.reason}`
        : `${counted.length} of ${total} resources failed after ${elapsed}: ${names(counted)}`;
    }
    case 'timeout': {
      const late = summary.failed.filter((f) => f.reason === FailureReason.Timeout);
      const after = formatElapsed(args.timeout ?? summary.elapsedMs);
      const notDone = args.condition
        ? `${conditionCheck(args.condition).said} not met`
        : NOT_DONE[args.until];
      return `timed out after ${after}: ${names(late)} ${notDone}`;
    }
    case 'deleted':
      if (args.until === 'never') return `every tracked resource was deleted; followed for ${elapsed}`;
      if (total === 0) return 'nothing matches: nothing left to wait for';
      return `${total === 1 ? `${names(summary.ready)} is` : `all ${total} resources are`} gone (waited ${elapsed})`;
    case 'exists':
      return `${total === 1 ? `${names(summary.ready)} exists` : `all ${total} resources exist`} (waited ${elapsed})`;
    case 'ready':
      return readyLine(summary, context, elapsed, total);
  }
}

function readyLine(
  summary: MultitrackSummary,
  { args, names }: FinalLineContext,
  elapsed: string,
  total: number,
) {
  const ignored =
    summary.failed.length > 0 ? `; failed, ignored (fail-mode ignore): ${names(summary.failed)}` : '';
  const met = args.condition ? `: ${conditionCheck(args.condition).said}` : ' ready';
  const ready =
    total === 1
      ? `${names(summary.ready)}${met}`
      : `${summary.ready.length} of ${total} resources${args.condition ? ' meet' : ''}${met.replace(/^: /, ' ')}`;
  // Following, the track ends at the timeout: what is ready then, not when it became ready.
  return args.mode === 'follow'
    ? `followed for ${elapsed}: ${ready}${ignored}`
    : `${ready} after ${elapsed}${ignored}`;
}

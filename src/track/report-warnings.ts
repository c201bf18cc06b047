import type { ReportedWarning } from './events.js';
import { reportedWarning } from './model/kube-events.js';
import type { TrackSource } from './sources.js';

/**
 * The Warning Events of a failure report: those the events watch delivered,
 * and those of the failing pods read from the API (one list per pod, scoped
 * on the server) — a busy namespace's events watch can lag behind its pods
 * watch, and a report without the pull error is no report. The API's copy
 * wins (its count is newer). A source that cannot list, or a read that
 * fails or runs out of time, adds nothing.
 */
export async function reportWarnings(
  source: TrackSource,
  namespace: string,
  known: readonly ReportedWarning[],
  pods: readonly string[],
  signal: AbortSignal,
): Promise<ReportedWarning[]> {
  const { list } = source;
  if (!list || pods.length === 0) return [...known];
  const lists = await Promise.all(
    [...new Set(pods)].map((pod) =>
      list
        .call(source, 'Event', {
          namespace,
          fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${pod},type=Warning`,
          signal,
        })
        .then((found) => found.items.map(reportedWarning))
        .catch(() => []),
    ),
  );
  const merged = new Map<string, ReportedWarning>();
  for (const warning of [...known, ...lists.flat()])
    merged.set(`${warning.involvedObject}\u0000${warning.reason}\u0000${warning.message}`, warning);
  return [...merged.values()];
}

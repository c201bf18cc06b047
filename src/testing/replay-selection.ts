import type { KubeObject } from '../kube/types.js';
import { Selection } from '../track/selection.js';

/** A recorded response body, chunk by chunk on the recording's timeline. */
export interface RecordedBody {
  query: string;
  chunks: { t: number; data: string }[];
}

const SELECTORS = ['labelSelector', 'fieldSelector'];

/**
 * The request without its selectors, when it has any: a recording of the
 * whole collection answers it, filtered (a recording made with watches of
 * the namespace replays for trackers that scope theirs, and the other way
 * round is not needed: a scoped recording has the scoped requests).
 */
export function withoutSelectors(query: string): string | undefined {
  const params = new URLSearchParams(query);
  if (!SELECTORS.some((name) => params.get(name))) return undefined;
  for (const name of SELECTORS) params.delete(name);
  return params.toString();
}

/**
 * A recorded body as the API server would have sent it for `query`'s
 * selectors: a list keeps the items they match (sent whole, when its last
 * chunk was), a watch the events whose object they match (each when the
 * chunk that completed it was).
 */
export function selectBody<T extends RecordedBody>(recorded: T, query: string): T {
  const params = new URLSearchParams(query);
  const selection = new Selection({
    labelSelector: params.get('labelSelector') ?? '',
    fieldSelector: params.get('fieldSelector') ?? '',
  });
  const matches = (object: KubeObject | undefined) =>
    object?.metadata !== undefined && selection.matches(object);
  const chunks =
    params.get('watch') === 'true' ? watchLines(recorded.chunks, matches) : list(recorded.chunks, matches);
  return { ...recorded, chunks };
}

function list(
  chunks: RecordedBody['chunks'],
  matches: (object: KubeObject) => boolean,
): RecordedBody['chunks'] {
  const last = chunks.at(-1);
  if (!last) return [];
  const text = chunks.map((chunk) => chunk.data).join('');
  try {
    const body = JSON.parse(text) as { items?: KubeObject[] };
    if (Array.isArray(body.items)) body.items = body.items.filter(matches);
    return [{ t: last.t, data: JSON.stringify(body) }];
  } catch {
    // Not a whole JSON body (a cut response): as recorded.
    return chunks;
  }
}

function watchLines(
  chunks: RecordedBody['chunks'],
  matches: (object: KubeObject) => boolean,
): RecordedBody['chunks'] {
  const kept: RecordedBody['chunks'] = [];
  let partial = '';
  for (const chunk of chunks) {
    const lines = (partial + chunk.data).split('\n');
    partial = lines.pop() ?? '';
    const data = lines.filter((line) => line.trim() !== '' && keepEvent(line, matches));
    if (data.length > 0) kept.push({ t: chunk.t, data: `${data.join('\n')}\n` });
  }
  return kept;
}

/** A watch event whose object matches; bookmarks, errors and lines that are not JSON pass. */
function keepEvent(line: string, matches: (object: KubeObject) => boolean): boolean {
  try {
    const event = JSON.parse(line) as { type?: string; object?: KubeObject };
    if (event.type === 'BOOKMARK' || event.type === 'ERROR') return true;
    return matches(event.object as KubeObject);
  } catch {
    return true;
  }
}

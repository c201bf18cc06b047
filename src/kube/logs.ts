import { Backoff, type RetryOptions, sleep } from './backoff.js';
import type { KubeClient, ObjectRef } from './client.js';
import { isRetryable, KubeApiError } from './errors.js';
import { LineSplitter } from './lines.js';
import { logInstant, ResumePoint } from './log-resume.js';
import { BUILTIN_RESOURCES, resourcePath } from './resources.js';
import { asStreamFailure } from './watch.js';

export interface LogLine {
  /** The container runtime's timestamp, RFC 3339 with nanoseconds, as the server sent it. */
  time: string;
  /** The line without its trailing newline. */
  text: string;
}

export type LogNotice =
  | { type: 'log-reconnecting'; pod: string; container: string; reason: string; delayMs: number }
  | { type: 'log-resumed'; pod: string; container: string; since: string };

export interface LogOptions {
  /** Container name; may be omitted for single-container pods. */
  container?: string;
  /** Keep the stream open and deliver new lines as they are written. @default false */
  follow?: boolean;
  /** Only lines at or after this time. */
  sinceTime?: Date | string;
  /** Only lines of the last N seconds. */
  sinceSeconds?: number;
  /** Only the last N lines (of the first request; a resumed stream continues after the last line delivered). */
  tailLines?: number;
  /** The previous, terminated instance of the container. */
  previous?: boolean;
  signal?: AbortSignal;
  /** Reconnect pacing for followed streams. */
  retry?: RetryOptions;
  onNotice?: (notice: LogNotice) => void;
}

const POD_TYPE = BUILTIN_RESOURCES.find((t) => t.kind === 'Pod');

/**
 * Reads a container's log line by line. Timestamps are always requested, so
 * when a followed stream breaks it is resumed from the last line delivered:
 * the server is asked for lines since that second (its granularity) and the
 * lines already delivered are skipped, so no line is lost or repeated. A
 * stream that ends while the container still runs is resumed too; one that
 * ends because the container stopped or the pod went away ends the iterable.
 */
export async function* readLogs(
  client: KubeClient,
  pod: ObjectRef,
  options: LogOptions = {},
): AsyncGenerator<LogLine, void, undefined> {
  for await (const batch of readLogBatches(client, pod, options)) yield* batch;
}

/**
 * {@link readLogs} a network chunk at a time: the lines that arrived together
 * come as one array, so a fast log costs one step per chunk, not per line.
 */
export async function* readLogBatches(
  client: KubeClient,
  pod: ObjectRef,
  options: LogOptions = {},
): AsyncGenerator<LogLine[], void, undefined> {
  const { signal } = options;
  signal?.throwIfAborted();
  if (!POD_TYPE) throw new Error('Pod type missing');
  const namespace = pod.namespace ?? client.namespace;
  const path = resourcePath(POD_TYPE, { namespace, name: pod.name, subresource: 'log' });
  const container = options.container ?? '';
  const notify = options.onNotice ?? (() => {});
  const backoff = new Backoff({ initialDelayMs: 500, maxDelayMs: 10_000, ...options.retry });
  const resume = new ResumePoint();
  const baseQuery = {
    container: options.container,
    follow: options.follow ? 'true' : undefined,
    previous: options.previous ? 'true' : undefined,
    timestamps: 'true',
  };
  const firstQuery = {
    ...baseQuery,
    tailLines: options.tailLines,
    sinceSeconds: options.sinceSeconds,
    sinceTime: options.sinceTime instanceof Date ? options.sinceTime.toISOString() : options.sinceTime,
  };
  // A followed stream belongs to one container instance: when the kubelet
  // restarts the container, the stream ends here and the caller starts a new one.
  const instance =
    options.follow && !options.previous
      ? (await containerState(client, namespace, pod.name, options.container, signal))?.id
      : undefined;
  const sameInstanceRunning = async () => {
    const state = await containerState(client, namespace, pod.name, options.container, signal);
    return (
      state?.running === true && (instance === undefined || state.id === undefined || state.id === instance)
    );
  };
  let first = true;
  for (;;) {
    const query = resume.since ? { ...baseQuery, sinceTime: resume.since } : firstQuery;
    if (!first) resume.startResumedStream();
    let failure: unknown;
    let completed = false;
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const splitter = new LineSplitter();
    try {
      const response = await client.request('GET', path, { signal: controller.signal, query });
      if (!first) notify({ type: 'log-resumed', pod: pod.name, container, since: resume.since ?? '' });
      for await (const chunk of response.body) {
        const batch: LogLine[] = [];
        for (const raw of splitter.push(chunk)) {
          const line = parseLogLine(raw);
          if (resume.accept(line.time)) batch.push(line);
        }
        if (batch.length > 0) {
          backoff.reset();
          yield batch;
        }
      }
      completed = true;
    } catch (error) {
      failure = asStreamFailure(error, client);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      controller.abort();
    }
    if (signal?.aborted) throw signal.reason;
    if (first && failure !== undefined && !isRetryable(failure)) throw failure;
    first = false;

    if (completed && (!options.follow || options.previous || !(await sameInstanceRunning()))) {
      // A normal end: an unterminated last line is a real line.
      const rest = splitter.takeRemainder();
      if (rest !== undefined) {
        const line = parseLogLine(rest);
        if (resume.accept(line.time)) yield [line];
      }
      return;
    }
    // The stream broke (or ended while the container runs): drop the partial
    // line, it is sent again after resuming.
    if (failure instanceof KubeApiError && (failure.statusCode === 404 || failure.statusCode === 400)) return;
    if (failure !== undefined && !isRetryable(failure)) throw failure;
    if (options.follow && failure !== undefined && !(await sameInstanceRunning())) return;
    const delay = backoff.next((failure as KubeApiError | undefined)?.retryAfterSeconds);
    if (delay === undefined) throw failure ?? new Error(`log stream of ${pod.name} keeps ending`);
    const reason =
      failure === undefined ? 'stream ended while the container runs' : (failure as Error).message;
    notify({ type: 'log-reconnecting', pod: pod.name, container, reason, delayMs: delay });
    await sleep(delay, signal);
  }
}

/** Splits `TIMESTAMP text`; a line without a timestamp keeps its text and an empty time. */
export function parseLogLine(raw: string): LogLine {
  const space = raw.indexOf(' ');
  const candidate = space === -1 ? raw : raw.slice(0, space);
  if (logInstant(candidate) === undefined) return { time: '', text: raw };
  return { time: candidate, text: space === -1 ? '' : raw.slice(space + 1) };
}

interface ContainerState {
  running: boolean;
  /** The runtime's container ID: a new one means the container restarted. */
  id: string | undefined;
}

/** The followed container's state, to tell a stream that should be resumed from one that ended for good. */
async function containerState(
  client: KubeClient,
  namespace: string,
  name: string,
  container: string | undefined,
  signal: AbortSignal | undefined,
): Promise<ContainerState | undefined> {
  type Status = { name: string; containerID?: string; state?: { running?: unknown } };
  try {
    const pod = await client.get<{
      metadata: Record<string, unknown>;
      status?: { containerStatuses?: Status[]; initContainerStatuses?: Status[] };
    }>('Pod', { namespace, name }, { signal });
    const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
    const status = container ? statuses.find((s) => s.name === container) : statuses[0];
    return { running: status?.state?.running !== undefined, id: status?.containerID };
  } catch (error) {
    if (error instanceof KubeApiError && error.statusCode === 404) return undefined;
    if (signal?.aborted) throw signal.reason;
    // Unknown: assume it runs as before; the next attempt tells.
    return { running: true, id: undefined };
  }
}

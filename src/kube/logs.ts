import { Backoff, type RetryOptions } from './backoff.js';
import type { KubeClient, ObjectRef } from './client.js';
import { isRetryable, KubeApiError } from './errors.js';
import { logInstant, ResumePoint } from './log-resume.js';
import { BUILTIN_RESOURCES, type ResourceType, resourcePath } from './resources.js';
import {
  type AfterAttempt,
  type AttemptEnd,
  describeEnd,
  InactivityTimeout,
  resumableStream,
  type StreamProtocol,
} from './resumable.js';

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
  signal?: AbortSignal | undefined;
  /** Reconnect pacing for followed streams. */
  retry?: RetryOptions;
  /**
   * A followed stream that receives nothing for this long is asked for
   * again from its last line, if the container still runs: a dead
   * connection cannot be told from a quiet container otherwise. Quietly —
   * unless the new request brings lines the old one never delivered, which
   * says it was dead (a `log-resumed` notice).
   * @default 300000 (5 minutes)
   */
  inactivityTimeoutMs?: number;
  onNotice?: (notice: LogNotice) => void;
}

const POD_TYPE = BUILTIN_RESOURCES.find((t) => t.kind === 'Pod') as ResourceType;

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
  const namespace = pod.namespace ?? client.namespace;
  const backoff = new Backoff({ initialDelayMs: 500, maxDelayMs: 10_000, ...options.retry });
  // A followed stream belongs to one container instance: when the kubelet
  // restarts the container, the stream ends here and the caller starts a new one.
  const instance =
    options.follow && !options.previous
      ? (await containerState(client, namespace, pod.name, options.container, signal))?.id
      : undefined;
  const protocol = new LogProtocol(client, { namespace, name: pod.name }, options, backoff, instance);
  const inactivityMs =
    options.follow && !options.previous ? (options.inactivityTimeoutMs ?? 300_000) : undefined;
  yield* resumableStream(client, protocol, { signal, backoff, inactivityMs });
}

/** The longest log line kept whole: 1 MiB (more is no line for people to read). */
const MAX_LOG_LINE_BYTES = 1024 * 1024;

/** A container log's requests, lines and resume point, for {@link resumableStream}. */
class LogProtocol implements StreamProtocol<LogLine[]> {
  readonly what: string;
  /** A runaway line is cut and marked, and the stream goes on (as an error, it would be asked for again and again). */
  readonly lines = { maxLineBytes: MAX_LOG_LINE_BYTES, cut: true };
  readonly #client: KubeClient;
  readonly #pod: { namespace: string; name: string };
  readonly #options: LogOptions;
  readonly #backoff: Backoff;
  readonly #instance: string | undefined;
  readonly #path: string;
  readonly #resume = new ResumePoint();
  #requests = 0;
  /** Asked for again after a silence: lines from the new request mean the old one was dead. */
  #afterSilence = false;

  constructor(
    client: KubeClient,
    pod: { namespace: string; name: string },
    options: LogOptions,
    backoff: Backoff,
    instance: string | undefined,
  ) {
    this.#client = client;
    this.#pod = pod;
    this.#options = options;
    this.#backoff = backoff;
    this.#instance = instance;
    this.#path = resourcePath(POD_TYPE, { namespace: pod.namespace, name: pod.name, subresource: 'log' });
    this.what = `log of ${pod.name}/${options.container ?? ''}`;
  }

  request() {
    const options = this.#options;
    const base = {
      container: options.container,
      follow: options.follow ? 'true' : undefined,
      previous: options.previous ? 'true' : undefined,
      timestamps: 'true',
    };
    if (this.#requests++ > 0) this.#resume.startResumedStream();
    const since = this.#resume.since;
    if (since) return { path: this.#path, query: { ...base, sinceTime: since } };
    const sinceTime = options.sinceTime instanceof Date ? options.sinceTime.toISOString() : options.sinceTime;
    return {
      path: this.#path,
      query: { ...base, tailLines: options.tailLines, sinceSeconds: options.sinceSeconds, sinceTime },
    };
  }

  *decode(lines: Iterable<string>): Generator<LogLine[], void, undefined> {
    const batch: LogLine[] = [];
    for (const raw of lines) {
      const line = parseLogLine(raw);
      if (this.#resume.accept(line.time)) batch.push(line);
    }
    if (batch.length === 0) return;
    this.#backoff.reset();
    if (this.#afterSilence) {
      this.#afterSilence = false;
      this.resumed();
    }
    yield batch;
  }

  async after(end: AttemptEnd): Promise<AfterAttempt<LogLine[]>> {
    const { failure } = end;
    if (failure instanceof InactivityTimeout) {
      if (!(await this.#sameInstanceRunning())) return { next: 'end' };
      this.#afterSilence = true;
      return { next: 'resume' };
    }
    if (end.first && failure !== undefined && !isRetryable(failure)) throw failure;
    const { follow, previous } = this.#options;
    if (end.completed && (!follow || previous || !(await this.#sameInstanceRunning()))) {
      // A normal end: an unterminated last line is a real line.
      const line = end.remainder === undefined ? undefined : parseLogLine(end.remainder);
      return { next: 'end', ...(line && this.#resume.accept(line.time) ? { items: [[line]] } : {}) };
    }
    // The stream broke (or ended while the container runs): a partial line is sent again after resuming.
    if (failure instanceof KubeApiError && (failure.statusCode === 404 || failure.statusCode === 400))
      return { next: 'end' };
    if (failure !== undefined && !isRetryable(failure)) throw failure;
    if (follow && failure !== undefined && !(await this.#sameInstanceRunning())) return { next: 'end' };
    return { next: 'retry', reason: describeEnd(end, 'stream ended while the container runs') };
  }

  resumed(): void {
    this.#options.onNotice?.({
      type: 'log-resumed',
      pod: this.#pod.name,
      container: this.#options.container ?? '',
      since: this.#resume.since ?? '',
    });
  }

  retrying(reason: string, _attempt: number, delayMs: number): void {
    this.#options.onNotice?.({
      type: 'log-reconnecting',
      pod: this.#pod.name,
      container: this.#options.container ?? '',
      reason,
      delayMs,
    });
  }

  async #sameInstanceRunning(): Promise<boolean> {
    const { namespace, name } = this.#pod;
    const state = await containerState(
      this.#client,
      namespace,
      name,
      this.#options.container,
      this.#options.signal,
    );
    return (
      state?.running === true &&
      (this.#instance === undefined || state.id === undefined || state.id === this.#instance)
    );
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

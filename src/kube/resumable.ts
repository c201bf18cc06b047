import type { Backoff } from './backoff.js';
import { chunksOf } from './chunks.js';
import type { KubeClient } from './client.js';
import { sleep } from './clock.js';
import { KubeApiError, KubeConnectionError, KubeDecodeError, KubedogError } from './errors.js';
import { checkEncoding, mapTransportError } from './http-errors.js';
import { LineSplitter } from './lines.js';

/** How one request of a resumable stream ended. */
export interface AttemptEnd {
  /** The server ended the response normally. */
  completed: boolean;
  /** Why it broke (a {@link KubedogError} or an {@link InactivityTimeout}), when it did. */
  failure: unknown;
  /** Whether this was the stream's first request. */
  first: boolean;
  /** When the request was sent (`Date.now()`). */
  requestedAt: number;
  /** An unterminated last line of a response that completed. */
  remainder: string | undefined;
}

/**
 * What follows a request that ended: the end of the stream, another request
 * at once (`resume`), or another after a back-off (`retry`, with the
 * reason the notice gives). `items` are delivered first.
 */
export type AfterAttempt<T> =
  | { next: 'end'; items?: T[] }
  | { next: 'resume'; items?: T[] }
  | { next: 'retry'; reason: string; items?: T[] };

/**
 * What makes a stream of one kind (a watch, a container's log): its
 * requests, which carry the resume point, the decoding of its lines, and
 * what follows when a request ends. Everything else — reconnecting, backing
 * off with jitter, Retry-After, the inactivity watchdog, closing the socket
 * on abort — is {@link resumableStream}'s.
 */
export interface StreamProtocol<T> {
  /** For errors: `watch of pods in default`, `log of web-1/app`. */
  readonly what: string;
  /** How its lines are split (the longest line kept, and whether a longer one is cut or an error). */
  readonly lines?: { maxLineBytes?: number; cut?: boolean };
  /** The next request: its query carries the resume point. */
  request(): { path: string; query: Record<string, string | number | undefined> };
  /**
   * The items of a chunk's complete lines — a watch's and a log's are one
   * batch per chunk, so each passes the stream's layers once, not once per
   * line. A thrown error ends the request (after the items before it);
   * `after` decides whether it is retried.
   */
  decode(lines: Iterable<string>): Iterable<T>;
  /** Decides what follows a request; throws to end the stream with an error. */
  after(end: AttemptEnd): AfterAttempt<T> | Promise<AfterAttempt<T>>;
  /** A request answered after a retry: the stream goes on. */
  resumed?(): void;
  /** Waiting `delayMs` before retry `attempt`, because of `reason`. */
  retrying(reason: string, attempt: number, delayMs: number): void;
}

/**
 * The least time between two requests of one stream, even when the protocol
 * resumes at once: a server that ends every response right away (after one
 * event, a bookmark, or nothing) gets one request a second, not thousands.
 */
export const MIN_REQUEST_INTERVAL_MS = 1000;

export interface ResumableOptions {
  signal?: AbortSignal | undefined;
  /** Reconnect pacing; also its deadline for giving up. */
  backoff: Backoff;
  /**
   * Abort a request that receives nothing for this long (waiting for the
   * consumer does not count). @default no watchdog
   */
  inactivityMs?: number | undefined;
}

/** A request aborted because the server sent nothing for too long. */
export class InactivityTimeout extends Error {}

/** The reason a notice gives for a request that ended: its failure, or `ended` when it ended without one. */
export function describeEnd(end: AttemptEnd, ended: string, inactivityMs?: number): string {
  if (end.failure instanceof InactivityTimeout)
    return `nothing received for ${Math.round((inactivityMs ?? 0) / 1000)}s`;
  return end.failure === undefined ? ended : (end.failure as Error).message;
}

/**
 * A long-lived stream over many requests: each request's body is read as
 * fast as the consumer pulls (backpressure), split into lines and decoded by
 * the protocol; when a request ends, the protocol says whether to end,
 * resume (at once, but never sooner than {@link MIN_REQUEST_INTERVAL_MS}
 * after the last request began), or retry after an exponential back-off
 * with jitter (at least what a Retry-After asks). Aborting `signal` closes the socket at once
 * and ends the stream with the signal's reason.
 */
export async function* resumableStream<T>(
  client: KubeClient,
  protocol: StreamProtocol<T>,
  options: ResumableOptions,
): AsyncGenerator<T, void, undefined> {
  const { signal, backoff } = options;
  let first = true;
  let retried = false;
  for (;;) {
    signal?.throwIfAborted();
    const end = yield* attempt(client, protocol, options, { first, retried });
    if (signal?.aborted) throw signal.reason;
    const next = await protocol.after(end);
    if (next.items) yield* next.items;
    if (next.next === 'end') return;
    first = false;
    retried = false;
    if (next.next === 'resume') {
      const early = end.requestedAt + MIN_REQUEST_INTERVAL_MS - Date.now();
      if (early > 0) await sleep(early, signal);
      continue;
    }
    const delay = backoff.next(retryAfter(end.failure));
    if (delay === undefined)
      throw end.failure instanceof KubedogError
        ? end.failure
        : new KubeDecodeError(`${protocol.what}: ${next.reason}; gave up retrying`);
    protocol.retrying(next.reason, backoff.attempt, delay);
    retried = true;
    await sleep(delay, signal);
  }
}

/** One request: its items, then how it ended. */
async function* attempt<T>(
  client: KubeClient,
  protocol: StreamProtocol<T>,
  options: ResumableOptions,
  state: { first: boolean; retried: boolean },
): AsyncGenerator<T, AttemptEnd, undefined> {
  const { signal, inactivityMs } = options;
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let watchdog: NodeJS.Timeout | undefined;
  const arm = () => {
    if (inactivityMs === undefined) return;
    clearTimeout(watchdog);
    watchdog = setTimeout(() => controller.abort(new InactivityTimeout()), inactivityMs);
  };
  const disarm = () => clearTimeout(watchdog);
  const splitter = new LineSplitter(protocol.lines);
  const end: AttemptEnd = {
    completed: false,
    failure: undefined,
    first: state.first,
    requestedAt: Date.now(),
    remainder: undefined,
  };
  try {
    arm();
    const { path, query } = protocol.request();
    const response = await client.request('GET', path, { signal: controller.signal, query });
    checkEncoding(response.headers['content-encoding'], `${protocol.what}`);
    if (state.retried) protocol.resumed?.();
    for await (const chunk of chunksOf(response.body)) {
      for (const item of protocol.decode(splitter.push(chunk))) {
        // Waiting for the consumer is not inactivity of the server.
        disarm();
        yield item;
      }
      arm();
    }
    end.completed = true;
    end.remainder = splitter.takeRemainder();
  } catch (error) {
    end.failure = streamFailure(error, client);
  } finally {
    disarm();
    signal?.removeEventListener('abort', onAbort);
    // Also runs when the consumer breaks out: closes the socket at once.
    controller.abort();
  }
  return end;
}

/** Errors while reading a body (socket closed mid-stream) become connection errors, which are retried. */
function streamFailure(error: unknown, client: KubeClient): unknown {
  if (
    error instanceof KubedogError ||
    error instanceof InactivityTimeout ||
    (error as Error)?.name === 'AbortError'
  )
    return error;
  const mapped = mapTransportError(error, client.config);
  if (!(mapped instanceof KubeConnectionError)) return mapped;
  // The connection worked before: say that it broke, not that the server is unreachable.
  const host = new URL(client.server).host;
  return new KubeConnectionError(
    `connection to ${host} broke mid-stream (${mapped.syscallCode ?? 'closed'})`,
    {
      server: client.server,
      ...(mapped.syscallCode ? { syscallCode: mapped.syscallCode } : {}),
      cause: error,
    },
  );
}

/** The Retry-After of a failure, if the server gave one. */
const retryAfter = (failure: unknown): number | undefined =>
  failure instanceof KubeApiError ? failure.retryAfterSeconds : undefined;

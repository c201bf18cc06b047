import { closeSync, fchmodSync, openSync, writeSync } from 'node:fs';
import type { Dispatcher } from 'undici';

/**
 * One line of a recording (NDJSON). The first line is a header; then, per
 * exchange (`id`), a `request`, a `response`, its body as `chunk`s in the
 * order and at the time (`t`, ms since the recording began) they arrived,
 * and `end` — or `error` when the client or the connection cut it.
 */
export type RecordedLine =
  | {
      kubedog: 'recording';
      version: 1;
      server: string;
      startedAt: string;
      /** The API server's version, where the recording says it (the fixture library's do). */
      kubernetes?: string;
    }
  | { t: number; id: number; event: 'request'; method: string; path: string; query: string }
  | { t: number; id: number; event: 'response'; status: number; headers: Record<string, string> }
  | { t: number; id: number; event: 'chunk'; data: string }
  | { t: number; id: number; event: 'end' }
  | { t: number; id: number; event: 'error'; message: string };

/** Response headers worth keeping; nothing that could carry a credential. */
const KEPT_HEADERS = ['content-type', 'retry-after', 'audit-id'];

/** Secret values are replaced with this (base64 of "redacted"). */
export const REDACTED = 'cmVkYWN0ZWQ=';

const SECRET_PATH = /\/secrets(\/|$|\?)/;

/** Replaces the values of `data` and `stringData` of every Secret in a decoded body. */
function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(object)) {
    if ((key === 'data' || key === 'stringData') && object.kind !== 'ConfigMap' && isStringMap(field)) {
      out[key] = Object.fromEntries(Object.keys(field).map((k) => [k, REDACTED]));
    } else out[key] = redactSecrets(field);
  }
  return out;
}

const isStringMap = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((v) => typeof v === 'string');

/**
 * Records every HTTP exchange of a {@link KubeClient} to an NDJSON file
 * (mode 0600): request line, status, a few response headers, and the body
 * chunk by chunk with its timing. No request header is kept (so no
 * Authorization), request bodies are not kept, and the `data` of Secrets is
 * redacted before anything is written. `replayFixture` serves it back.
 */
export class Recorder {
  readonly #fd: number;
  readonly #started = performance.now();
  #next = 1;
  #closed = false;

  constructor(file: string, server: string) {
    this.#fd = openSync(file, 'w', 0o600);
    // An existing file keeps its mode on open: make sure it is private.
    fchmodSync(this.#fd, 0o600);
    this.#write({ kubedog: 'recording', version: 1, server, startedAt: new Date().toISOString() });
  }

  #write(line: RecordedLine): void {
    if (!this.#closed) writeSync(this.#fd, `${JSON.stringify(line)}\n`);
  }

  #t(): number {
    return Math.round(performance.now() - this.#started);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }

  /** An undici interceptor that records what passes through it. */
  interceptor(): Dispatcher.DispatcherComposeInterceptor {
    return (dispatch) => (options, handler) => {
      const id = this.#next++;
      const [path = '', query = ''] = String(options.path).split('?', 2);
      this.#write({ t: this.#t(), id, event: 'request', method: String(options.method), path, query });
      const decoder = new TextDecoder();
      // Secrets are held back whole (a list or get) or per line (a watch) to be redacted.
      const secret = SECRET_PATH.test(path);
      let pending = '';
      const emit = (text: string) => {
        if (text !== '') this.#write({ t: this.#t(), id, event: 'chunk', data: text });
      };
      const watch = /(^|&)watch=(true|1)(&|$)/.test(query);
      const redacted = (json: string) => {
        try {
          return JSON.stringify(redactSecrets(JSON.parse(json)));
        } catch {
          return '"kubedog: an unparsable Secret body was left out of the recording"';
        }
      };
      /** A watch is redacted event by event (a line each); anything else when it is whole. */
      const redactPending = (final: boolean) => {
        if (!watch && !final) return;
        const parts = watch ? pending.split('\n') : [pending];
        pending = watch && !final ? (parts.pop() ?? '') : '';
        const out = parts.filter((part) => part.trim() !== '').map(redacted);
        if (out.length > 0) emit(`${out.join('\n')}\n`);
      };
      const recording: Dispatcher.DispatchHandler = {
        onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
        onRequestUpgrade: (controller, statusCode, headers, socket) =>
          handler.onRequestUpgrade?.(controller, statusCode, headers, socket),
        onResponseStart: (controller, statusCode, headers, statusMessage) => {
          const kept: Record<string, string> = {};
          for (const name of KEPT_HEADERS) {
            const value = headers[name];
            if (value !== undefined) kept[name] = String(value);
          }
          this.#write({ t: this.#t(), id, event: 'response', status: statusCode, headers: kept });
          return handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
        },
        onResponseData: (controller, chunk) => {
          const text = decoder.decode(chunk, { stream: true });
          if (secret) {
            pending += text;
            redactPending(false);
          } else emit(text);
          return handler.onResponseData?.(controller, chunk);
        },
        onResponseEnd: (controller, trailers) => {
          const rest = decoder.decode();
          if (secret) {
            pending += rest;
            redactPending(true);
          } else emit(rest);
          this.#write({ t: this.#t(), id, event: 'end' });
          return handler.onResponseEnd?.(controller, trailers);
        },
        onResponseError: (controller, error) => {
          this.#write({ t: this.#t(), id, event: 'error', message: error.message });
          return handler.onResponseError?.(controller, error);
        },
      };
      return dispatch(options, recording);
    };
  }
}

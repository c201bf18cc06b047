import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { KubeClient } from '../kube/client.js';
import { type Clock, systemClock } from '../kube/clock.js';
import { kubeConfigFromString } from '../kube/config.js';
import { InvalidInputError } from '../kube/errors.js';
import type { RecordedLine } from '../kube/recorder.js';
import { yaml } from '../vendor/yaml.js';
import { selectBody, withoutSelectors } from './replay-selection.js';

export interface ReplayOptions {
  /**
   * How fast to replay: 2 serves every chunk at half its recorded delay.
   * Timestamps inside the bodies move with the replay's start; pass
   * {@link ReplayServer.clock} as the tracker's `clock` so its time (grace
   * periods, timeouts) runs at the same speed.
   * @default 1
   */
  speed?: number;
  /**
   * What happens once the recording has nothing more to say (its last
   * moment, plus 0.75 seconds, has passed): `'fail'` cuts every stream still
   * open, so the client asks again and gets a 404 naming what it asked for
   * and the closest recorded request — a replay that no longer matches what
   * the code under test does fails at once instead of hanging; `'hold'`
   * keeps them open, as the recorded client left them.
   * @default 'fail'
   */
  whenOver?: 'fail' | 'hold';
}

export interface ReplayServer {
  url: string;
  /** A kubeconfig for the replay server (namespace: the recording's first namespace, else default). */
  kubeconfig: string;
  kubeconfigPath: string;
  client: KubeClient;
  /** Requests that matched no recorded exchange (each was answered 404). */
  readonly unmatched: string[];
  /**
   * The replay's clock: the recording's timeline at replay speed, moved to
   * the replay's start (as the timestamps in the bodies are); its timers
   * run at the same speed.
   * @example trackResource(replay.client, target, { clock: replay.clock })
   */
  readonly clock: Clock;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface Exchange {
  id: number;
  method: string;
  path: string;
  query: string;
  t: number;
  status: number;
  headers: Record<string, string>;
  chunks: { t: number; data: string }[];
  /** Ended by the server (`end`), or cut (by the client that stopped reading, or the connection). */
  ended: boolean;
}

/**
 * Query parameters left out of matching: times the client computes from its
 * own clock, and a watch's timeoutSeconds (picked at random to spread reconnects).
 */
const VOLATILE = new Set(['sinceTime', 'sinceSeconds', 'timeoutSeconds']);

function matchKey(method: string, path: string, query: string): string {
  const params = new URLSearchParams(query);
  const kept = [...params.entries()].filter(([k]) => !VOLATILE.has(k)).sort(([a], [b]) => a.localeCompare(b));
  return `${method} ${path}?${new URLSearchParams(kept).toString()}`;
}

/** Parses a recording (gzipped when its name ends in `.gz`); errors name the file and line. */
export function readRecording(file: string): { server: string; startedAt: Date; exchanges: Exchange[] } {
  const bytes = readFileSync(file);
  const lines = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8').split('\n');
  let header: Extract<RecordedLine, { kubedog: 'recording' }> | undefined;
  const exchanges = new Map<number, Exchange>();
  for (const [index, text] of lines.entries()) {
    if (text.trim() === '') continue;
    let line: RecordedLine;
    try {
      line = JSON.parse(text) as RecordedLine;
    } catch {
      throw new InvalidInputError(`recording ${file}: line ${index + 1} is not JSON`, file);
    }
    if ('kubedog' in line) {
      header = line;
      continue;
    }
    if (!header)
      throw new InvalidInputError(`recording ${file}: no kubedog recording header on line 1`, file);
    if (line.event === 'request') {
      exchanges.set(line.id, {
        id: line.id,
        method: line.method,
        path: line.path,
        query: line.query,
        t: line.t,
        status: 0,
        headers: {},
        chunks: [],
        ended: false,
      });
      continue;
    }
    const exchange = exchanges.get(line.id);
    if (!exchange)
      throw new InvalidInputError(`recording ${file}: line ${index + 1}: unknown exchange ${line.id}`, file);
    if (line.event === 'response') {
      exchange.status = line.status;
      exchange.headers = line.headers;
    } else if (line.event === 'chunk') exchange.chunks.push({ t: line.t, data: line.data });
    else if (line.event === 'end') exchange.ended = true;
  }
  if (!header) throw new InvalidInputError(`recording ${file}: empty, or no kubedog recording header`, file);
  return {
    server: header.server,
    startedAt: new Date(header.startedAt),
    exchanges: [...exchanges.values()].filter((e) => e.status !== 0),
  };
}

const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z/g;
/** What a timestamp cut by a chunk boundary can end with. */
const TIMESTAMP_TAIL = /[0-9:.TZ-]+$/;

/** Moves every RFC 3339 UTC timestamp by `shiftMs`, keeping its precision. */
export function shiftTimestamps(text: string, shiftMs: number): string {
  return text.replace(TIMESTAMP, (stamp, fraction: string | undefined) => {
    const time = Date.parse(stamp);
    if (Number.isNaN(time)) return stamp;
    const moved = new Date(time + shiftMs).toISOString(); // …ss.mmmZ
    if (!fraction) return `${moved.slice(0, 19)}Z`;
    const digits = fraction.length - 1;
    const millis = moved.slice(20, 23);
    return `${moved.slice(0, 19)}.${(millis + fraction.slice(4)).slice(0, digits).padEnd(digits, '0')}Z`;
  });
}

/**
 * How long after the recording's last moment (in real time, whatever the
 * speed) it is over: time for a tracker's next judgement (every 250 ms of
 * real time) and a reconnect.
 */
const OVER_AFTER_MS = 750;

/** `GET /path?query`, the way requests are named in messages and `unmatched`. */
const describe = (method: string, path: string, query: string) =>
  `${method} ${path}${query ? `?${query}` : ''}`;

/**
 * The recorded request most like an unmatched one: the same method and path
 * with the fewest query parameters that differ, else the longest shared
 * path. For the message that says why a replay no longer matches.
 */
export function closestRecorded(
  exchanges: readonly { method: string; path: string; query: string }[],
  method: string,
  path: string,
  query: string,
): string | undefined {
  const params = new URLSearchParams(query);
  type Recorded = (typeof exchanges)[number];
  const distance = (e: Recorded) => {
    if (e.method !== method) return Number.POSITIVE_INFINITY;
    if (e.path !== path) {
      let shared = 0;
      while (shared < Math.min(path.length, e.path.length) && path[shared] === e.path[shared]) shared++;
      return 1000 - shared;
    }
    const other = new URLSearchParams(e.query);
    const keys = new Set([...params.keys(), ...other.keys()]);
    return [...keys].filter((k) => !VOLATILE.has(k) && params.get(k) !== other.get(k)).length;
  };
  let best: Recorded | undefined;
  for (const exchange of exchanges) if (!best || distance(exchange) < distance(best)) best = exchange;
  return best && Number.isFinite(distance(best)) ? describe(best.method, best.path, best.query) : undefined;
}

/**
 * Serves a recording (`KubeClient` option `record`, CLI `--record`) back as
 * an API server: each request gets the next recorded exchange with the same
 * method, path and query (the client's own order of requests and its
 * reconnects do not matter; when asked more often than recorded, the last
 * finished answer is repeated), its body chunk by chunk at the recorded pace,
 * with timestamps moved to now. A stream the client cut while recording
 * stays open until the recording is over (see {@link ReplayOptions.whenOver}).
 * A request that matches nothing gets a 404 Status naming it, the closest
 * recorded request and the file.
 */
export async function replayFixture(file: string, options: ReplayOptions = {}): Promise<ReplayServer> {
  const replay = new Replay(file, readRecording(file), options);
  const server = createServer((request, response) => {
    replay.serve(request, response).catch((error: unknown) => {
      response.destroy(error as Error);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeconfig = yaml().stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'replay', cluster: { server: url } }],
    users: [{ name: 'replay', user: {} }],
    contexts: [
      { name: 'replay', context: { cluster: 'replay', user: 'replay', namespace: replay.namespace } },
    ],
    'current-context': 'replay',
  });
  const dir = mkdtempSync(join(tmpdir(), 'kubedog-replay-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfig, { mode: 0o600 });
  const client = new KubeClient(kubeConfigFromString(kubeconfig, { source: kubeconfigPath }));
  const close = async () => {
    await client.close();
    replay.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    url,
    kubeconfig,
    kubeconfigPath,
    client,
    unmatched: replay.unmatched,
    clock: replay.clock,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The state of one replay: what is left to serve, the timeline, the open streams. */
class Replay {
  readonly unmatched: string[] = [];
  /** The recording's first namespace (the kubeconfig's), else default. */
  readonly namespace: string;
  readonly #file: string;
  readonly #recording: ReturnType<typeof readRecording>;
  readonly #speed: number;
  readonly #whenOver: 'fail' | 'hold';
  readonly #queues = new Map<string, Exchange[]>();
  /** Responses still open, and the request each answers (`GET /path?query`). */
  readonly #open = new Map<ServerResponse, string>();
  /** When the replay's timeline began (the first matched request), ms since the epoch. */
  #startedAt: number | undefined;
  #over = false;
  #overTimer: NodeJS.Timeout | undefined;

  constructor(file: string, recording: ReturnType<typeof readRecording>, options: ReplayOptions) {
    this.#file = file;
    this.#recording = recording;
    this.#speed = options.speed ?? 1;
    this.#whenOver = options.whenOver ?? 'fail';
    for (const exchange of recording.exchanges) {
      const key = matchKey(exchange.method, exchange.path, exchange.query);
      this.#queues.set(key, [...(this.#queues.get(key) ?? []), exchange]);
    }
    this.namespace =
      recording.exchanges.map((e) => /\/namespaces\/([^/]+)/.exec(e.path)?.[1]).find(Boolean) ?? 'default';
  }

  /** The recording's timeline at replay speed ({@link ReplayServer.clock}). */
  readonly clock: Clock = {
    now: () => {
      const start = this.#startedAt;
      return start === undefined ? Date.now() : start + (Date.now() - start) * this.#speed;
    },
    after: (ms, fn) => systemClock.after(ms / this.#speed, fn),
  };

  async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const [path = '', query = ''] = (request.url ?? '').split('?', 2);
    const method = request.method ?? 'GET';
    const queue = this.#queues.get(matchKey(method, path, query)) ?? this.#selected(method, path, query);
    // Asked more often than recorded (a reconnect, a status check): a finished answer is given again.
    const exchange =
      queue && queue.length > 1 ? queue.shift() : queue?.[0]?.ended ? queue[0] : queue?.shift();
    if (!exchange && this.#quietWatch(method, path, query))
      return this.#holdOpen(response, method, path, query);
    if (!exchange) return this.#notRecorded(response, method, path, query);
    // The first request that matches sets the timeline: it happens now, as it did at its recorded time.
    if (this.#startedAt === undefined) this.#begin(exchange.t);
    const start = this.#startedAt ?? Date.now();
    this.#open.set(response, describe(method, path, query));
    response.on('close', () => this.#open.delete(response));
    response.writeHead(exchange.status, exchange.headers);
    await this.#sendChunks(response, exchange, start, start - this.#recording.startedAt.getTime());
    // A stream the client cut stays open, as the real one would have (until the recording is over).
    if (exchange.ended) response.end();
  }

  /**
   * A request with selectors that was recorded without them: the recorded
   * answers, filtered as the server would have (a queue of its own).
   */
  #selected(method: string, path: string, query: string): Exchange[] | undefined {
    const whole = withoutSelectors(query);
    if (whole === undefined) return undefined;
    const key = matchKey(method, path, whole);
    const recorded = this.#recording.exchanges.filter((e) => matchKey(e.method, e.path, e.query) === key);
    if (recorded.length === 0) return undefined;
    const queue = recorded.map((exchange) => selectBody(exchange, query));
    this.#queues.set(matchKey(method, path, query), queue);
    return queue;
  }

  close(): void {
    clearTimeout(this.#overTimer);
    for (const response of this.#open.keys()) response.destroy();
  }

  /** The timeline begins: the request recorded at `t` happens now; the recording is over after its last moment. */
  #begin(t: number): void {
    this.#startedAt = Date.now() - t / this.#speed;
    const last = this.#recording.exchanges.reduce((m, e) => Math.max(m, e.chunks.at(-1)?.t ?? e.t), 0);
    const overIn = this.#startedAt + last / this.#speed + OVER_AFTER_MS - Date.now();
    this.#overTimer = setTimeout(() => this.#end(), Math.max(0, overIn));
    this.#overTimer.unref();
  }

  /**
   * The recording has nothing more to say: a watch still open ends with an
   * ERROR event (404) naming it — the client stops waiting at once, for
   * what the recording never shows — and other streams are cut.
   */
  #end(): void {
    this.#over = true;
    if (this.#whenOver === 'hold') return;
    for (const [response, request] of this.#open) {
      if (!request.includes('watch=true')) {
        response.req.socket.destroy();
        continue;
      }
      this.unmatched.push(request);
      const message = `replay: the recording ${this.#file} is over, and ${request} waits for what it never shows (another name? other options?)`;
      const status = {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
        message,
      };
      response.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
    }
  }

  async #sendChunks(
    response: ServerResponse,
    exchange: Exchange,
    start: number,
    shift: number,
  ): Promise<void> {
    let carry = '';
    for (const chunk of exchange.chunks) {
      // Chunks keep their place on the recording's timeline, relative to the replay's start.
      const due = start + chunk.t / this.#speed - Date.now();
      if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
      if (response.destroyed) return;
      const text = carry + chunk.data;
      const tail = TIMESTAMP_TAIL.exec(text)?.[0] ?? '';
      carry = tail;
      const ready = text.slice(0, text.length - tail.length);
      if (ready !== '') response.write(shiftTimestamps(ready, shift));
    }
    if (carry !== '') response.write(shiftTimestamps(carry, shift));
  }

  /**
   * A watch the recorded client never got to open, of a collection whose
   * list was recorded (it ended before the watch request went out): what
   * the recording says of it is that nothing happened.
   */
  #quietWatch(method: string, path: string, query: string): boolean {
    if (!query.split('&').includes('watch=true')) return false;
    return this.#recording.exchanges.some(
      (e) => e.method === method && e.path === path && !e.query.split('&').includes('watch=true'),
    );
  }

  /** Holds a quiet watch open, with no event, until the recording is over (then as {@link ReplayOptions.whenOver} says). */
  #holdOpen(response: ServerResponse, method: string, path: string, query: string): void {
    if (this.#over && this.#whenOver === 'fail') {
      this.#notRecorded(response, method, path, query);
      return;
    }
    this.#open.set(response, describe(method, path, query));
    response.on('close', () => this.#open.delete(response));
    response.writeHead(200, { 'content-type': 'application/json' });
  }

  #notRecorded(response: ServerResponse, method: string, path: string, query: string): void {
    const what = describe(method, path, query);
    this.unmatched.push(what);
    const closest = closestRecorded(this.#recording.exchanges, method, path, query);
    const over = this.#over ? ' (the recording is over)' : '';
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
        message: `replay: no recorded exchange for ${what} in ${this.#file}${over}${closest ? `; the closest recorded: ${closest}` : ''}`,
      }),
    );
  }
}

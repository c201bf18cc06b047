import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KubeClient } from '../kube/client.js';
import { kubeConfigFromString } from '../kube/config.js';
import { InvalidInputError } from '../kube/errors.js';
import type { RecordedLine } from '../kube/recorder.js';

export interface ReplayOptions {
  /**
   * How fast to replay: 2 serves every chunk at half its recorded delay.
   * Timestamps inside the bodies move with the replay's start, not with the speed.
   * @default 1
   */
  speed?: number;
}

export interface ReplayServer {
  url: string;
  /** A kubeconfig for the replay server (namespace: the recording's first namespace, else default). */
  kubeconfig: string;
  kubeconfigPath: string;
  client: KubeClient;
  /** Requests that matched no recorded exchange (each was answered 404). */
  readonly unmatched: string[];
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

/** Parses a recording; errors name the file and line. */
export function readRecording(file: string): { server: string; startedAt: Date; exchanges: Exchange[] } {
  const lines = readFileSync(file, 'utf8').split('\n');
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
 * Serves a recording (`KubeClient` option `record`, CLI `--record`) back as
 * an API server: each request gets the next recorded exchange with the same
 * method, path and query (the client's own order of requests and its
 * reconnects do not matter; when asked more often than recorded, the last
 * finished answer is repeated), its body chunk by chunk at the recorded pace,
 * with timestamps moved to now. A stream the client cut while recording
 * stays open until the client goes. A request that matches nothing gets a
 * 404 Status naming it and the file.
 */
export async function replayFixture(file: string, options: ReplayOptions = {}): Promise<ReplayServer> {
  const speed = options.speed ?? 1;
  const recording = readRecording(file);
  const queues = new Map<string, Exchange[]>();
  for (const exchange of recording.exchanges) {
    const key = matchKey(exchange.method, exchange.path, exchange.query);
    queues.set(key, [...(queues.get(key) ?? []), exchange]);
  }
  const unmatched: string[] = [];
  let startedAt: number | undefined;
  const open = new Set<ServerResponse>();

  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    const [path = '', query = ''] = (request.url ?? '').split('?', 2);
    const method = request.method ?? 'GET';
    const key = matchKey(method, path, query);
    const queue = queues.get(key);
    // Asked more often than recorded (a reconnect, a status check): a finished answer is given again.
    const exchange =
      queue && queue.length > 1 ? queue.shift() : queue?.[0]?.ended ? queue[0] : queue?.shift();
    // The first request that matches sets the timeline: it happens now, as it did at its recorded time.
    if (exchange) startedAt ??= Date.now() - exchange.t / speed;
    const start = startedAt ?? Date.now();
    const shift = start - recording.startedAt.getTime();
    if (!exchange) {
      const what = `${method} ${request.url}`;
      unmatched.push(what);
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'NotFound',
          code: 404,
          message: `replay: no recorded exchange for ${what} in ${file}`,
        }),
      );
      return;
    }
    open.add(response);
    response.on('close', () => open.delete(response));
    response.writeHead(exchange.status, exchange.headers);
    let carry = '';
    for (const chunk of exchange.chunks) {
      // Chunks keep their place on the recording's timeline, relative to the replay's start.
      const due = start + chunk.t / speed - Date.now();
      if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
      if (response.destroyed) return;
      const text = carry + chunk.data;
      const tail = TIMESTAMP_TAIL.exec(text)?.[0] ?? '';
      carry = tail;
      const ready = text.slice(0, text.length - tail.length);
      if (ready !== '') response.write(shiftTimestamps(ready, shift));
    }
    if (carry !== '') response.write(shiftTimestamps(carry, shift));
    // A stream the client cut stays open, as the real one would have.
    if (exchange.ended) response.end();
  };

  const server = createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      response.destroy(error as Error);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const namespace =
    recording.exchanges.map((e) => /\/namespaces\/([^/]+)/.exec(e.path)?.[1]).find(Boolean) ?? 'default';
  const kubeconfig = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'replay', cluster: { server: url } }],
    users: [{ name: 'replay', user: {} }],
    contexts: [{ name: 'replay', context: { cluster: 'replay', user: 'replay', namespace } }],
    'current-context': 'replay',
  });
  const dir = mkdtempSync(join(tmpdir(), 'kubedog-replay-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfig, { mode: 0o600 });
  const client = new KubeClient(kubeConfigFromString(kubeconfig, { source: kubeconfigPath }));
  const close = async () => {
    await client.close();
    for (const response of open) response.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, kubeconfig, kubeconfigPath, client, unmatched, close, [Symbol.asyncDispose]: close };
}

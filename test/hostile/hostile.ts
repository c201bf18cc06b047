/**
 * Small API servers written to misbehave — plain node:http, none of the
 * simulator's happy paths — and a run of the built CLI against one, with
 * its time and peak memory.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliResult, runCli } from '../cli/helpers.js';

export type Handler = (request: IncomingMessage, response: ServerResponse, url: URL) => void;

export interface HostileServer {
  url: string;
  /** A kubeconfig file for it (token auth unless `user` says otherwise; `userinfo` goes into the server URL). */
  kubeconfigPath: string;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export const TOKEN = 'hostile-bearer-token-0123456789';

export async function hostileServer(
  handler: Handler,
  options: { userinfo?: string; user?: Record<string, unknown>; cluster?: Record<string, unknown> } = {},
): Promise<HostileServer> {
  const server = createServer((request, response) => {
    handler(request, response, new URL(request.url ?? '/', 'http://localhost'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'kubedog-hostile-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const server_ = options.userinfo ? `http://${options.userinfo}@127.0.0.1:${port}` : url;
  writeFileSync(
    kubeconfigPath,
    `apiVersion: v1
kind: Config
clusters: [{name: hostile, cluster: ${JSON.stringify({ server: server_, ...options.cluster })}}]
users: [{name: u, user: ${JSON.stringify(options.user ?? { token: TOKEN })}}]
contexts: [{name: hostile, context: {cluster: hostile, user: u, namespace: default}}]
current-context: hostile
`,
    { mode: 0o600 },
  );
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, kubeconfigPath, close, [Symbol.asyncDispose]: close };
}

export interface MeasuredRun extends CliResult {
  /** Wall time from spawn to exit. */
  ms: number;
  /** Peak resident memory of the CLI process (VmHWM), in MB. */
  peakMb: number;
}

/** Runs the built CLI against a server, measuring its time and peak memory (Linux /proc). */
export async function runAgainst(
  server: HostileServer,
  args: string[],
  timeoutMs = 30_000,
): Promise<MeasuredRun> {
  const started = performance.now();
  let peakKb = 0;
  let poll: NodeJS.Timeout | undefined;
  const result = await runCli([...args, '--kubeconfig', server.kubeconfigPath], {
    timeoutMs,
    onSpawn: (child) => watchMemory(child.pid),
  });
  clearInterval(poll);
  return { ...result, ms: performance.now() - started, peakMb: peakKb / 1024 };

  function watchMemory(pid: number | undefined) {
    if (pid === undefined) return;
    const read = () => {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        peakKb = Math.max(peakKb, Number(hwm ?? 0));
      } catch {
        clearInterval(poll);
      }
    };
    read();
    poll = setInterval(read, 20);
  }
}

/** A list answer of a kind with no objects (what every list of a quiet namespace looks like). */
export function emptyList(response: ServerResponse, extra: Record<string, unknown> = {}): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      kind: 'List',
      apiVersion: 'v1',
      metadata: { resourceVersion: '1', ...extra },
      items: [],
    }),
  );
}

/** Whether a request is a watch. */
export const isWatch = (url: URL) => url.searchParams.get('watch') === 'true';
/** C0 and C1 control characters other than newline (and tab), ESC included, and the invisible format characters: what must never reach a terminal. */
export const CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** A pod whose container runs but is not ready, started just now (`restarts`: after that many crashes). */
export function runningPod(restarts = 0): Record<string, unknown> {
  const now = new Date().toISOString();
  const crashed =
    restarts > 0 ? { lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: now } } } : {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'uid-p', resourceVersion: '5' },
    spec: { containers: [{ name: 'app', image: 'registry.local/app:v1' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: restarts,
          containerID: `c://${restarts + 1}`,
          state: { running: { startedAt: now } },
          ...crashed,
        },
      ],
    },
  };
}

/**
 * The API of a namespace holding `pod` and `events`: lists answer at once,
 * watches stay open and quiet, and `/log` requests go to `log` (by default
 * never answered). A request `intercept` answers (returns true) comes first.
 */
export function onePodApi(
  pod: Record<string, unknown>,
  options: { events?: Record<string, unknown>[]; log?: Handler; intercept?: (url: URL) => boolean } = {},
): Handler {
  return (request, response, url) => {
    if (options.intercept?.(url)) return;
    if (url.pathname.endsWith('/log')) return options.log?.(request, response, url);
    if (isWatch(url)) {
      response.writeHead(200, { 'content-type': 'application/json' }).flushHeaders();
      request.on('close', () => response.end());
      return;
    }
    const items = url.pathname.endsWith('/pods')
      ? [pod]
      : url.pathname.endsWith('/events')
        ? (options.events ?? [])
        : [];
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ kind: 'List', metadata: { resourceVersion: '10' }, items }));
  };
}

/** Answers a log request with `lines` (each after a timestamp); a followed one then stays open. */
export function logLines(lines: string[]): Handler {
  return (request, response, url) => {
    const now = new Date().toISOString();
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write(lines.map((line) => `${now} ${line}\n`).join(''));
    if (url.searchParams.get('follow') === 'true') request.on('close', () => response.end());
    else response.end();
  };
}

/** Answers `start` at once, then one space every 100 ms, for ever: a body that never ends. */
export function trickle(start: string): Handler {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write(start);
    const timer = setInterval(() => response.write(' '), 100);
    response.on('close', () => clearInterval(timer));
  };
}

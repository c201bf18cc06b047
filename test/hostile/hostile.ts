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
  /** A kubeconfig file for it (token auth; `userinfo` goes into the server URL when given). */
  kubeconfigPath: string;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export const TOKEN = 'hostile-bearer-token-0123456789';

export async function hostileServer(
  handler: Handler,
  options: { userinfo?: string } = {},
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
clusters: [{name: hostile, cluster: {server: "${server_}"}}]
users: [{name: u, user: {token: ${TOKEN}}}]
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

/** C0 and C1 control characters other than newline (and tab), ESC included: what must never reach a terminal. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

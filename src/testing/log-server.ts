import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../kube/types.js';
import { formatRfc3339Nano, type LogStore, parseRfc3339Ns, type StoredLine } from './log-store.js';
import { statusError } from './status.js';

/**
 * Serves one container's log from a LogStore the way the kubelet does behind
 * `GET /api/v1/namespaces/NS/pods/NAME/log` (and its own
 * `/containerLogs/NS/POD/CONTAINER`): `follow`, `previous`, `timestamps`,
 * `tailLines`, `sinceTime` (second precision, as the API server forwards it),
 * `sinceSeconds`, `limitBytes`. Problems are thrown as Status errors before
 * anything is written.
 */
export interface LogRequest {
  logs: LogStore;
  pod: KubeObject;
  /** The `container` query parameter; may be empty for a pod with one container. */
  container: string;
  query: URLSearchParams;
  /** Fault injection: the connection is cut after this many bytes. */
  cutAfterBytes?: number;
  /** Writes the response head; returns the function to call once the stream is over. */
  open: (res: ServerResponse) => () => void;
}

/**
 * Calls `fn` once, when the response closes or its connection does. A response
 * queued behind another on a keep-alive connection gets no 'close' of its own
 * when the connection dies first, and a client may have left before the
 * handler ran.
 */
export function whenGone(res: ServerResponse, fn: () => void): void {
  const socket = res.req.socket;
  let called = false;
  const gone = () => {
    if (called) return;
    called = true;
    res.off('close', gone);
    socket.off('close', gone);
    fn();
  };
  res.once('close', gone);
  socket.once('close', gone);
  if (res.destroyed || socket.destroyed) gone();
}

interface ContainerStatus {
  name: string;
  state?: { waiting?: { reason?: string }; running?: unknown; terminated?: unknown };
}

export function serveLog(res: ServerResponse, request: LogRequest): void {
  const { logs, query } = request;
  const pod = request.pod as KubeObject & {
    spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] };
    status?: { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
  };
  const namespace = pod.metadata.namespace ?? '';
  const podName = pod.metadata.name ?? '';
  const names = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
  let container = request.container;
  if (container === '') {
    if ((pod.spec?.containers?.length ?? 0) !== 1) {
      throw statusError(
        400,
        'BadRequest',
        `a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`,
      );
    }
    container = pod.spec?.containers?.[0]?.name ?? '';
  }
  if (!names.includes(container))
    throw statusError(400, 'BadRequest', `container ${container} is not valid for pod ${podName}`);
  const previous = query.get('previous') === 'true';
  if (previous && !logs.has(namespace, podName, container, true)) {
    throw statusError(
      400,
      'BadRequest',
      `previous terminated container "${container}" in pod "${podName}" not found`,
    );
  }
  const state = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find(
    (s) => s.name === container,
  )?.state;
  if (!previous && state?.waiting && !logs.has(namespace, podName, container)) {
    throw statusError(
      400,
      'BadRequest',
      `container "${container}" in pod "${podName}" is waiting to start: ${state.waiting.reason ?? 'ContainerCreating'}`,
    );
  }
  const timestamps = query.get('timestamps') === 'true';
  const follow = query.get('follow') === 'true' && !previous;
  const tail = query.get('tailLines');
  const sinceSeconds = query.get('sinceSeconds');
  const sinceTime = query.get('sinceTime');
  let sinceNs: bigint | undefined;
  if (sinceTime) {
    const parsed = parseRfc3339Ns(sinceTime);
    if (parsed === undefined) throw statusError(400, 'BadRequest', `invalid sinceTime "${sinceTime}"`);
    // The API server forwards sinceTime to the kubelet with one-second precision.
    sinceNs = (parsed / 1_000_000_000n) * 1_000_000_000n;
  } else if (sinceSeconds) {
    sinceNs = BigInt(Date.now() - Number(sinceSeconds) * 1000) * 1_000_000n;
  }
  const limitBytes = Number(query.get('limitBytes') ?? '0');
  const cutAfter = request.cutAfterBytes;
  const release = request.open(res);
  let written = 0;
  let stop = () => {};
  let closed = false;
  /** Set while the backlog waits for the socket to drain. */
  let wake: (() => void) | undefined;
  const gone = () => closed || res.destroyed || res.writableEnded;
  // Lines are gathered into chunks of up to 64 KiB, and the stored backlog waits for the
  // socket to drain (backpressure): a million lines stream without piling up in memory.
  let chunk = '';
  const flush = () => {
    const ok = chunk === '' || gone() || res.write(chunk);
    chunk = '';
    return ok;
  };
  /** Adds a line; false when the stream is over (cut, limit reached, closed). */
  const add = (line: StoredLine): boolean => {
    if (gone()) return false;
    const text = `${timestamps ? `${formatRfc3339Nano(line.ns)} ` : ''}${line.text}\n`;
    const size = Buffer.byteLength(text);
    if (cutAfter !== undefined && written + size > cutAfter) {
      flush();
      res.write(Buffer.from(text).subarray(0, cutAfter - written));
      res.req.socket.destroy();
      return false;
    }
    if (limitBytes > 0 && written + size > limitBytes) {
      flush();
      res.end(Buffer.from(text).subarray(0, limitBytes - written));
      return false;
    }
    written += size;
    chunk += text;
    return true;
  };
  const tailLines = tail === null ? undefined : Number(tail);
  const backlog = logs.read(namespace, podName, container, {
    previous,
    ...(sinceNs !== undefined ? { sinceNs } : {}),
    ...(tailLines !== undefined ? { tailLines } : {}),
  });
  // Follow from the moment of the snapshot: lines written meanwhile wait behind the backlog.
  let live: StoredLine[] | undefined = [];
  let ended = false;
  const following = follow && logs.isRunning(namespace, podName, container);
  if (following) {
    stop = logs.follow(namespace, podName, container, {
      line: (line) => {
        if (sinceNs !== undefined && line.ns < sinceNs) return;
        if (live) live.push(line);
        else if (add(line)) flush();
      },
      end: () => {
        ended = true;
        if (!live && !res.writableEnded) res.end();
      },
    });
  }
  whenGone(res, () => {
    closed = true;
    stop();
    release();
    wake?.();
  });
  void (async () => {
    for (const line of backlog) {
      if (!add(line)) return;
      if (chunk.length >= 65_536 && !flush()) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          res.once('drain', resolve);
        });
        wake = undefined;
      }
    }
    for (const line of live ?? []) if (!add(line)) return;
    live = undefined;
    flush();
    if ((!following || ended) && !res.writableEnded) res.end();
  })();
}

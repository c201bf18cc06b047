import type { KubeClient } from '../../kube/client.js';
import type { LogNotice } from '../../kube/logs.js';
import type { KubeObject } from '../../kube/types.js';
import type { WatchNotice } from '../../kube/watch.js';
import { type FakeCluster, startFakeCluster } from '../../testing/cluster.js';
import { colorEnabled, colorFor, type Paint, painter } from '../colors.js';
import { EXIT } from '../exit-codes.js';

/**
 * `kubedog demo`: starts the simulated cluster in this process, plays a short
 * scripted story on it (pods start and log, the API server drops every
 * stream, a log stream is cut mid-line, a container crashes and restarts, an
 * old pod goes away) and shows what the client sees: pod changes on stderr,
 * log lines on stdout, as stern does. At the end it checks that every line
 * written on the server arrived exactly once.
 */

const NAMESPACE = 'demo';

interface Streams {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

type PodObject = KubeObject & {
  spec?: { containers?: { name: string }[] };
  status?: {
    phase?: string;
    containerStatuses?: { name: string; restartCount?: number; state?: Record<string, unknown> }[];
  };
};

export async function demo(streams: Streams, options: { pace?: number } = {}): Promise<number> {
  const pace = options.pace ?? 1;
  const out = painter(colorEnabled(streams.stdout));
  const err = painter(colorEnabled(streams.stderr));
  const cluster = await startFakeCluster({
    namespaces: ['default', NAMESPACE],
    bookmarkIntervalMs: 200,
    controllers: false,
  });
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  const status = (text: string) => streams.stderr.write(`${err('dim', elapsed().padStart(5))} ${text}\n`);
  status(
    `simulated cluster at ${cluster.url}; watching pods in namespace "${NAMESPACE}" and following their logs`,
  );

  const controller = new AbortController();
  const received = new Map<string, string[]>();
  const counts = { events: 0, reconnects: 0 };
  const followers: Promise<void>[] = [];
  const followed = new Set<string>();

  const onNotice = (notice: WatchNotice | LogNotice) => {
    if (notice.type === 'reconnecting' || notice.type === 'log-reconnecting') counts.reconnects++;
    status(err('yellow', `! ${describeNotice(notice)}`));
  };

  const follow = (pod: string, container: string) => {
    const key = `${pod}/${container}`;
    const lines = received.get(key) ?? [];
    received.set(key, lines);
    const color = colorFor(key);
    followers.push(
      (async () => {
        for await (const line of cluster.client.logs(
          { namespace: NAMESPACE, name: pod },
          { container, follow: true, signal: controller.signal, onNotice, retry: { initialDelayMs: 50 } },
        )) {
          lines.push(line.text);
          streams.stdout.write(`${out(color, `${pod} ${container}`)} │ ${line.text}\n`);
        }
      })().catch((error: unknown) => {
        if (!controller.signal.aborted)
          status(err('red', `log stream of ${key} failed: ${(error as Error).message}`));
      }),
    );
  };

  const watcher = (async () => {
    for await (const { type, object } of cluster.client.watch<PodObject>('pods', {
      namespace: NAMESPACE,
      signal: controller.signal,
      onNotice,
      retry: { initialDelayMs: 50 },
    })) {
      counts.events++;
      const name = object.metadata.name ?? '';
      if (type === 'DELETED') {
        status(err('red', `- pod ${name} deleted`));
        continue;
      }
      status(`${type === 'ADDED' ? err('green', '+') : err('blue', '~')} pod ${name} ${describePod(object)}`);
      for (const c of object.status?.containerStatuses ?? []) {
        const key = `${name}/${c.name}/${c.restartCount ?? 0}`;
        if (c.state?.running && !followed.has(key)) {
          followed.add(key);
          follow(name, c.name);
        }
      }
    }
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) status(err('red', `watch failed: ${(error as Error).message}`));
  });

  let written: Map<string, string[]>;
  try {
    written = await playStory(cluster, (ms) => new Promise((r) => setTimeout(r, ms * pace)), status, err);
    // Let the last lines arrive before counting.
    await waitUntil(
      () => [...written].every(([key, lines]) => (received.get(key)?.length ?? 0) >= lines.length),
      3000,
    );
  } finally {
    controller.abort();
    await watcher;
    await Promise.all(followers);
    await cluster.close();
  }

  let lost = 0;
  let repeated = 0;
  for (const [key, lines] of written) {
    // Compare as multisets: a restarted container may print the same line again, legitimately.
    const remaining = new Map<string, number>();
    for (const line of lines) remaining.set(line, (remaining.get(line) ?? 0) + 1);
    for (const line of received.get(key) ?? []) {
      const left = remaining.get(line) ?? 0;
      if (left > 0) remaining.set(line, left - 1);
      else repeated++;
    }
    for (const left of remaining.values()) lost += left;
  }
  const total = [...written.values()].reduce((n, l) => n + l.length, 0);
  const ok = lost === 0 && repeated === 0;
  status(
    `${ok ? err('green', '✓') : err('red', '✗')} ${counts.events} watch events, ${total} log lines written on the server, ` +
      `${lost} lost, ${repeated} repeated, ${counts.reconnects} reconnects (${elapsed()})`,
  );
  return ok ? EXIT.ok : EXIT.failed;
}

/** The scripted story. Returns the log lines written per `pod/container`. */
async function playStory(
  cluster: FakeCluster,
  sleep: (ms: number) => Promise<void>,
  status: (text: string) => void,
  paint: Paint,
): Promise<Map<string, string[]>> {
  const { client, logs } = cluster;
  const written = new Map<string, string[]>();
  const log = (pod: string, container: string, lines: string[]) => {
    const key = `${pod}/${container}`;
    written.set(key, [...(written.get(key) ?? []), ...lines]);
    logs.append(NAMESPACE, pod, container, lines);
  };
  const say = (text: string) => status(paint('dim', `# ${text}`));

  say('an old pod of the previous version is running');
  await createPod(client, 'web-5d8b6-q2x7k', 'registry.local/web:v1');
  await setRunning(client, 'web-5d8b6-q2x7k', 0);
  await sleep(150);
  log('web-5d8b6-q2x7k', 'app', ['GET /healthz 200 0.4ms', 'GET /api/orders 200 12.1ms']);
  await sleep(200);

  say('two pods of the new version start');
  for (const pod of ['web-7f9c4-abcde', 'web-7f9c4-fghij'])
    await createPod(client, pod, 'registry.local/web:v2');
  await sleep(150);
  for (const pod of ['web-7f9c4-abcde', 'web-7f9c4-fghij']) await setRunning(client, pod, 0);
  await sleep(150);
  log('web-7f9c4-abcde', 'app', ['starting web v2', 'connected to postgres://db:5432', 'listening on :8080']);
  log('web-7f9c4-fghij', 'app', ['starting web v2', 'listening on :8080']);
  await sleep(200);

  say('the API server restarts: every watch and log stream is cut');
  cluster.dropStreams();
  log('web-7f9c4-abcde', 'app', ['GET /api/orders 200 9.8ms']);
  await sleep(300);

  say('the log stream of web-7f9c4-fghij is cut in the middle of a line');
  cluster.faults.add({ kind: 'log', path: '/pods/web-7f9c4-fghij/' }, { type: 'cut-after-bytes', bytes: 40 });
  cluster.dropStreams();
  await sleep(100);
  log('web-7f9c4-fghij', 'app', ['GET /api/orders 200 11.2ms (each line arrives once, whatever was cut)']);
  await sleep(300);

  say('one container crashes and is restarted by the kubelet');
  log('web-7f9c4-fghij', 'app', ['panic: runtime error: invalid memory address or nil pointer dereference']);
  await sleep(100);
  await setAppStatus(client, 'web-7f9c4-fghij', 'Running', {
    ready: false,
    restartCount: 1,
    state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container' } },
    lastState: { terminated: { exitCode: 2, reason: 'Error' } },
  });
  logs.restart(NAMESPACE, 'web-7f9c4-fghij', 'app');
  await sleep(300);
  await setRunning(client, 'web-7f9c4-fghij', 1);
  await sleep(150);
  log('web-7f9c4-fghij', 'app', ['starting web v2', 'listening on :8080']);
  await sleep(200);

  say('the old pod is deleted');
  await client.delete('pods', { namespace: NAMESPACE, name: 'web-5d8b6-q2x7k' });
  await sleep(200);
  return written;
}

async function createPod(client: KubeClient, name: string, image: string): Promise<void> {
  await client.create('Pod', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NAMESPACE, labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image }] },
  });
  await setAppStatus(client, name, 'Pending', {
    ready: false,
    restartCount: 0,
    state: { waiting: { reason: 'ContainerCreating' } },
  });
}

async function setRunning(client: KubeClient, name: string, restartCount: number): Promise<void> {
  await setAppStatus(client, name, 'Running', {
    ready: true,
    restartCount,
    containerID: `containerd://${name}-${restartCount}`,
    state: { running: { startedAt: new Date().toISOString() } },
  });
}

/** Writes the pod phase and the status of its one container, as the kubelet would. */
async function setAppStatus(
  client: KubeClient,
  name: string,
  phase: string,
  container: Record<string, unknown>,
) {
  await client.patch(
    'pods',
    { namespace: NAMESPACE, name },
    { status: { phase, containerStatuses: [{ name: 'app', ...container }] } },
    { subresource: 'status' },
  );
}

function describePod(pod: PodObject): string {
  const statuses = pod.status?.containerStatuses ?? [];
  const waiting = statuses
    .map((s) => (s.state?.waiting as { reason?: string } | undefined)?.reason)
    .find(Boolean);
  const restarts = statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
  return [pod.status?.phase ?? 'Pending', waiting, restarts > 0 ? `restarts: ${restarts}` : undefined]
    .filter(Boolean)
    .join(', ');
}

function describeNotice(notice: WatchNotice | LogNotice): string {
  switch (notice.type) {
    case 'reconnecting':
      return `watch of ${notice.resource} interrupted (${notice.reason}); reconnecting in ${notice.delayMs} ms`;
    case 'resumed':
      return `watch of ${notice.resource} resumed from resourceVersion ${notice.resourceVersion}`;
    case 'relisted':
      return `watch of ${notice.resource} re-listed (${notice.changes} changes)`;
    case 'malformed-line':
      return `watch of ${notice.resource}: skipped a malformed line`;
    case 'log-reconnecting':
      return `log stream of ${notice.pod}/${notice.container} interrupted (${notice.reason}); reconnecting`;
    case 'log-resumed':
      return `log stream of ${notice.pod}/${notice.container} resumed from ${notice.since}`;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

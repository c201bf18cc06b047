/**
 * Watch decode throughput: EVENTS watch events of ~4 KB Pod objects (1,000
 * pods, each added, then modified again and again), served
 * as fast as the client reads them (with backpressure) by a bare HTTP server,
 * to kubedog's watch and to client-node's Watch. Events/s and peak RSS.
 * Usage: tsx bench/watch.ts [--smoke]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ratio, saveResults } from './lib.js';

const smoke = process.argv.includes('--smoke');
const EVENTS = smoke ? 20_000 : 200_000;

/** A Pod as a real cluster sends it: labels, annotations, two containers, status with conditions. */
function pod(n: number, resourceVersion: string): string {
  const object = {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      // A thousand pods, changing again and again: a namespace's worth, as a watch sees it.
      name: `web-7f9c4d8b6-${String(n % 1000).padStart(6, '0')}`,
      generateName: 'web-7f9c4d8b6-',
      namespace: 'default',
      uid: `0b6f6a7e-${String(n).padStart(4, '0').slice(-4)}-4c1e-9a55-3d2b1c0e${String(n % 10000).padStart(4, '0')}`,
      resourceVersion,
      creationTimestamp: '2026-11-26T10:00:00Z',
      labels: { app: 'web', 'pod-template-hash': '7f9c4d8b6', tier: 'frontend', version: 'v2' },
      annotations: {
        'kubectl.kubernetes.io/restartedAt': '2026-11-26T09:59:00Z',
        'prometheus.io/scrape': 'true',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-7f9c4d8b6',
          uid: 'a1b2c3d4',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      containers: ['app', 'proxy'].map((name) => ({
        name,
        image: `registry.local/${name}:v2.14.3`,
        ports: [{ containerPort: 8080, protocol: 'TCP' }],
        env: Array.from({ length: 8 }, (_, i) => ({
          name: `SETTING_${i}`,
          value: `value-${i}-${'x'.repeat(20)}`,
        })),
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
        terminationMessagePath: '/dev/termination-log',
        imagePullPolicy: 'IfNotPresent',
      })),
      restartPolicy: 'Always',
      nodeName: 'node-2',
      serviceAccountName: 'web',
    },
    status: {
      phase: 'Running',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: '2026-11-26T10:00:05Z',
      })),
      hostIP: '10.0.0.12',
      podIP: `10.244.1.${n % 250}`,
      startTime: '2026-11-26T10:00:01Z',
      containerStatuses: ['app', 'proxy'].map((name) => ({
        name,
        ready: true,
        restartCount: 0,
        image: `registry.local/${name}:v2.14.3`,
        imageID: `registry.local/${name}@sha256:${'0123456789abcdef'.repeat(4)}`,
        containerID: `containerd://${'fedcba9876543210'.repeat(4)}`,
        started: true,
        state: { running: { startedAt: '2026-11-26T10:00:03Z' } },
      })),
    },
  };
  return JSON.stringify({ type: n <= 1000 ? 'ADDED' : 'MODIFIED', object });
}

// The server must not be what is measured: the 10,000 distinct pods are rendered once,
// around their resourceVersion, and each event is three strings joined.
const RV = '@@resourceVersion@@';
const DISTINCT = 10_000;
const rendered = Array.from({ length: DISTINCT }, (_, i) => {
  const n = i === 0 ? DISTINCT : i;
  const [before = '', after = ''] = pod(n, RV).split(RV);
  return { before, after, modified: pod(n + DISTINCT, RV).split(RV)[0] ?? '' };
});
const event = (n: number) => {
  const r = rendered[n % DISTINCT] as (typeof rendered)[number];
  return `${n <= 1000 ? r.before : r.modified}${1000 + n}${r.after}`;
};
const sample = event(1);
const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  res.writeHead(200, { 'content-type': 'application/json' });
  if (url.searchParams.get('watch') !== 'true') {
    res.end(
      JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1000' }, items: [] }),
    );
    return;
  }
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  let chunk = '';
  for (let n = 1; n <= EVENTS && !closed; n++) {
    chunk += `${event(n)}\n`;
    if (chunk.length > 65_536) {
      const ok = res.write(chunk);
      chunk = '';
      if (!ok) await new Promise((resolve) => res.once('drain', resolve));
    }
  }
  if (!closed) res.write(chunk);
  // Then silence, as a quiet watch: the client decides when it has what it wanted.
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const dir = mkdtempSync(join(tmpdir(), 'kubedog-bench-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(
  kubeconfig,
  `apiVersion: v1\nkind: Config\nclusters: [{name: b, cluster: {server: "${url}"}}]\nusers: [{name: b, user: {}}]\ncontexts: [{name: b, context: {cluster: b, user: b, namespace: default}}]\ncurrent-context: b\n`,
);

const run = (script: string) =>
  new Promise<{ events: number; seconds: number; peakRssMb: number }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...(process.env.KUBEDOG_PROFILE && script.startsWith(process.env.KUBEDOG_PROFILE)
          ? ['--cpu-prof', '--cpu-prof-dir=/tmp/wprof']
          : []),
        new URL(`./peers/${script}`, import.meta.url).pathname,
        kubeconfig,
        String(EVENTS),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('exit', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? ''));
      } catch (error) {
        reject(error);
      }
    });
  });

console.log(`${EVENTS} events of ${(sample.length / 1024).toFixed(1)} KB`);
const results: Record<string, unknown> = {};
const kubedog = await run('kubedog-watch.mjs');
const clientNode = await run('client-node-watch.mjs');
for (const [name, r] of [
  ['kubedog watch', kubedog],
  ['client-node Watch', clientNode],
] as const) {
  const rate = r.events / r.seconds;
  results[name] = { ...r, eventsPerSecond: Math.round(rate) };
  console.log(
    `${name.padEnd(18)} ${String(Math.round(rate)).padStart(8)} events/s  peak RSS ${r.peakRssMb.toFixed(0).padStart(4)} MB`,
  );
}
console.log(
  `kubedog decodes ${ratio(kubedog.events / kubedog.seconds, clientNode.events / clientNode.seconds)} as fast as client-node, with ${ratio(kubedog.peakRssMb, clientNode.peakRssMb)} its peak RSS`,
);
saveResults('watch', { events: EVENTS, eventBytes: sample.length, smoke, results });
server.closeAllConnections();
server.close();

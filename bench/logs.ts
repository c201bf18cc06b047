/**
 * Log throughput: one pod has written LINES lines of ~100 bytes; each tool
 * follows its log from the start, on the same simulated API server, one
 * after the other. Lines/s and CPU seconds per million lines.
 * Usage: tsx bench/logs.ts [--smoke]
 */
import { startFakeCluster } from '../src/testing/cluster.js';
import { KUBEDOG, measureLines, ratio, saveResults, which } from './lib.js';

const smoke = process.argv.includes('--smoke');
const linesArg = process.argv.find((a) => a.startsWith('--lines='))?.slice(8);
const LINES = linesArg ? Number(linesArg) : smoke ? 50_000 : 1_000_000;
const TIMEOUT_MS = 100_000;

await using cluster = await startFakeCluster({ nodes: 1 });
const pad = 'x'.repeat(80);
const lines = Array.from({ length: LINES }, (_, n) => `line ${String(n).padStart(8, '0')} ${pad}`);
cluster.pod('chatty').container('app').logs(lines).neverBecomesReady();
await cluster.apply({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'chatty', namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'registry.local/chatty:v1' }] },
});
while (cluster.logs.read('default', 'chatty', 'app').length < LINES)
  await new Promise((r) => setTimeout(r, 50));
const k = cluster.kubeconfigPath;
const peers: { name: string; command?: string; args: string[]; why?: string }[] = [
  {
    name: 'kubedog follow',
    command: process.execPath,
    args: [
      ...(process.env.KUBEDOG_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
      KUBEDOG,
      'follow',
      'po/chatty',
      '--kubeconfig',
      k,
    ],
  },
  {
    name: 'kubectl logs -f',
    command: which('kubectl'),
    args: ['logs', '-f', 'chatty', '-c', 'app', '--kubeconfig', k],
    why: 'kubectl is not installed',
  },
  {
    name: 'stern',
    command: which('stern'),
    args: [
      '^chatty$',
      '--kubeconfig',
      k,
      '-n',
      'default',
      '--output',
      'raw',
      '--since',
      '48h',
      '--color',
      'never',
    ],
    why: 'stern is not built (bench/build-peers.sh)',
  },
  {
    name: 'client-node Log',
    command: process.execPath,
    args: [new URL('./peers/client-node-logs.mjs', import.meta.url).pathname, k, 'default', 'chatty', 'app'],
  },
];
const results: Record<string, unknown> = {};
let base: { rate: number; cpu: number } | undefined;
for (const peer of peers) {
  if (!peer.command) {
    console.log(`${peer.name.padEnd(18)} skipped: ${peer.why}`);
    results[peer.name] = { skipped: peer.why };
    continue;
  }
  const r = await measureLines(peer.command, peer.args, { lines: LINES, timeoutMs: TIMEOUT_MS });
  const rate = r.lines / r.seconds;
  const cpuPerMillion = (r.cpuSeconds / r.lines) * 1_000_000;
  base ??= { rate, cpu: cpuPerMillion };
  results[peer.name] = { ...r, linesPerSecond: Math.round(rate), cpuSecondsPerMillion: cpuPerMillion };
  console.log(
    `${peer.name.padEnd(18)} ${String(Math.round(rate)).padStart(9)} lines/s  ${cpuPerMillion.toFixed(2).padStart(6)} CPU s/M lines  ${r.done ? '' : `(only ${r.lines} of ${LINES} in ${TIMEOUT_MS / 1000} s) `}kubedog is ${ratio(base.rate, rate)} its speed, uses ${ratio(base.cpu, cpuPerMillion)} its CPU`,
  );
}
saveResults('logs', { lines: LINES, smoke, results });

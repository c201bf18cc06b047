/**
 * How long a process that used kubedog takes to exit after its last line:
 * a library script that made one request (as it is, and with V8's
 * `--liftoff-only`), and the CLI (which sets it for itself). Each against a
 * small API server in another process; medians of N runs.
 * Usage: tsx bench/exit-delay.ts [N]   (default 9; needs `npm run build`)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const RUNS = Number(process.argv[2] ?? 9);
const dir = mkdtempSync(join(tmpdir(), 'kubedog-exit-'));
const dist = resolve('dist');

writeFileSync(
  join(dir, 'server.mjs'),
  `import { createServer } from 'node:http';
const list = '{"kind":"List","metadata":{"resourceVersion":"1"},"items":[]}';
const server = createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(request.url.startsWith('/apis') && !request.url.includes('/namespaces/') ? '{"groups":[]}' : list);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`,
);
writeFileSync(
  join(dir, 'script.mjs'),
  `import { KubeClient, kubeConfigFromString } from '${dist}/index.js';
const client = new KubeClient(kubeConfigFromString(process.env.KUBECONFIG_TEXT));
await client.list('ConfigMap');
await client.close();
process.stdout.write('last ' + (performance.timeOrigin + performance.now()) + '\\n');
`,
);

const server = spawn(process.execPath, [join(dir, 'server.mjs')]);
const port = await new Promise<string>((ready) => server.stdout.once('data', (d) => ready(String(d).trim())));
const kubeconfig = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: c, context: {cluster: c, user: u, namespace: default}}]
current-context: c
`;
writeFileSync(join(dir, 'kubeconfig'), kubeconfig, { mode: 0o600 });

/** Milliseconds from the process's last output to its exit. */
async function delay(args: string[]): Promise<number> {
  const child = spawn(process.execPath, args, { env: { ...process.env, KUBECONFIG_TEXT: kubeconfig } });
  let last = 0;
  const mark = (chunk: Buffer) => {
    const stamped = /last ([\d.]+)/.exec(String(chunk));
    last = stamped ? Number(stamped[1]) : performance.timeOrigin + performance.now();
  };
  child.stdout.on('data', mark);
  child.stderr.on('data', mark);
  await new Promise((exited) => child.on('exit', exited));
  return performance.timeOrigin + performance.now() - last;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const rows: [string, string[]][] = [
  ['library script, one request', [join(dir, 'script.mjs')]],
  ['library script, node --liftoff-only', ['--liftoff-only', join(dir, 'script.mjs')]],
  [
    'CLI: kubedog wait --for=delete (it sets --liftoff-only itself)',
    [
      join(dist, 'cli/main.js'),
      'wait',
      '--for=delete',
      'deploy/none',
      '--kubeconfig',
      join(dir, 'kubeconfig'),
    ],
  ],
];
console.log(`| process | ms from its last output to its exit (median of ${RUNS}) |\n| --- | --- |`);
for (const [what, args] of rows) {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await delay(args));
  console.log(`| ${what} | ${median(runs).toFixed(1)} |`);
}
server.kill();

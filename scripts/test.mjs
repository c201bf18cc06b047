#!/usr/bin/env node
// Runs the fast test suite with node:test through tsx. Node 20's test runner
// does not expand globs, so the test files are collected here.
// Usage: node scripts/test.mjs [--timeout=MS] [--jobs=N] [--repeat=N] [--soak] [--serial] [dir-or-file ...]
// (default: test/, 60000 ms per file, 4 files at once; --repeat runs the files N times over and counts)
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) collect(join(path, entry), out);
  } else if (path.endsWith(suffix)) {
    out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
// --soak: the slow tier (files named *.soak.ts), run by `npm run test:soak` and CI, not by `npm test`.
// --bundle: the single-file CLI and the single executable (*.bundle.ts), built first (npm run test:bundle).
const bundle = args.includes('--bundle');
const suffix = args.includes('--soak') ? '.soak.ts' : bundle ? '.bundle.ts' : '.test.ts';
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const timeout = option('timeout') ?? '60000';
// --serial: one file at a time (each end-to-end file starts its own control plane). --jobs=N: N at
// once; most files spend much of their time waiting on sockets and child processes, so four at
// once keep two cores busy.
const concurrency = args.includes('--serial') ? 1 : Number(option('jobs') ?? 4);
// --repeat=N: the files run N times over, one run after the other (to find what is flaky).
const repeat = Number(option('repeat') ?? 1);
const roots = args.filter((a) => !a.startsWith('--'));
const files = (roots.length > 0 ? roots : ['test']).flatMap((root) => collect(root, []));
if (files.length === 0) {
  console.error(`no ${suffix} files under ${roots.join(' ') || 'test'}`);
  process.exit(1);
}
// The CLI tests run the built CLI (dist/), as users do: build first (a few seconds).
const build = spawnSync(
  process.execPath,
  ['scripts/bundle.mjs', ...(bundle ? ['--single-file', '--sea'] : [])],
  {
    stdio: 'inherit',
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);
const output = [];
const failedRuns = [];
for (let run = 1; run <= repeat; run++) {
  const status = await runFiles();
  if (status !== 0) failedRuns.push(run);
  if (repeat > 1) console.error(`run ${run} of ${repeat}: ${status === 0 ? 'passed' : 'FAILED'}`);
}
if (repeat > 1)
  console.error(
    `${repeat - failedRuns.length} of ${repeat} runs passed${failedRuns.length ? `; failed: ${failedRuns.join(', ')}` : ''}`,
  );
// Everything the suite prints is also scanned for the test credentials: none may ever show.
const leaks = testSecrets().filter((secret) => Buffer.concat(output).includes(secret));
if (leaks.length > 0) {
  console.error(
    `\nsecret scan: the test output shows ${leaks.length} test credential(s): ${leaks.map((s) => s.slice(0, 6)).join(', ')}…`,
  );
  process.exit(1);
}
console.error(
  `secret scan: none of ${testSecrets().length} test credentials in ${Buffer.concat(output).length} bytes of output`,
);
process.exit(failedRuns.length > 0 ? 1 : 0);

/** One run of every file, its output shown and kept for the scan; its exit status. */
function runFiles() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${timeout}`, ...files],
    { stdio: ['inherit', 'pipe', 'pipe'] },
  );
  for (const stream of [child.stdout, child.stderr])
    stream.on('data', (chunk) => {
      (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
      output.push(chunk);
    });
  return new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
}

/** The credentials the tests use: tokens, passwords (and their base64), and the test PKI's private keys. */
function testSecrets() {
  const passwords = ['hunter2-db-pa55word', 'hunter2-db-password'];
  const tokens = [
    's3cr3t-t0ken',
    'sup3r-s3cret-t0ken',
    'wr0ng-t0ken',
    'sEcReT-t0ken-for-scan',
    'fuzz-t0ken',
    'kubedog-test-token-1',
    'kubedog-test-token-2',
    'kubedog-exec-token',
    'wrong-token-value',
    's3cret-token',
  ];
  const keys = readdirSync('fixtures/tls')
    .filter((name) => name.endsWith('.key'))
    .flatMap((name) => readFileSync(join('fixtures/tls', name), 'utf8').split('\n'))
    .filter((line) => line.length >= 40 && !line.startsWith('-----'))
    // Every EC key starts with the same header bytes: only what follows them is secret.
    .map((line) => line.replace(/^MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg/, ''));
  return [...tokens, ...passwords, ...passwords.map((p) => Buffer.from(p).toString('base64')), ...keys];
}

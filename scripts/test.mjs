#!/usr/bin/env node
// Runs the fast test suite with node:test through tsx. Node 20's test runner
// does not expand globs, so the test files are collected here.
// Usage: node scripts/test.mjs [--timeout=MS] [--soak] [--serial] [dir-or-file ...]   (default: test/, 60000 ms per file)
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
const timeout = args.find((a) => a.startsWith('--timeout='))?.slice('--timeout='.length) ?? '60000';
// --serial: one file at a time (each end-to-end file starts its own control plane).
const concurrency = args.includes('--serial') ? 1 : 2;
const roots = args.filter(
  (a) => !a.startsWith('--timeout=') && !['--soak', '--serial', '--bundle'].includes(a),
);
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
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${timeout}`, ...files],
  { stdio: ['inherit', 'pipe', 'pipe'] },
);
// Everything the suite prints is also scanned for the test credentials: none may ever show.
const output = [];
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  output.push(chunk);
});
child.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  output.push(chunk);
});
const status = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
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
process.exit(status);

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

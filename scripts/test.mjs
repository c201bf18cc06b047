#!/usr/bin/env node
// Runs the fast test suite with node:test through tsx. Node 20's test runner
// does not expand globs, so the test files are collected here.
// Usage: node scripts/test.mjs [--timeout=MS] [dir-or-file ...]   (default: test/, 60000 ms per file)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) collect(join(path, entry), out);
  } else if (path.endsWith('.test.ts')) {
    out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const timeout = args.find((a) => a.startsWith('--timeout='))?.slice('--timeout='.length) ?? '60000';
const roots = args.filter((a) => !a.startsWith('--timeout='));
const files = (roots.length > 0 ? roots : ['test']).flatMap((root) => collect(root, []));
if (files.length === 0) {
  console.error(`no test files under ${roots.join(' ') || 'test'}`);
  process.exit(1);
}
// The CLI tests run the built CLI (dist/), as users do: build first (a few seconds).
const build = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${timeout}`, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);

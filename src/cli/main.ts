#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isKubedogError } from '../kube/errors.js';
import { EXIT } from './exit-codes.js';

const HELP = `kubedog — track Kubernetes resources while they roll out

Usage:
  kubedog demo        watch pods and follow their logs on a built-in simulated cluster
  kubedog version     print the version
  kubedog help        show this help

Exit codes:
  0   success
  1   a tracked resource failed
  2   timeout
  3   API, connection or authentication error
  64  usage error
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } },
    });
  } catch (error) {
    process.stderr.write(`kubedog: ${(error as Error).message}\nRun 'kubedog help' for usage.\n`);
    return EXIT.usage;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.version || command === 'version') {
    process.stdout.write(`kubedog ${version()} (node ${process.version})\n`);
    return EXIT.ok;
  }
  if (parsed.values.help || command === undefined || command === 'help') {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  // Commands are loaded on demand so `--help` and `version` start fast.
  switch (command) {
    case 'demo':
      if (rest.length > 0) {
        process.stderr.write(`kubedog demo: unexpected argument "${rest[0]}"\n`);
        return EXIT.usage;
      }
      return (await import('./commands/demo.js')).demo({ stdout: process.stdout, stderr: process.stderr });
    default:
      process.stderr.write(`kubedog: unknown command "${command}"\nRun 'kubedog help' for usage.\n`);
      return EXIT.usage;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A user-facing error is one line; anything else is a bug and keeps its stack.
    process.stderr.write(
      `kubedog: ${isKubedogError(error) ? error.message : ((error as Error)?.stack ?? String(error))}\n`,
    );
    process.exitCode = isKubedogError(error) ? EXIT.api : EXIT.failed;
  },
);

#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { isKubedogError } from '../kube/errors.js';
import { packageVersion } from '../package-files.js';
import { terminalSafe } from '../report/safe.js';
import type { MultitrackSpec } from '../track/multitrack.js';
import { type ParsedValues, parseCommandLine, type TrackArgs, trackArgs, withGoAliases } from './args.js';
import { EXIT } from './exit-codes.js';
import {
  COMPLETION_HELP,
  DEMO_HELP,
  FOLLOW_HELP,
  MAIN_HELP,
  MULTITRACK_HELP,
  ROLLOUT_HELP,
  WAIT_HELP,
} from './help.js';

// The CLI's own process: undici's WebAssembly HTTP parser stays on V8's baseline compiler. Tiering it
// up costs CPU and memory in the background, and the process waits for that compile to finish before
// it can exit: 86 ms after the last line, 5 ms without (bench/README.md, the exit delay).
setFlagsFromString('--liftoff-only');

const HELPS: Record<string, string> = {
  rollout: ROLLOUT_HELP,
  follow: FOLLOW_HELP,
  wait: WAIT_HELP,
  multitrack: MULTITRACK_HELP,
  demo: DEMO_HELP,
  completion: COMPLETION_HELP,
};

class UsageError extends Error {}

/** Ctrl-C aborts the track (it then ends cleanly); a second Ctrl-C exits at once. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    controller.abort();
    process.once('SIGINT', () => process.exit(EXIT.interrupted));
  });
  return controller.signal;
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const [command, ...rest] = positionals;
  if (values.version || command === 'version') {
    process.stdout.write(`kubedog ${packageVersion()} (node ${process.version})\n`);
    return EXIT.ok;
  }
  if (command === undefined || command === 'help') {
    process.stdout.write(HELPS[rest[0] ?? ''] ?? MAIN_HELP);
    return EXIT.ok;
  }
  if (values.help) {
    process.stdout.write(HELPS[command] ?? MAIN_HELP);
    return EXIT.ok;
  }
  // Commands are loaded on demand so `--help` and `version` start fast.
  switch (command) {
    case 'rollout': {
      const [sub, ...words] = rest;
      if (sub === 'track' || sub === 'status')
        return runTrack(sub === 'track' ? 'rollout' : 'status', values, words);
      throw new UsageError(
        sub === undefined
          ? 'kubedog rollout: missing subcommand: track or status'
          : `kubedog rollout: unknown subcommand "${sub}" (track or status)`,
      );
    }
    case 'follow':
      return runTrack('follow', values, rest);
    case 'wait':
      return runTrack('wait', values, rest);
    case 'multitrack':
      return runMultitrack(values, rest);
    case 'demo': {
      if (rest.length > 0) throw new UsageError(`kubedog demo: unexpected argument "${rest[0]}"`);
      const { demo } = await import('./commands/demo.js');
      return demo({
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
        noColor: values['no-color'] ?? false,
      });
    }
    case 'completion': {
      const { completion } = await import('./commands/completion.js');
      const script = completion(rest[0]);
      if (script === undefined) throw new UsageError('kubedog completion: give a shell: bash, zsh or fish');
      process.stdout.write(script);
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function runTrack(
  mode: TrackArgs['mode'],
  values: ParsedValues,
  words: string[],
  specs: MultitrackSpec[] = [],
): Promise<number> {
  const args = trackArgs(mode, withGoAliases(values, process.env), words, specs, process.env);
  const { track } = await import('./commands/track.js');
  return track(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stdin: () => readFileSync(0, 'utf8'),
    signal: interruptSignal(),
    // Read when --interactive asks for it: opening standard input costs a track that never reads it.
    get terminal() {
      return process.stdin;
    },
  });
}

/**
 * The Go kubedog's `multitrack`: MultitrackSpecs JSON on stdin, tracked as
 * `rollout track` tracks, with the Go command's default of no timeout.
 */
async function runMultitrack(values: ParsedValues, words: string[]): Promise<number> {
  if (words.length > 0)
    throw new UsageError(`kubedog multitrack: unexpected argument "${words[0]}" (the specs come on stdin)`);
  const { parseMultitrackSpecs } = await import('../inputs/go-specs.js');
  const specs = parseMultitrackSpecs(readFileSync(0, 'utf8'), 'stdin');
  if (specs.length === 0)
    throw new UsageError('kubedog multitrack: the MultitrackSpecs on stdin name no resource');
  return runTrack('rollout', { ...values, timeout: values.timeout ?? '0' }, [], specs);
}

/** Runs the CLI; every user error is one line on stderr and an exit code, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    if (error instanceof UsageError || (isKubedogError(error) && error.code === 'KUBEDOG_INVALID_INPUT')) {
      const text = terminalSafe(error.message);
      const message = text.startsWith('kubedog') ? text : `kubedog: ${text}`;
      process.stderr.write(`${message}\nRun 'kubedog help' for usage.\n`);
      return EXIT.usage;
    }
    if (isKubedogError(error)) {
      process.stderr.write(`kubedog: ${terminalSafe(error.message)}\n`);
      return EXIT.api;
    }
    throw error;
  }
}

// The reader of the output went away (`| head`): end quietly, as a tool killed by SIGPIPE does.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(EXIT.outputClosed);
  });

// Never exit 0 without a verdict: if the work ever stalls with nothing left to wait on, say so.
let settled = false;
process.once('beforeExit', () => {
  if (settled) return;
  process.stderr.write('kubedog: internal error: the track stalled without a verdict\n');
  process.exitCode = EXIT.failed;
});
main(process.argv.slice(2)).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  (error: unknown) => {
    settled = true;
    // Not a user error: a bug, so the stack is worth having.
    process.stderr.write(`kubedog: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = EXIT.failed;
  },
);

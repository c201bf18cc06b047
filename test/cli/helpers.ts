import { spawn } from 'node:child_process';
import { stringify } from 'yaml';
import { releaseRecord } from '../../src/helm-record/codec.js';
import type { KubeObject } from '../../src/kube/types.js';
import { deploymentManifest } from '../helpers.js';

/** The built CLI, as users run it (scripts/test.mjs builds it first). */
export const CLI = new URL('../../dist/cli/main.js', import.meta.url).pathname;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  /** Called with each chunk of stderr as it arrives (to act mid-run: send SIGINT, delete a resource). */
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void;
  /** The same for stdout. */
  onStdout?: (text: string, child: ReturnType<typeof spawn>) => void;
  timeoutMs?: number;
  /** Called once the process is started. */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
}

/**
 * Runs the CLI asynchronously (the simulated cluster runs in this process,
 * so a synchronous spawn would starve it). Colors are off unless asked for.
 */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const { NO_COLOR: _n, FORCE_COLOR: _f, KUBECONFIG: _k, ...inherited } = process.env;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...inherited, ...options.env }))
    if (value !== undefined) env[key] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(stdout, child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(stderr, child);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Fails when any text holds an ANSI escape sequence. */
export const hasEscapes = (text: string) => text.includes('\u001b');

/** A Deployment in "default" whose pods run `containers` (default: app). */
export const deployment = (
  name: string,
  options: { replicas?: number; labels?: Record<string, string>; containers?: string[] } = {},
): KubeObject => deploymentManifest(name, options);

/**
 * A deployed revision of the Helm release `name` as Helm 3 stores it: a Secret
 * `sh.helm.release.v1.NAME.vVERSION` whose release holds the objects' manifest.
 */
export function helmReleaseSecret(
  name: string,
  namespace: string,
  version: number,
  objects: KubeObject[],
): KubeObject {
  return releaseRecord('secret', {
    name,
    namespace,
    version,
    info: { status: 'deployed', description: version === 1 ? 'Install complete' : 'Upgrade complete' },
    manifest: objects
      .map((o) => `---\n# Source: ${name}/templates/${o.metadata.name}.yaml\n${stringify(o)}`)
      .join('\n'),
  });
}
